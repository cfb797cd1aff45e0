"""The region picker's search (accounts.region_search, /regions/search.json): by name (its own or its
town's) or by the start of a code, only among the regions the user may pick, at or below the level
the field asks for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.demo import TOWNS, VILLAGES
from accounts.models import RegionLevel
from accounts.region_search import search_regions

pytestmark = pytest.mark.django_db
URL = reverse("regions:search")


def codes(results):
    return [r["code"] for r in results]


def test_a_village_is_found_by_its_name_with_its_town(demo):
    [yangchun] = search_regions(demo["fengqiao_supervisor"], "阳春")
    assert yangchun["code"] == VILLAGES["yangchun"] and yangchun["level"] == RegionLevel.VILLAGE
    assert yangchun["label"].startswith("枫桥镇 › 阳春")


def test_a_town_name_lists_the_town_then_its_villages(demo):
    results = search_regions(demo["zhuji_supervisor"], "枫桥")
    assert results[0]["code"] == TOWNS["fengqiao"] and results[0]["label"] == "枫桥镇"
    assert VILLAGES["xianjin"] in codes(results) and VILLAGES["yangchun"] in codes(results)
    assert all(r["code"].startswith("330681109") for r in results)


def test_the_start_of_a_code_finds_the_regions_below_it(demo):
    results = search_regions(demo["zhuji_supervisor"], "330681109219")
    assert codes(results) == [VILLAGES["xianjin"]]
    assert all(
        c.startswith("3306810010") for c in codes(search_regions(demo["zhuji_supervisor"], "3306810010"))
    )


def test_only_regions_the_user_may_pick(demo):
    """A village's units pick their village only; a town's its town and villages; a department
    (which covers no region) none; another town's village is never offered."""
    assert codes(search_regions(demo["xianjin_grid_worker"], "")) == [VILLAGES["xianjin"]]
    assert search_regions(demo["xianjin_grid_worker"], "阳春") == []
    assert search_regions(demo["fengqiao_supervisor"], "江东") == []
    assert search_regions(demo["zhuji_handler"], "阳春") == []
    assert search_regions(demo["jiangdong_mediator"], "330681109") == []


def test_the_field_level_is_kept(demo):
    """A dispute is registered in a town or a village: no county in its picker."""
    user = demo["zhuji_supervisor"]
    assert "330681000000" in codes(search_regions(user, "诸暨", min_level=RegionLevel.COUNTY))
    assert "330681000000" not in codes(search_regions(user, "诸暨", min_level=RegionLevel.TOWN))
    assert {r["level"] for r in search_regions(user, "", min_level=RegionLevel.TOWN)} == {RegionLevel.TOWN}


def test_the_json_endpoint_answers_signed_in_users_in_one_query(client, demo):
    assert client.get(URL, {"q": "阳春"}).status_code == 302  # to the login page
    client.force_login(demo["fengqiao_supervisor"])
    client.get(URL, {"q": "阳春"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "阳春", "level": "4"})
    data = response.json()
    assert [r["code"] for r in data["results"]] == [VILLAGES["yangchun"]]
    assert len(queries) == 3  # session, user (with unit), the regions
    assert client.get(URL, {"q": "阳春", "level": "x"}).status_code == 200
    assert client.get(URL, {"q": "%" * 100}).json() == {"results": []}


def test_a_nul_in_the_search_is_a_separator_not_a_500(client, demo):
    # PostgreSQL text cannot hold NUL; found by tests/security/test_hostile_new_forms.py.
    client.force_login(demo["fengqiao_supervisor"])
    response = client.get(URL, {"q": "阳春\x00"})
    assert response.status_code == 200
    assert VILLAGES["yangchun"] in codes(response.json()["results"])
