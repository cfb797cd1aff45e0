from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.regions import RegionFileError, filter_subtree, load_regions, read_rows


class Command(BaseCommand):
    help = "Load the division tree from a CSV file (code,name,level,parent_code); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--root",
            help="only this region (12-digit code), everything below it and its ancestors",
        )

    def handle(self, path, root=None, **options):
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            rows = read_rows(path)
            if root:
                rows = filter_subtree(rows, root)
            result = load_regions(rows)
        except RegionFileError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        self.stdout.write(
            f"regions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged ({len(rows)} rows in {path.name})"
        )
