"""Leaks the access matrix found, kept fixed: supervision orders about an accusation addressed to
the accused unit, and a county administrator managing another county's units and accounts (or
making themselves a superuser) in the admin site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, RegionLevel, Unit, UnitKind, User
from supervision.models import SupervisionOrder
from supervision.orders import orders_for, reply_order
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def test_an_order_about_an_accusation_never_reaches_the_accused_unit(client, demo):
    accused = demo["xianjin_grid_worker"].unit
    petition = new_petition(demo["zhuji_petition_clerk"], region="330681109219")
    petition.withheld_from_unit = accused
    petition.save()
    centre = demo["zhuji_supervisor"].unit
    order = SupervisionOrder.objects.create(
        case=petition, issuing_unit=centre, target_unit=accused, required_action="督办",
        target_date=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    member = demo["xianjin_grid_worker"]
    assert not orders_for(member).exists()
    assert list(orders_for(demo["zhuji_supervisor"])) == [order]
    client.force_login(member)
    assert petition.number not in client.get(reverse("supervision:orders")).content.decode()
    assert client.get(reverse("supervision:reply", args=[order.pk])).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reply_order(member, order.pk, "回复")


@pytest.fixture
def other_county(demo):
    county = Region.objects.create(code="339901000000", name="外县", level=RegionLevel.COUNTY)
    unit = Unit.objects.create(name="外县综治中心", kind=UnitKind.GOVERNANCE_CENTRE, region=county)
    user = User.objects.create(username="outside_clerk", display_name="外县人员", unit=unit)
    return county, unit, user


def test_county_administrator_manages_only_the_county(client, demo, other_county):
    county, unit, outsider = other_county
    client.force_login(demo["zhuji_administrator"])
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "zhuji_mediator" in users and "outside_clerk" not in users
    units = client.get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert "诸暨市综治中心" in units and "外县综治中心" not in units
    # Another county's objects answer like missing ones: back to the admin index.
    for url in (
        reverse("admin:accounts_user_change", args=[outsider.pk]),
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        reverse("admin:accounts_region_change", args=[county.pk]),
    ):
        assert client.get(url)["Location"] == reverse("admin:index"), url
    assert client.get(reverse("admin:auth_user_password_change", args=[outsider.pk])).status_code == 404
    search = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "user", "field_name": "unit", "term": "综治中心"},
    ).json()
    names = {r["text"] for r in search["results"]}
    assert "诸暨市综治中心" in names and "外县综治中心" not in names


def test_county_administrator_cannot_grant_superuser_or_foreign_unit_groups(client, demo, other_county):
    _county, unit, _outsider = other_county
    admin = demo["zhuji_administrator"]
    target = demo["xianjin_mediator"]
    client.force_login(admin)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    # No group is picked by hand: roles are checkboxes, the unit group follows the unit (signals).
    assert 'name="groups"' not in page and 'name="roles"' in page
    assert f'value="{unit.group_id}"' not in page  # the other county's unit group is not offered
    form = {
        "username": target.username, "display_name": target.display_name, "unit": target.unit_id,
        "roles": ["mediator"], "groups": [unit.group_id], "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }  # fmt: skip
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    groups = set(target.groups.values_list("name", flat=True))
    assert unit.group.name not in groups and target.unit.group.name in groups and "mediator" in groups


def test_an_order_cannot_be_addressed_to_the_accused_unit(client, demo):
    from cases.transitions import TransitionError
    from supervision.orders import issue_order

    accused = demo["xianjin_grid_worker"].unit
    petition = new_petition(demo["zhuji_petition_clerk"], region="330681109219")
    petition.withheld_from_unit = accused
    petition.save()
    supervisor = demo["zhuji_supervisor"]
    with pytest.raises(TransitionError):
        issue_order(
            supervisor, petition.pk, target_unit=accused, required_action="督办",
            target_date=timezone.localdate() + datetime.timedelta(days=3),
        )  # fmt: skip
    assert not SupervisionOrder.objects.exists()
    client.force_login(supervisor)
    page = client.get(reverse("supervision:issue", args=[petition.pk])).content.decode()
    assert f'value="{accused.pk}"' not in page
