"""harden_db_roles: the application's own PostgreSQL role may add audit rows and read them, never
change, delete or truncate them, and works normally everywhere else."""

import io

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import errors, sql

from cases.audit import verify
from cases.models import TimelineEntry
from cases.timeline import record
from tests.factories import CaseFactory

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_role():
    # Roles are shared by the whole cluster: name it after this run's database.
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    out = io.StringIO()
    call_command("harden_db_roles", role, stdout=out)
    params = {**connection.get_connection_params(), "user": role}
    params.pop("options", None)  # not the test suite's TRUNCATE setting: the bare production session
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    yield role, conn, out.getvalue()
    conn.close()
    with connection.cursor() as cur:
        cur.execute(
            sql.SQL("DROP OWNED BY {0}; DROP ROLE {0}").format(sql.Identifier(role)).as_string(cur.cursor)
        )


def _refused(conn, statement, params=None):
    with pytest.raises(errors.InsufficientPrivilege) as caught, conn.cursor() as cur:
        cur.execute(statement, params)
    return str(caught.value)


def test_the_app_role_appends_but_cannot_change_audit_rows(app_role):
    role, conn, report = app_role
    assert "SELECT, INSERT: " in report and "cases_timelineentry" in report
    case = CaseFactory()
    first = record(case, None, "register", "登记")

    with conn.cursor() as cur:
        # Ordinary work goes on: read and change a case, add a timeline entry (chained by the
        # trigger, which writes the chain head as its owner).
        cur.execute("UPDATE cases_case SET summary = '改了摘要' WHERE id = %s", [case.pk])
        cur.execute(
            "INSERT INTO cases_timelineentry (case_id, at, action, description) "
            "VALUES (%s, now(), 'note', '应用角色写入') RETURNING seq, prev_hash",
            [case.pk],
        )
        assert cur.fetchone() == (2, first.row_hash)
        cur.execute("SELECT count(*) FROM cases_timelineentry WHERE case_id = %s", [case.pk])
        assert cur.fetchone()[0] == 2

    for statement in (
        "UPDATE cases_timelineentry SET description = 'x'",
        "DELETE FROM cases_timelineentry",
        "TRUNCATE cases_timelineentry",
        "SELECT * FROM cases_timelinehead",
        "UPDATE cases_timelinehead SET seq = 1",
        "DELETE FROM cases_timelinehead",
    ):
        assert "permission denied" in _refused(conn, statement)
    # The session setting that lets the test suite's flush truncate gives this role nothing.
    with conn.cursor() as cur:
        cur.execute("SET jiefen.allow_audit_truncate = on")
    assert "permission denied" in _refused(conn, "TRUNCATE cases_timelineentry, cases_timelinehead")
    # It owns nothing, so it cannot switch the triggers off either.
    with pytest.raises(errors.InsufficientPrivilege, match="must be owner"), conn.cursor() as cur:
        cur.execute("ALTER TABLE cases_timelineentry DISABLE TRIGGER USER")

    assert TimelineEntry.objects.filter(case=case).count() == 2
    assert verify().ok


def test_rerunning_covers_tables_added_later_and_a_new_audit_table(app_role):
    """A later migration's ordinary table gets full rights, and an audit table it protects with
    jiefen_protect_audit_table() gets SELECT and INSERT only, once the command runs again."""
    role, conn, _report = app_role
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE test_later_table (x int); CREATE TABLE test_later_log (x int)")
        cur.execute("SELECT jiefen_protect_audit_table('test_later_log')")
    try:
        out = io.StringIO()
        call_command("harden_db_roles", role, stdout=out)
        assert f"role {role} is ready" in out.getvalue()
        with conn.cursor() as cur:
            cur.execute("INSERT INTO test_later_table VALUES (1); UPDATE test_later_table SET x = 2")
            cur.execute("INSERT INTO test_later_log VALUES (1); SELECT count(*) FROM test_later_log")
            assert cur.fetchone()[0] == 1
        for statement in (
            "UPDATE test_later_log SET x = 2",
            "DELETE FROM test_later_log",
            "TRUNCATE test_later_log",
        ):
            assert "permission denied" in _refused(conn, statement)
        assert "permission denied" in _refused(
            conn, "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())"
        )
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE test_later_table, test_later_log")
