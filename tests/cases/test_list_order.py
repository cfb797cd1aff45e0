"""The case lists' order is the same whichever way it is written for the database: along the list
indexes for a county or more, as COALESCE(column, column) (sorted) for a town, a village or a
department (cases.selectors.list_order, docs/performance.md)."""

import datetime

import pytest
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.scoping_regions import sees_a_large_jurisdiction
from cases.selectors import BY_DUE_DATE, NEWEST, list_order
from mediation.selectors import dispute_list
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def test_who_sees_a_large_jurisdiction(demo, django_user_model):
    assert sees_a_large_jurisdiction(demo["zhuji_supervisor"])
    assert not sees_a_large_jurisdiction(demo["fengqiao_supervisor"])
    assert not sees_a_large_jurisdiction(demo["xianjin_supervisor"])
    assert not sees_a_large_jurisdiction(demo["zhuji_handler"])  # a department: grants and its own cases
    assert sees_a_large_jurisdiction(django_user_model(is_superuser=True, is_active=True))


def test_both_ways_give_the_same_order(demo, settings):
    mediator = demo["xianjin_mediator"]
    now = timezone.now()
    made = []
    for i, due in enumerate((5, None, -2, 5, None, 1)):
        dispute = new_dispute(mediator)
        dispute.next_due_at = None if due is None else now + datetime.timedelta(days=due)
        dispute.opened_at = now - datetime.timedelta(hours=i % 3)
        dispute.save(update_fields=["next_due_at", "opened_at"])
        made.append(dispute)
    expected_due = sorted(
        made,
        key=lambda d: (d.next_due_at is None, d.next_due_at or now, -d.opened_at.timestamp(), -d.pk),
    )
    expected_newest = sorted(made, key=lambda d: (-d.opened_at.timestamp(), -d.pk))
    village, county = demo["xianjin_supervisor"], demo["zhuji_supervisor"]
    for user in (village, county):
        assert list(dispute_list(user, {})) == expected_due, user.username
        assert list(dispute_list(user, {"sort": "-opened"})) == expected_newest, user.username
    # The village's order is written so that no index matches it; the county's is the plain columns.
    assert "COALESCE" in str(dispute_list(village, {}).query)
    assert "COALESCE" not in str(dispute_list(county, {}).query)
    assert len(list_order(village, BY_DUE_DATE)) == 3 and len(list_order(county, NEWEST)) == 2
    assert all(d.region_id == VILLAGES["xianjin"] for d in made)
