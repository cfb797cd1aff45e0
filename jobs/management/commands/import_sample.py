"""Write a valid import file of N rows for the demo county (to try or time the import).

python manage.py import_sample /tmp/disputes.xlsx --rows 10000 [--kind dispute]
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from jobs.imports.sample import sample_rows, to_file


class Command(BaseCommand):
    help = "Write a valid dispute or petition import file for the demo county."

    def add_arguments(self, parser):
        parser.add_argument("file", help="ends in .xlsx or .csv")
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--kind", default="dispute", choices=["dispute", "petition"])
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, file, rows, kind, seed, **options):
        fmt = "csv" if file.endswith(".csv") else "xlsx"
        Path(file).write_bytes(to_file(kind, sample_rows(kind, rows, seed=seed), fmt))
        self.stdout.write(f"wrote {rows} {kind} rows to {file}")
