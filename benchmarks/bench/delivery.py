"""Reminder delivery at volume: seed N due reminders in SQL, time one forced send(), clean up.

The seeded rows are bare ``Case`` rows with status ``bench`` (no case type, no parties), each with an
open deadline and one pending reminder, handled by one of ``users`` bench handlers spread over the
demo county's units (so recipients are many, as in a county, not one). Of every ten reminders six
are due tomorrow, two overdue (the handler and the supervisors of the handling unit's place), one
escalated (the supervisors one level up, and an automatic supervision order) and one due today on a
case without a handler (the members of the handling unit). What is measured: seconds, queries,
notifications written, recipients, and the most notifications one recipient got from the run (1).
"""

import datetime
import time

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from benchmarks.bench.scan import BENCH_STATUS, cleanup, settle
from cases.deadlines import rule_for
from cases.models import Case, Deadline, TimelineEntry, TimelineHead
from supervision.models import Notification, Reminder, SupervisionOrder
from supervision.reminders import send

BENCH_USER = "bench_delivery_"
BATCH = 100_000
UNUSABLE = "!"  # no password: nobody logs in as a bench handler


def bench_handlers(count: int) -> list[User]:
    """``count`` active bench handlers, round robin over the units that cover their region."""
    units = list(Unit.objects.exclude(kind=UnitKind.DEPARTMENT).order_by("pk"))
    have = {u.username for u in User.objects.filter(username__startswith=BENCH_USER)}
    User.objects.bulk_create(
        [
            User(username=f"{BENCH_USER}{i:05d}", unit=units[i % len(units)], password=UNUSABLE)
            for i in range(count)
            if f"{BENCH_USER}{i:05d}" not in have
        ]
    )
    return list(User.objects.filter(username__startswith=BENCH_USER).select_related("unit").order_by("pk"))


def seed_due_reminders(count: int, users: int) -> int:
    """``count`` bench cases, each with an open deadline and one pending reminder; returns the count."""
    handlers = bench_handlers(users)
    rule = rule_for("performance")
    today = timezone.localdate()
    days = {"due_tomorrow": 1, "overdue": -1, "escalated": -10, "due_today": 0}
    due = {stage: today + datetime.timedelta(days=d) for stage, d in days.items()}
    ids = [h.pk for h in handlers]
    units = [h.unit_id for h in handlers]
    regions = [h.unit.region_id for h in handlers]
    case_table, deadline_table = Case._meta.db_table, Deadline._meta.db_table
    reminder_table = Reminder._meta.db_table
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(  # table names from model metadata, values as parameters
                f"""
                WITH g AS (
                    SELECT g, (g %% 10) AS k, (g %% cardinality(%(ids)s::int[])) + 1 AS h
                    FROM generate_series(%(first)s, %(last)s) AS g
                ), s AS (
                    SELECT g, h, CASE WHEN k < 6 THEN 'due_tomorrow' WHEN k < 8 THEN 'overdue'
                                      WHEN k = 8 THEN 'escalated' ELSE 'due_today' END AS stage,
                           k = 9 AS unhandled,
                           CASE WHEN k < 6 THEN %(tomorrow)s::date WHEN k < 8 THEN %(overdue)s::date
                                WHEN k = 8 THEN %(escalated)s::date ELSE %(today)s::date END AS day
                    FROM g
                ), c AS (
                    INSERT INTO {case_table} (kind, number, summary, status, region_id, handling_unit_id,
                                              handler_id, opened_at, created_at, updated_at, next_due_at)
                    SELECT 'dispute', 'BENCH-' || s.g, '提醒基准', %(status)s, (%(regions)s::text[])[s.h],
                           (%(units)s::int[])[s.h],
                           CASE WHEN s.unhandled THEN NULL ELSE (%(ids)s::int[])[s.h] END,
                           now(), now(), now(), (s.day + time '23:59:59') AT TIME ZONE 'Asia/Shanghai'
                    FROM s ORDER BY s.g
                    RETURNING id, number
                ), d AS (
                    INSERT INTO {deadline_table} (case_id, rule_id, start_date, due_date, due_at, estimated,
                                                  extended_days, computation, state, created_at)
                    SELECT c.id, %(rule)s, %(today)s, s.day, (s.day + time '23:59:59') AT TIME ZONE
                           'Asia/Shanghai', false, 0, '', 'open', now()
                    FROM c JOIN s ON c.number = 'BENCH-' || s.g
                    RETURNING id, case_id, due_date
                )
                INSERT INTO {reminder_table} (deadline_id, stage, due_date, state, created_at)
                SELECT d.id, s.stage, d.due_date, 'pending', now()
                FROM d JOIN c ON c.id = d.case_id JOIN s ON c.number = 'BENCH-' || s.g
                """,  # noqa: S608
                {"status": BENCH_STATUS, "ids": ids, "units": units, "regions": regions, "rule": rule.pk,
                 "first": made + 1, "last": made + n, "today": today, "tomorrow": due["due_tomorrow"],
                 "overdue": due["overdue"], "escalated": due["escalated"]},
            )  # fmt: skip
        made += n
    with connection.cursor() as cur:
        for model in (Case, Deadline, Reminder):
            cur.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    settle()
    return made


def time_delivery(now: datetime.datetime | None = None) -> dict:
    """One forced send(): what a run at any hour does for the in-app notices."""
    since = timezone.now()
    pending = Reminder.objects.filter(state="pending").count()
    count = [0]

    def counting(execute, sql, params, many, context):  # CaptureQueriesContext keeps only 9,000
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        sent = send(now, force=True)
        elapsed = time.perf_counter() - started
    written = Notification.objects.filter(created_at__gte=since, kind="reminder")
    per_user = written.values("user_id").annotate(n=Count("pk")).order_by("-n")
    return {
        "reminders": pending,
        "sent": sent,
        "ms": round(elapsed * 1000, 1),
        "seconds": round(elapsed, 2),
        "queries": count[0],
        "notifications": written.count(),
        "recipients": per_user.count(),
        "most_per_recipient": per_user[0]["n"] if per_user else 0,
        "orders": SupervisionOrder.objects.filter(created_at__gte=since).count(),
    }


def _drop_bench_timelines() -> None:
    """The timeline entries delivery wrote on bench cases (an escalation whose order no unit may
    issue records "order_not_issued"): audit rows are append-only, so the throw-away bench database
    lifts its own guard for this one statement (ALTER TABLE is transactional)."""
    entry, head = TimelineEntry._meta.db_table, TimelineHead._meta.db_table
    bench = f"SELECT id FROM {Case._meta.db_table} WHERE status = %s"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cur:
        for table in (entry, head):
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER jiefen_append_only")
            cur.execute(f"DELETE FROM {table} WHERE case_id IN ({bench})", [BENCH_STATUS])  # noqa: S608
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER jiefen_append_only")


def cleanup_delivery(since: datetime.datetime) -> None:
    """Drop what the delivery bench wrote (notifications, orders), then the bench cases and users."""
    bench = Case.objects.filter(status=BENCH_STATUS).values("pk")
    Notification.objects.filter(created_at__gte=since).delete()
    # Deleting a case checks the notifications' case_id, which has no index (a hand-off's case is
    # never deleted in use): without a vacuum each check walks every dead hand-off notice of the run
    # (~800,000 for 100,000 reminders), per bench case.
    with connection.cursor() as cur:
        cur.execute(f"VACUUM {Notification._meta.db_table}")
    SupervisionOrder.objects.filter(case_id__in=bench).delete()
    _drop_bench_timelines()
    cleanup(since)
    User.objects.filter(username__startswith=BENCH_USER).delete()
