"""The timeline as an audit trail: hash-chained per case by PostgreSQL, append-only even for the
superuser unless triggers are switched off, and verify_audit finds every kind of tampering."""

import hashlib
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from cases.audit import CONTENT_SQL, GENESIS, protected_tables, verify
from cases.models import TimelineEntry, TimelineHead
from cases.timeline import record
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.requires_postgres


def _case():
    return CaseFactory()


def _tamper(sql, params=None):
    """What only a superuser can do: write with the triggers off (session_replication_role)."""
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        try:
            cur.execute(sql, params)
        finally:
            cur.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_entries_are_numbered_and_linked_by_the_database():
    case, actor = _case(), UserFactory()
    first = record(case, actor, "register", "登记", after={"status": "registered", "中": [1, 2.5, None]})
    second = record(
        case, None, "accept", "受理", before={"status": "registered"}, after={"status": "accepted"}
    )
    # INSERT … RETURNING hands back what the trigger wrote.
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.row_hash)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {CONTENT_SQL} FROM cases_timelineentry WHERE id = %s", [second.pk])  # noqa: S608
        content = cur.fetchone()[0]
    assert second.row_hash == hashlib.sha256((first.row_hash + content).encode()).hexdigest()
    assert '"accept"' in content and '"受理"' in content
    head = TimelineHead.objects.get(case=case)
    assert (head.seq, head.hash) == (2, second.row_hash)
    other = record(_case(), None, "note")
    assert (other.seq, other.prev_hash) == (1, GENESIS), "each case has its own chain"
    report = verify()
    assert report.ok and (report.entries, report.chains) == (3, 2)


@pytest.mark.django_db
def test_bulk_writes_and_forged_values_are_chained_too():
    case = _case()
    TimelineEntry.objects.bulk_create([TimelineEntry(case=case, action=f"import{i}") for i in range(3)])
    with connection.cursor() as cur:  # a writer that tries to choose its own place in the chain
        cur.execute(
            "INSERT INTO cases_timelineentry (case_id, at, action, description, seq, prev_hash, row_hash) "
            "VALUES (%s, now(), 'raw', '', 99, %s, %s)",
            [case.pk, "f" * 64, "f" * 64],
        )
    rows = list(TimelineEntry.objects.filter(case=case).order_by("seq").values_list("seq", "action"))
    assert rows == [(1, "import0"), (2, "import1"), (3, "import2"), (4, "raw")]
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_timelineentry SET description = 'changed'",
        "DELETE FROM cases_timelineentry",
        "TRUNCATE cases_timelineentry CASCADE",
        "UPDATE cases_timelinehead SET seq = 1",
        "DELETE FROM cases_timelinehead",
        "TRUNCATE cases_timelinehead",
    ],
)
def test_the_database_refuses_changes_even_to_the_superuser(statement):
    record(_case(), None, "note", "原文")
    with connection.cursor() as cur:
        # The suite's connections may TRUNCATE (config/settings_test.py); a session without it may not.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred foreign-key checks
        cur.execute("SET jiefen.allow_audit_truncate = off")
        try:
            with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
                cur.execute(statement)
        finally:
            cur.execute("SET jiefen.allow_audit_truncate = on")
    assert TimelineEntry.objects.get().description == "原文"


@pytest.mark.django_db
def test_the_orm_cannot_rewrite_history_in_bulk_either():
    entry = record(_case(), None, "note", "原文")
    with pytest.raises(ProgrammingError), transaction.atomic():
        TimelineEntry.objects.filter(pk=entry.pk).update(description="改写")
    with pytest.raises(ProgrammingError), transaction.atomic():
        TimelineEntry.objects.filter(pk=entry.pk).delete()
    assert TimelineEntry.objects.get().description == "原文"


@pytest.fixture
def chains(db):
    cases = [_case() for _ in range(3)]
    entries = {c.pk: [record(c, None, "note", f"第{i}条", after={"i": i}) for i in range(4)] for c in cases}
    assert verify().ok
    return cases, entries


def test_verify_finds_one_changed_row(chains):
    cases, entries = chains
    target = entries[cases[1].pk][2]
    _tamper("UPDATE cases_timelineentry SET description = '篡改' WHERE id = %s", [target.pk])
    report = verify()
    assert report.broken == 1
    assert (report.first.entry_id, report.first.seq) == (target.pk, 3)
    assert "content changed" in report.first.reason
    with pytest.raises(CommandError, match="1 broken links"):
        call_command("verify_audit", stdout=io.StringIO())


def test_verify_finds_a_rewritten_row_whose_hash_was_recomputed(chains):
    cases, entries = chains
    target = entries[cases[0].pk][1]
    _tamper(
        "UPDATE cases_timelineentry SET description = '篡改', "
        "row_hash = jiefen_timeline_row_hash(prev_hash, case_id, seq, at, actor_id, action, '篡改', before, after) "
        "WHERE id = %s",
        [target.pk],
    )
    report = verify()
    assert report.broken == 1
    assert report.first.entry_id == entries[cases[0].pk][2].pk, "the next link no longer points to it"
    assert "prev_hash" in report.first.reason


def test_verify_finds_a_removed_row_and_a_cut_off_end(chains):
    cases, entries = chains
    _tamper("DELETE FROM cases_timelineentry WHERE id = %s", [entries[cases[0].pk][1].pk])
    _tamper("DELETE FROM cases_timelineentry WHERE id = %s", [entries[cases[2].pk][3].pk])
    report = verify()
    reasons = {(b.case_id, b.seq): b.reason for b in report.breaks}
    assert "missing before it" in reasons[(cases[0].pk, 3)]
    assert "head records seq 4" in reasons[(cases[2].pk, 3)]
    assert report.broken == 2 and report.first.case_id == cases[0].pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_cannot_fork_a_chain():
    """20 threads, each on its own connection, write 5 entries to one new case at the same time:
    the first entries race to create the chain head, the rest queue on its lock."""
    case = _case()
    barrier = threading.Barrier(20)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    record(case, None, "note", f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(TimelineEntry.objects.filter(case=case).values_list("seq", flat=True)) == list(
        range(1, 101)
    )
    report = verify()
    assert report.ok and report.entries == 100


@pytest.mark.django_db(transaction=True)
def test_a_session_without_the_test_setting_cannot_truncate():
    """The flush after this very test TRUNCATEs through the suite's session setting; a plain
    superuser session may not."""
    import psycopg2

    record(_case(), None, "note")
    params = connection.get_connection_params()
    params.pop("options", None)
    conn = psycopg2.connect(**params)
    try:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"), conn.cursor() as cur:
            cur.execute("TRUNCATE cases_timelineentry, cases_timelinehead CASCADE")
    finally:
        conn.close()
    assert TimelineEntry.objects.count() == 1


@pytest.mark.django_db
def test_protected_tables_are_found_by_their_trigger():
    assert {"cases_timelineentry", "cases_timelinehead", "cases_personaldataaccess"} <= set(
        protected_tables()
    )


def test_retention_cannot_be_set_below_six_months():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "AUDIT_RETENTION_DAYS": "90"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "AUDIT_RETENTION_DAYS cannot be below 180" in result.stderr
