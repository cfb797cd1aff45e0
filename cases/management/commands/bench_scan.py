"""Benchmark of the deadline scanner (not a test): seed N open deadlines, time scan() and its re-run.

    python manage.py bench_scan --deadlines 100000 --due-fraction 0.01

Run it against a throw-away PostgreSQL database (DATABASE_URL); it deletes nothing it did not
create, but it creates a lot.
"""

import datetime
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.demo import VILLAGES, seed_demo
from cases.deadlines import end_of_day, rule_for
from cases.models import Case, CaseKind, Deadline, Reminder
from cases.reminders import scan

BATCH = 10000


class Command(BaseCommand):
    help = "Seed N open deadlines and print the scan's time and query count (first run and re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--deadlines", type=int, default=100000)
        parser.add_argument(
            "--due-fraction", type=float, default=0.01, help="share due within 3 working days"
        )

    def handle(self, deadlines, due_fraction, **options):
        seed_demo()
        rule = rule_for("performance")
        today = timezone.localdate()
        due_every = max(1, round(1 / due_fraction)) if due_fraction else 0
        started = time.monotonic()
        made = 0
        while made < deadlines:
            n = min(BATCH, deadlines - made)
            with transaction.atomic():
                now = timezone.now()
                cases = Case.objects.bulk_create(
                    [
                        Case(
                            kind=CaseKind.DISPUTE,
                            region_id=VILLAGES["xianjin"],
                            status="bench",
                            opened_at=now,
                        )
                        for _ in range(n)
                    ]
                )
                rows = []
                for i, case in enumerate(cases, start=made):
                    due = today + datetime.timedelta(days=1 if due_every and i % due_every == 0 else 60)
                    rows.append(
                        Deadline(case=case, rule=rule, start_date=today, due_date=due, due_at=end_of_day(due))
                    )
                Deadline.objects.bulk_create(rows)
            made += n
        self.stdout.write(f"seeded {made} open deadlines in {time.monotonic() - started:.1f} s")
        with connection.cursor() as cur:
            cur.execute(
                "ANALYZE cases_deadline; ANALYZE cases_reminder;"
            ) if connection.vendor == "postgresql" else None
        for label in ("first scan", "re-run"):
            before = Reminder.objects.count()
            with CaptureQueriesContext(connection) as ctx:
                t = time.monotonic()
                scan()
                elapsed = time.monotonic() - t
            created = Reminder.objects.count() - before
            self.stdout.write(
                f"{label}: {elapsed * 1000:.0f} ms, {len(ctx)} queries, {created} reminders created"
            )
        open_total = Deadline.objects.filter(state="open").count()
        self.stdout.write(f"open deadlines in the database: {open_total}")
