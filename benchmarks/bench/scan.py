"""The deadline scan at volume: seed N open deadlines in SQL, time scan() and its re-run, clean up.

The seeded rows are bare ``Case`` rows with status ``bench`` (no case type, no parties): the scanner
reads deadlines only. Seeding is one INSERT … SELECT generate_series per batch, so a million rows
take seconds rather than the minutes of ORM objects.
"""

import datetime
import time

from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.deadlines import rule_for
from cases.models import Case, CaseOpenedTally, Deadline, OpenCaseTally
from cases.tally import fold
from reporting import opened_tally
from supervision.models import Notification, Reminder
from supervision.reminders import scan

BENCH_STATUS = "bench"
BATCH = 200_000


def seed_open_deadlines(count: int, region_code: str, due_fraction: float = 1.0) -> None:
    """``count`` open deadlines on as many bench cases; ``due_fraction`` of them due tomorrow (within
    every reminder window), the rest in 60 days."""
    rule = rule_for("performance")
    today = timezone.localdate()
    soon, later = today + datetime.timedelta(days=1), today + datetime.timedelta(days=60)
    every = max(1, round(1 / due_fraction)) if due_fraction else 0
    case_table, deadline_table = Case._meta.db_table, Deadline._meta.db_table
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(  # table names from model metadata, values as parameters
                f"""
                WITH c AS (
                    INSERT INTO {case_table} (kind, number, summary, status, region_id, opened_at,
                                              created_at, updated_at, next_due_at)
                    SELECT 'dispute', '', '', %(status)s, %(region)s, now(), now(), now(),
                           (CASE WHEN %(every)s > 0 AND g %% %(every)s = 0 THEN %(soon)s ELSE %(later)s END
                            + time '23:59:59') AT TIME ZONE 'Asia/Shanghai'
                    FROM generate_series(1, %(n)s) AS g
                    RETURNING id, next_due_at
                )
                INSERT INTO {deadline_table} (case_id, rule_id, start_date, due_date, due_at, estimated,
                                              extended_days, computation, state, created_at)
                SELECT id, %(rule)s, %(today)s, (next_due_at AT TIME ZONE 'Asia/Shanghai')::date, next_due_at,
                       false, 0, '', 'open', now()
                FROM c
                """,  # noqa: S608
                {"status": BENCH_STATUS, "region": region_code, "n": n, "every": every, "soon": soon,
                 "later": later, "rule": rule.pk, "today": today},
            )  # fmt: skip
        made += n
    with connection.cursor() as cur:
        cur.execute(f"VACUUM (ANALYZE) {deadline_table}")
        cur.execute(f"VACUUM (ANALYZE) {Reminder._meta.db_table}")
    settle()


def settle() -> None:
    """Write out what a million-row seed or clean-up left dirty before the next measurement: a
    CHECKPOINT flushes the server's dirty pages and syncs them. Without it the next job measured
    paid for them: an import of 10,000 disputes right after the scan's clean-up took 106 s, 19 s
    alone a little later, most of the difference waiting on the disk (docs/performance.md). Needs
    a superuser or pg_checkpoint; without either the bench goes on unsettled."""
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("CHECKPOINT")
    except DatabaseError:
        pass


def time_scan(label: str) -> dict:
    before = Reminder.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        scan()
        elapsed = time.perf_counter() - started
    return {
        "label": label,
        "ms": round(elapsed * 1000, 1),
        "queries": len(ctx.captured_queries),
        "created": Reminder.objects.count() - before,
    }


def cleanup(since: datetime.datetime) -> None:
    """Drop the bench cases with their deadlines, and every reminder created since ``since``."""
    # Deleting a case checks the notifications' case_id, which has no index (a case is never
    # deleted in use), once per case at COMMIT: dead notices of earlier runs (rolled-back warning
    # scans leave thousands) made that a scan of their pages per bench case, ~7 minutes for the
    # million. A vacuum first leaves only the live ones.
    with connection.cursor() as cur:
        cur.execute(f"VACUUM {Notification._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Reminder._meta.db_table} WHERE created_at >= %s", [since])  # noqa: S608
        cur.execute(
            f"DELETE FROM {Deadline._meta.db_table} WHERE case_id IN "  # noqa: S608
            f"(SELECT id FROM {Case._meta.db_table} WHERE status = %s)",
            [BENCH_STATUS],
        )
        cur.execute(f"DELETE FROM {Case._meta.db_table} WHERE status = %s", [BENCH_STATUS])  # noqa: S608
    # The million deleted open cases stay in the open-case partial indexes as dead entries until a
    # vacuum; autovacuum gets there in its own time, and until then every open-case page of the next
    # bench run walks them (measured: dashboard and drill-down floors 0.7 -> 108 ms). Leave the
    # database as the bench found it.
    # The open-case tally and the opened-case tally (reporting.opened_tally) hold a +1 and a -1 row
    # for each of them: folded away.
    fold()
    opened_tally.fold()
    with connection.cursor() as cur:
        for model in (Case, Deadline, Reminder, OpenCaseTally, CaseOpenedTally):
            cur.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    settle()
