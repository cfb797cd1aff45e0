from django.core.management.base import BaseCommand

from analysis import scan


class Command(BaseCommand):
    help = "Raise early warnings from the cases created since the last scan (incremental, idempotent)."

    def handle(self, *args, **options):
        result = scan.scan()
        self.stdout.write(str(result))
        for warning in result.raised:
            self.stdout.write(f"  #{warning.pk} {warning.title}")
