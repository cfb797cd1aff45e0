from django.core.management.base import BaseCommand

from supervision.reminders import scan, send


class Command(BaseCommand):
    help = "Decide due reminders and deliver them (the same code as the Celery task scan_deadlines)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="e-mail and SMS even outside working hours")

    def handle(self, force=False, **options):
        decided = scan()
        delivered = send(force=force)
        self.stdout.write(f"scan_deadlines: {decided} decided, {delivered} delivered")
