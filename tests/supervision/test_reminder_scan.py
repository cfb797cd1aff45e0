"""The deadline scan on PostgreSQL: one INSERT for every stage, the same decisions as the stage-by-stage
loop, and scanners taking turns on an advisory lock."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.calendar import WorkCalendar
from supervision.models import Reminder, ScanRun
from supervision.pglocal import set_local
from supervision.reminders import (
    HANDLER_TRACK,
    PROBE_EACH_DEADLINE,
    SCAN_LOCK,
    _insert_in_database,
    _insert_stage,
    scan,
    scan_statement,
    stage_limits,
)
from tests.services import wait_for, waiting_on_advisory_lock
from tests.supervision.test_reminders import NOW, case_due

pytestmark = pytest.mark.requires_postgres
D = datetime.date


class Rollback(Exception):
    pass


def decided_by_the_loop(limits) -> set:
    """What the per-stage loop (other databases) inserts on the same data, rolled back afterwards."""
    try:
        with transaction.atomic():
            for i, stage in enumerate(HANDLER_TRACK):
                _insert_stage(stage, limits[stage], HANDLER_TRACK[: i + 1])
            _insert_stage("escalated", limits["escalated"], ["escalated"])
            rows = set(Reminder.objects.values_list("deadline_id", "stage", "due_date"))
            raise Rollback
    except Rollback:
        return rows


@pytest.mark.django_db
def test_one_statement_decides_what_the_stage_by_stage_loop_decides(demo):
    # Scanned on Tuesday 11-24: due from 11-04 to 12-04, each with earlier reminders of its own
    # history — none, a milder stage, the same stage, a more severe one, or one for an old due date.
    deadlines = [case_due(demo, D(2026, 11, 4) + datetime.timedelta(days=i)) for i in range(31)]
    history = [None, "due_3", "due_tomorrow", "due_today", "overdue", "escalated", "old date"]
    for i, d in enumerate(deadlines):
        earlier = history[i % len(history)]
        if earlier == "old date":
            Reminder.objects.create(
                deadline=d, stage="overdue", due_date=d.due_date - datetime.timedelta(days=9)
            )
        elif earlier:
            Reminder.objects.create(deadline=d, stage=earlier, due_date=d.due_date)
    limits = stage_limits(timezone.localdate(NOW), WorkCalendar())
    expected = decided_by_the_loop(limits)
    before = set(Reminder.objects.values_list("deadline_id", "stage", "due_date"))

    assert _insert_in_database(limits) == len(expected - before) > 0
    assert set(Reminder.objects.values_list("deadline_id", "stage", "due_date")) == expected
    assert _insert_in_database(limits) == 0


@pytest.mark.django_db
def test_every_stage_is_one_insert(demo):
    for due in (D(2026, 11, 10), D(2026, 11, 23), D(2026, 11, 24), D(2026, 11, 25), D(2026, 11, 27)):
        case_due(demo, due)
    with CaptureQueriesContext(connection) as ctx:
        assert scan(NOW) == 6  # five deadlines over the four stages of the track, and 11-10 escalated
    inserts = [q["sql"] for q in ctx.captured_queries if "INSERT INTO cases_reminder" in q["sql"]]
    assert len(inserts) == 1
    assert ScanRun.objects.get().created == 6


@pytest.mark.django_db
def test_the_unique_constraint_still_guards_against_a_second_row(demo):
    d = case_due(demo, D(2026, 11, 25))
    scan(NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(deadline=d, stage="due_tomorrow", due_date=d.due_date)


@pytest.mark.django_db(transaction=True)
def test_a_second_scanner_waits_for_the_first_and_then_finds_nothing_new():
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    demo = {u.username: u for u in User.objects.all()}
    for i in range(20):
        case_due(demo, D(2026, 11, 20) + datetime.timedelta(days=i % 10))
    results = {}

    def second():
        try:
            results["second"] = scan(NOW)
        finally:
            connection.close()

    # This connection plays the first scanner: it holds the lock and has inserted its rows.
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])
        results["first"] = scan(NOW)
        thread = threading.Thread(target=second)
        thread.start()
        assert wait_for(lambda: waiting_on_advisory_lock(SCAN_LOCK), seconds=30)
    thread.join(30)
    assert not thread.is_alive()
    # Due 11-20..11-29, two a day, on 11-24: 16 within 3 working days or past, 4 of them also escalated.
    assert results == {"first": 20, "second": 0}
    assert Reminder.objects.count() == 20


@pytest.mark.django_db
def test_the_statement_probes_the_unique_index_even_when_the_table_looks_empty(demo):
    for due in (D(2026, 11, 10), D(2026, 11, 25), D(2026, 11, 27)):
        case_due(demo, due)
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_reminder")  # no rows: what the first scan after a deployment plans with
    statement, params = scan_statement(stage_limits(timezone.localdate(NOW), WorkCalendar()))
    with transaction.atomic(), connection.cursor() as cur:
        set_local(cur, PROBE_EACH_DEADLINE)
        cur.execute("EXPLAIN " + statement, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    # Each deadline probes the unique index for its own key; never a scan of the whole reminder table
    # (or index) per deadline, which would re-read every row this statement has inserted so far.
    assert "Seq Scan on cases_reminder" not in plan and "Hash" not in plan, plan
    assert "Index Cond: ((deadline_id = d.id) AND (due_date = d.due_date))" in plan, plan
    assert "Index Cond: ((deadline_id = d_1.id) AND (stage = 'escalated'::text)" in plan, plan


@pytest.mark.django_db
def test_the_planner_settings_are_back_after_a_scan_inside_a_transaction(demo):
    case_due(demo, D(2026, 11, 25))
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        before = cur.fetchone()
        assert scan(NOW) == 1
        cur.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        assert cur.fetchone() == before


@pytest.mark.django_db
def test_a_batch_claims_its_size_when_the_table_looked_empty_to_the_planner(demo):
    """With the statistics of a new deployment (an empty reminder table) the planner put the claim's
    LIMIT … SKIP LOCKED subquery inside a nested loop, and each rescan claimed the next rows: one
    batch took every pending reminder. The batch is picked once (supervision.batch.CLAIM)."""
    from supervision.batch import _claim_rows

    for _i in range(7):
        case_due(demo, D(2026, 11, 25))
    scan(NOW)
    assert Reminder.objects.filter(state="pending").count() == 7
    sizes = []
    with connection.cursor() as cur:
        # A table with pages and no live rows at its last ANALYZE (rolled back with the test).
        cur.execute("UPDATE pg_class SET reltuples = 0, relpages = 3 WHERE relname = 'cases_reminder'")
    while rows := _claim_rows(3, NOW):
        sizes.append(len(rows))
    assert sizes == [3, 3, 1]
    assert not Reminder.objects.filter(state="pending").exists()
