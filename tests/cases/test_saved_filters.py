"""Saved list filters (cases.saved_filters): save the current filter of a list under a name, rename,
delete, show on the home page with counts that pass the one visibility rule, in a fixed number of
queries; only the owner reaches a filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases import saved_filters
from cases.models import SavedFilter
from mediation.models import RiskLevel
from tests.dispute_helpers import new_dispute
from tests.supervision.test_inbox import HOME_QUERIES

pytestmark = pytest.mark.django_db


def red():
    return RiskLevel.objects.get(code="red").pk


def save(client, user, name, query, list_name="disputes", on_home=True):
    client.force_login(user)
    data = {"list": list_name, "query": query, "name": name}
    if on_home:
        data["on_home"] = "1"
    return client.post(reverse("filters:save"), data)


def test_the_current_filter_is_saved_under_a_name_without_its_page(client, demo):
    user = demo["fengqiao_supervisor"]
    response = save(client, user, " 本镇红色风险 ", f"q=&risk_level={red()}&scope=all&page=3")
    saved = SavedFilter.objects.get(user=user)
    assert saved.name == "本镇红色风险" and saved.on_home and saved.list_name == "disputes"
    assert saved.query == f"risk_level={red()}&scope=all"  # no page, no empty field
    assert response.status_code == 302 and response["Location"] == f"/disputes/?{saved.query}"


def test_a_filter_is_refused_without_a_name_twice_or_with_errors(client, demo):
    user = demo["fengqiao_supervisor"]
    saved_filters.save_filter(user, "disputes", "overdue=on", "我的逾期")
    for name, query, message in (
        ("", "overdue=on", "Give the filter a name."),
        ("我的逾期", "scope=mine", "You already have a filter of that name."),
        ("坏的", "region=abc", "The filter has errors; correct it before saving."),
        ("x" * 41, "overdue=on", "A filter's name has at most 40 characters."),
    ):
        with pytest.raises(saved_filters.SavedFilterError) as refused, translation.override("en"):
            saved_filters.save_filter(user, "disputes", query, name)
        assert str(refused.value) == message
    assert SavedFilter.objects.filter(user=user).count() == 1
    client.force_login(user)
    assert client.post(reverse("filters:save"), {"list": "nothing", "name": "x"}).status_code == 404


def test_the_same_name_may_be_used_by_another_user(demo):
    saved_filters.save_filter(demo["fengqiao_supervisor"], "disputes", "overdue=on", "我的逾期")
    saved_filters.save_filter(demo["xianjin_mediator"], "petitions", "overdue=on", "我的逾期")
    assert SavedFilter.objects.filter(name="我的逾期").count() == 2


def test_rename_show_on_home_and_delete_by_the_owner_only(client, demo):
    owner, other = demo["fengqiao_supervisor"], demo["fengqiao_mediator"]
    saved = saved_filters.save_filter(owner, "disputes", "overdue=on", "我的逾期")
    url = reverse("filters:change", args=[saved.pk])
    client.force_login(other)
    for data in (
        {"action": "rename", "name": "偷看"},
        {"action": "home", "on_home": "1"},
        {"action": "delete"},
    ):
        assert client.post(url, data).status_code == 404
    assert client.get(reverse("filters:list")).context["rows"] == []
    saved.refresh_from_db()
    assert saved.name == "我的逾期" and not saved.on_home
    client.force_login(owner)
    assert client.post(url, {"action": "rename", "name": "逾期未办"}).status_code == 302
    assert client.post(url, {"action": "home", "on_home": "1"}).status_code == 302
    saved.refresh_from_db()
    assert saved.name == "逾期未办" and saved.on_home
    listing = client.get(reverse("filters:list"))
    assert [row["filter"].pk for row in listing.context["rows"]] == [saved.pk]
    assert "逾期未办" in listing.content.decode()
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_home_shows_each_filter_with_its_count_through_the_scoping_rule(client, demo):
    """The same saved query counts what each owner may see: the town supervisor sees the village's
    red-risk disputes, the mediator of another town none of them."""
    risky = RiskLevel.objects.get(code="red")
    for _ in range(3):
        new_dispute(demo["xianjin_mediator"], risk_level=risky)
    new_dispute(demo["xianjin_mediator"])  # yellow
    new_dispute(demo["jiangdong_mediator"], village="jiangdong", risk_level=risky)
    query = f"risk_level={risky.pk}"
    town = saved_filters.save_filter(
        demo["fengqiao_supervisor"], "disputes", query, "本镇红色风险", on_home=True
    )
    saved_filters.save_filter(demo["jiangdong_mediator"], "disputes", query, "本镇红色风险", on_home=True)
    saved_filters.save_filter(demo["fengqiao_supervisor"], "disputes", "overdue=on", "不在首页")

    [row] = saved_filters.home_filters(demo["fengqiao_supervisor"])
    assert row["filter"] == town and row["count"] == 3 and not row["more"]
    assert [r["count"] for r in saved_filters.home_filters(demo["jiangdong_mediator"])] == [1]

    client.force_login(demo["fengqiao_supervisor"])
    html = client.get("/").content.decode()
    assert 'id="saved-filters"' in html and "本镇红色风险" in html and "不在首页" not in html
    assert f'href="/disputes/?risk_level={risky.pk}"' in html


def test_a_count_stops_at_the_list_cap(demo, monkeypatch):
    monkeypatch.setattr(saved_filters, "CAP", 2)
    for _ in range(3):
        new_dispute(demo["xianjin_mediator"])
    saved_filters.save_filter(demo["xianjin_mediator"], "disputes", "", "全部", on_home=True)
    [row] = saved_filters.home_filters(demo["xianjin_mediator"])
    assert row["count"] == 2 and row["more"]


def test_a_filter_that_no_longer_validates_is_shown_without_a_count(demo):
    user = demo["xianjin_mediator"]
    SavedFilter.objects.create(
        user=user, list_name="disputes", name="旧的", query="risk_level=999999", on_home=True
    )
    SavedFilter.objects.create(user=user, list_name="gone", name="没了", query="", on_home=True)
    rows = saved_filters.home_filters(user)
    assert [(r["filter"].name, r["count"]) for r in rows] == [("旧的", None), ("没了", None)]
    assert rows[1]["url"] == ""


@pytest.mark.parametrize("filters", [0, 1, 5])
def test_home_page_queries_stay_fixed_whatever_the_number_of_saved_filters(client, demo, filters):
    user = demo["fengqiao_supervisor"]
    new_dispute(demo["xianjin_mediator"])
    for n in range(filters):
        saved_filters.save_filter(
            user, "disputes" if n % 2 else "petitions", "overdue=on", f"筛选{n}", on_home=True
        )
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    # the home page's own, plus one query for all the counts when there is a filter to count
    assert len(queries) == HOME_QUERIES + (1 if filters else 0), [q["sql"][:100] for q in queries]


def test_a_name_with_a_nul_is_refused_in_chinese_not_a_500(client, demo):
    # PostgreSQL text cannot hold NUL; found by tests/security/test_hostile_new_forms.py.
    user = demo["fengqiao_supervisor"]
    response = save(client, user, "我的\x00逾期", "scope=all")
    assert response.status_code == 302 and not SavedFilter.objects.filter(user=user).exists()
    with pytest.raises(saved_filters.SavedFilterError) as refused:
        saved_filters.clean_name("a\x00b")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))


@pytest.mark.parametrize(
    "query", ["q=" + "纠" * 300, "zz=" + "y" * 20000, "region=abc\r\nSet-Cookie: x=1", "q=a\r\nX-Evil: 1"]
)
def test_a_hostile_query_is_saved_encoded_or_refused_with_a_way_back(client, demo, query):
    """A posted filter too long for its column or an address, or with a CR/LF, is refused with the
    list's address encoded again (it was a 400 or a 500), or stored encoded."""
    user = demo["fengqiao_supervisor"]
    response = save(client, user, "探测", query)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/disputes/") and "\r" not in location and "\n" not in location
    assert len(location) <= 1100
    for saved in SavedFilter.objects.filter(user=user):
        assert "\r" not in saved.query and len(saved.query) <= saved_filters.QUERY_LENGTH
