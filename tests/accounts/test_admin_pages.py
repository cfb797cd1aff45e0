"""The county administrator's account pages (accounts.admin): Chinese role names instead of group
names, unit and roles in the list, search, disabling in one click after a confirmation, and every
one of them limited to the administrator's jurisdiction (accounts.scoping.visible_users)."""

import re

import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import Region, RegionLevel, Unit, UnitKind, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo["zhuji_administrator"])
    return client


@pytest.fixture
def outsider(demo):
    county = Region.objects.create(code="339901000000", name="外县", level=RegionLevel.COUNTY)
    unit = Unit.objects.create(name="外县综治中心", kind=UnitKind.GOVERNANCE_CENTRE, region=county)
    user = User.objects.create(username="outside_clerk", display_name="外县人员", unit=unit)
    user.groups.add(roles.ensure_role_groups()[roles.MEDIATOR])
    return user


def test_user_list_shows_unit_and_chinese_role_names(admin_client, demo):
    page = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    mediator = demo["xianjin_mediator"]
    assert mediator.unit.name in page
    cells = re.findall(r'class="field-role_names">([^<]*)<', page)
    assert "调解员" in cells and "网格员" in cells  # roles by their Chinese names
    assert not any(re.search(r"[a-z_]", cell) for cell in cells)  # never grid_worker, unit:3306…
    assert "unit:33" not in page  # unit groups appear nowhere, not even in the filter


def test_user_list_costs_the_same_queries_whatever_the_number_of_users(
    admin_client, demo, django_assert_max_num_queries
):
    url = reverse("admin:accounts_user_changelist")
    admin_client.get(url)
    unit = demo["xianjin_mediator"].unit
    mediator_group = roles.ensure_role_groups()[roles.MEDIATOR]
    for n in range(30):
        User.objects.create(username=f"extra{n}", unit=unit).groups.add(mediator_group)
    with django_assert_max_num_queries(14):
        assert admin_client.get(url).status_code == 200


def test_user_list_searches_by_name_unit_and_filters_by_role(admin_client, demo):
    url = reverse("admin:accounts_user_changelist")
    mediator = demo["xianjin_mediator"]
    page = admin_client.get(url, {"q": mediator.display_name}).content.decode()
    assert mediator.username in page and "zhuji_supervisor" not in page
    page = admin_client.get(url, {"q": "枫桥镇"}).content.decode()
    assert "fengqiao_supervisor" in page and "xianjin_mediator" not in page
    page = admin_client.get(url, {"role": roles.STATISTICIAN}).content.decode()
    assert "zhuji_statistician" in page and "zhuji_mediator" not in page


def test_user_list_and_search_never_show_another_county(admin_client, outsider):
    url = reverse("admin:accounts_user_changelist")
    assert "outside_clerk" not in admin_client.get(url, {"q": "外县"}).content.decode()
    assert "outside_clerk" not in admin_client.get(url, {"role": roles.MEDIATOR}).content.decode()


def test_disabling_asks_first_then_signs_the_person_out(admin_client, demo):
    target = demo["xianjin_grid_worker"]
    url = reverse("admin:accounts_user_disable", args=[target.pk])
    list_page = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert url in list_page  # one click from the list
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "停用" in text and target.display_name in text and "网格员" in text
    target.refresh_from_db()
    assert target.is_active  # the confirmation page changes nothing
    response = admin_client.post(url)
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(object_id=str(target.pk), user=demo["zhuji_administrator"]).exists()


def test_an_administrator_cannot_disable_another_countys_user_or_themselves(admin_client, demo, outsider):
    url = reverse("admin:accounts_user_disable", args=[outsider.pk])
    assert admin_client.get(url)["Location"] == reverse("admin:index")
    assert admin_client.post(url)["Location"] == reverse("admin:index")
    outsider.refresh_from_db()
    assert outsider.is_active
    me = demo["zhuji_administrator"]
    admin_client.post(reverse("admin:accounts_user_disable", args=[me.pk]))
    me.refresh_from_db()
    assert me.is_active


def test_disable_is_for_staff_only(client, demo):
    client.force_login(demo["zhuji_supervisor"])
    target = demo["xianjin_grid_worker"]
    response = client.post(reverse("admin:accounts_user_disable", args=[target.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    target.refresh_from_db()
    assert target.is_active


def test_add_a_user_with_a_role_in_one_form(admin_client, demo):
    unit = demo["xianjin_grid_worker"].unit
    page = admin_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "网格员" in page and 'value="administrator"' not in page  # only a superuser grants it
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_clerk", "display_name": "新同事", "unit": unit.pk, "roles": ["petition_clerk"],
            "usable_password": "true", "password1": "Zhuji-2026-ok!", "password2": "Zhuji-2026-ok!",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_clerk")
    assert user.unit == unit and roles.roles_of(user) == {roles.PETITION_CLERK}
    assert user.groups.filter(pk=unit.group_id).exists()  # the unit group came with the unit


def test_a_county_administrator_keeps_but_cannot_grant_the_administrator_role(admin_client, demo):
    target = demo["zhuji_statistician"]
    form = {
        "username": target.username, "display_name": target.display_name, "unit": target.unit_id,
        "roles": ["statistician", "administrator"], "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:accounts_user_change", args=[target.pk]), form)
    # "administrator" is not among the choices: the form refuses it, nothing changes.
    assert response.status_code == 200
    assert roles.roles_of(User.objects.get(pk=target.pk)) == {roles.STATISTICIAN}
    form["roles"] = ["handler"]
    assert admin_client.post(reverse("admin:accounts_user_change", args=[target.pk]), form).status_code == 302
    assert roles.roles_of(User.objects.get(pk=target.pk)) == {roles.HANDLER}
