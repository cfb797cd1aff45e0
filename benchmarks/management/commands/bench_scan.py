"""Benchmark of the deadline scanner (not a test): seed N open deadlines, time scan() and its re-run.

    python manage.py bench_scan --deadlines 1000000 --due-fraction 1

Run it against a throw-away PostgreSQL database (DATABASE_URL). The seeded cases, their deadlines and
the reminders the runs created are deleted afterwards unless --keep is given. ``manage.py bench``
runs the same steps as part of the whole benchmark.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.demo import VILLAGES, seed_demo
from benchmarks.bench.scan import cleanup, seed_open_deadlines, time_scan
from cases.models import Deadline


class Command(BaseCommand):
    help = "Seed N open deadlines and print the scan's time and query count (first run and re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--deadlines", type=int, default=100000)
        parser.add_argument(
            "--due-fraction", type=float, default=0.01, help="share due within 3 working days"
        )
        parser.add_argument("--keep", action="store_true", help="keep the seeded rows")

    def handle(self, deadlines, due_fraction, keep=False, **options):
        seed_demo()
        since = timezone.now()
        started = time.monotonic()
        seed_open_deadlines(deadlines, VILLAGES["xianjin"], due_fraction)
        self.stdout.write(f"seeded {deadlines} open deadlines in {time.monotonic() - started:.1f} s")
        for label in ("first scan", "re-run"):
            r = time_scan(label)
            self.stdout.write(
                f"{label}: {r['ms']:.0f} ms, {r['queries']} queries, {r['created']} reminders created"
            )
        self.stdout.write(f"open deadlines in the database: {Deadline.objects.filter(state='open').count()}")
        if not keep:
            cleanup(since)
