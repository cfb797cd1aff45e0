from django.core.management.base import BaseCommand

from grids.reminders import remind_missing


class Command(BaseCommand):
    help = "Remind grid workers and their village of inspection reports missing after the week's due day."

    def handle(self, **options):
        self.stdout.write(f"reminders written: {remind_missing(force_outbox=True)}")
