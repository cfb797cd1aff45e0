from django.core.management.base import BaseCommand

from analysis import duty_reminders


class Command(BaseCommand):
    help = "Remind leaders of 包案 time limits and responsible persons of key-person reviews (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--send", action="store_true", help="deliver e-mail/SMS now, outside working hours too"
        )

    def handle(self, *args, send=False, **options):
        written = duty_reminders.remind(force_outbox=send)
        self.stdout.write(f"{written} notifications written")
