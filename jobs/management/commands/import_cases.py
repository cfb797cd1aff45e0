"""Import historical cases from an xlsx or csv file as a user, as the import page does.

    python manage.py import_cases ledger.xlsx --user zhuji_mediator [--kind dispute] [--dry-run]

Prints the per-row errors, or the number of cases written, with the time taken (issue 9 times
10,000 rows with this command).
"""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from jobs.imports import FileRefused, ImportRefused, check_file, import_file


class Command(BaseCommand):
    help = "Check (--dry-run) or import historical disputes or petitions from an xlsx or csv file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username whose role and jurisdiction apply")
        parser.add_argument("--kind", default="dispute", choices=["dispute", "petition"])
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, file, user, kind, dry_run, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"no active user {user!r}") from exc
        path = Path(file)
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            if dry_run:
                checked = check_file(kind, actor, path.name, data)
                errors = checked.errors
            else:
                ids = import_file(kind, actor, path.name, data)
                errors = []
        except ImportRefused as exc:
            checked, errors = exc.checked, exc.checked.errors
        except (FileRefused, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        for error in sorted(errors, key=lambda e: e.row):
            self.stdout.write(f"row {error.row}\t{error.column}\t{error.message}")
        if errors:
            bad = len({e.row for e in errors})
            raise CommandError(
                f"{bad} of {checked.total} rows have errors; nothing imported ({elapsed:.2f} s)"
            )
        if dry_run:
            self.stdout.write(f"checked {checked.total} rows: no errors ({elapsed:.2f} s)")
        else:
            rate = len(ids) / elapsed if elapsed else 0
            self.stdout.write(f"imported {len(ids)} {kind} rows in {elapsed:.2f} s ({rate:.0f} rows/s)")
