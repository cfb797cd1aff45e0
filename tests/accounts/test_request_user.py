"""The request's user is loaded with the unit, its region, the roles and the unread notification
count in one query (accounts.backends), fresh on every request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import load_request_user
from accounts.roles import roles_of
from accounts.scoping import _unit
from supervision.models import Notification

pytestmark = pytest.mark.django_db


def test_one_query_holds_unit_region_roles_and_unread_count(demo):
    user = demo["fengqiao_supervisor"]
    Notification.objects.create(user=user, title="a", body="b")
    Notification.objects.create(user=user, title="c", body="d", read_at=timezone.now())
    Notification.objects.create(user=demo["xianjin_mediator"], title="e", body="f")
    with CaptureQueriesContext(connection) as ctx:
        loaded = load_request_user(user.pk)
        roles, unit = roles_of(loaded), _unit(loaded)
        region = unit.region.prefix
    assert len(ctx) == 1
    fresh = type(user).objects.get(pk=user.pk)
    assert roles == roles_of(fresh) == {"supervisor"}
    assert unit == _unit(fresh) and region == _unit(fresh).region.prefix
    assert loaded._jiefen_unread_notifications == 1
    assert load_request_user(10**9) is None


def test_a_user_without_unit_or_roles(demo):
    user = type(demo["fengqiao_supervisor"]).objects.create_user("loner", password="x" * 12)
    loaded = load_request_user(user.pk)
    assert roles_of(loaded) == set() and _unit(loaded) is None
    assert loaded._jiefen_unread_notifications == 0


def test_roles_unit_and_notifications_changed_elsewhere_show_on_the_next_request(client, demo):
    user = demo["xianjin_mediator"]
    client.force_login(user)
    first = client.get("/")
    assert first.context["unread_notifications"] == 0 and "调解员" in first.context["current_roles"]
    Notification.objects.create(user=user, title="a", body="b")
    user.groups.remove(Group.objects.get(name="mediator"))
    user.groups.add(Group.objects.get(name="statistician"))
    second = client.get("/")
    assert second.context["unread_notifications"] == 1
    assert [str(r) for r in second.context["current_roles"]] == ["统计员"]
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


@pytest.mark.requires_postgres
def test_the_prepared_statement_reads_what_the_plain_one_reads(demo, settings):
    """PostgreSQL: prepared once per database session, then run by id; the same row as the plain
    statement, one statement per request either way."""
    if connection.vendor != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's")
    names = ("zhuji_supervisor", "fengqiao_mediator", "xianjin_grid1", "zhuji_petition_clerk")
    Notification.objects.create(user=demo["fengqiao_mediator"], title="a", body="b")

    def read(name):
        user = load_request_user(demo[name].pk)
        flags = {k: v for k, v in vars(user).items() if k.startswith("_jiefen_") and k != "_jiefen_unit"}
        return flags | {"unit": user.unit_id, "region": user.unit.region_id if user.unit else None}

    settings.PREPARED_STATEMENTS = False
    plain = {name: read(name) for name in names}
    settings.PREPARED_STATEMENTS = True
    with CaptureQueriesContext(connection) as ctx:
        prepared = {name: read(name) for name in names}
    assert prepared == plain
    assert plain["fengqiao_mediator"]["_jiefen_unread_notifications"] == 1
    assert len(ctx) == len(names) and all(q["sql"].startswith("EXECUTE jiefen_request_user_") for q in ctx)


@pytest.mark.requires_postgres
def test_a_new_database_session_prepares_the_statement_again(db, settings):
    """A reconnect starts a session without the statement: it is prepared there before it is run,
    never assumed from the connection object that outlived the old session."""
    if connection.vendor != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's")
    from django.db import connections

    settings.PREPARED_STATEMENTS = True
    other = connections.create_connection("default")
    try:
        for _session in range(2):
            assert load_request_user_on(other, 10**9) is None  # no such user; the statement ran
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'jiefen_%%'")
                assert cursor.fetchone()[0] == 1
            other.close()  # the next round is a new server session
    finally:
        other.close()


def load_request_user_on(wrapper, user_id):
    from accounts.backends import _compiled_query

    return _compiled_query(wrapper).fetch(wrapper, user_id)
