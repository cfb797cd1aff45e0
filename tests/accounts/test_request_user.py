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
