"""Benchmark of reminder delivery (not a test): seed N due reminders, time one forced send().

    DATABASE_URL=postgres://…/jiefen_bench_delivery python manage.py bench_delivery --reminders 100000

Run it against a throw-away PostgreSQL database: it seeds the demo county when needed, and deletes
the bench cases, reminders, users, and the notifications and orders the run wrote, unless --keep is
given. ``manage.py bench`` runs the same steps (``--only delivery``) as part of the whole benchmark.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.demo import seed_demo
from benchmarks.bench.delivery import cleanup_delivery, seed_due_reminders, time_delivery
from benchmarks.bench.run import DELIVERY_MS


class Command(BaseCommand):
    help = "Seed N due reminders and print one delivery run's time, queries, notifications and recipients."

    def add_arguments(self, parser):
        parser.add_argument("--reminders", type=int, default=100_000)
        parser.add_argument(
            "--users", type=int, default=1000, help="bench handlers the cases are spread over"
        )
        parser.add_argument("--keep", action="store_true", help="keep the seeded and written rows")

    def handle(self, reminders, users, keep=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("the benchmark needs PostgreSQL (set DATABASE_URL)")
        seed_demo()
        since = timezone.now()
        try:
            seeded = seed_due_reminders(reminders, users)
            r = time_delivery()
            ok = "yes" if r["ms"] <= DELIVERY_MS else "NO"
            each = r["queries"] / max(1, r["sent"])
            self.stdout.write(
                f"delivery of {seeded:,} due reminders: {r['seconds']:.1f} s "
                f"(target {DELIVERY_MS / 1000:.0f} s: {ok}), {r['queries']:,} queries "
                f"({each:.3f} per reminder), "
                f"{r['notifications']:,} notifications to {r['recipients']:,} recipients "
                f"(at most {r['most_per_recipient']} each), {r['orders']:,} supervision orders"
            )
        finally:
            if not keep:
                cleanup_delivery(since)
