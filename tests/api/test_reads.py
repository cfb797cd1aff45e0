"""Reads: every one through accounts.scoping for the user behind the call, parties masked exactly
as the pages mask them for that user's role (the test compares the API with the pages)."""

import re

import pytest
from django.test import Client

from cases.models import PersonalDataAccess
from supervision.orders import issue_order
from tests.api.helpers import bearer, county_centre, service_client, token_for
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dispute_list_and_detail_through_a_token(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    client = bearer(token_for(service_client(county_centre())))
    listed = client.get("/api/v1/disputes/").json()
    assert [row["number"] for row in listed["results"]] == [dispute.number]
    assert listed["results"][0]["parties"] == ["张*明", "李*"]
    detail = client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert detail["number"] == dispute.number and detail["status"] == "registered"
    # A grid worker's service user sees parties masked, as a grid worker does on the page.
    assert {p["name"] for p in detail["parties"]} == {"张*明", "李*"}
    assert all(not p["full"] for p in detail["parties"])


def test_a_case_outside_the_clients_unit_is_404_like_a_missing_one(demo):
    dispute = new_dispute(demo["xianjin_mediator"], village="xianjin")
    fengqiao = demo["fengqiao_mediator"].unit
    other_town = service_client(fengqiao.__class__.objects.get(name="暨阳街道综治中心"), system="jiyang")
    client = bearer(token_for(other_town))
    assert client.get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404
    assert client.get("/api/v1/disputes/999999/").status_code == 404
    assert client.get("/api/v1/disputes/").json()["results"] == []
    assert client.get(f"/api/v1/cases/{dispute.pk}/timeline/").status_code == 404
    assert client.get(f"/api/v1/cases/{dispute.pk}/deadlines/").status_code == 404


@pytest.mark.parametrize("username", ["xianjin_mediator", "xianjin_grid_worker", "zhuji_statistician"])
def test_masking_is_the_pages_masking_for_each_role(demo, username):
    dispute = new_dispute(demo["xianjin_mediator"])
    user = demo[username]
    session = _session(user)
    page = session.get(f"/disputes/{dispute.pk}/").content.decode()
    api = session.get(f"/api/v1/disputes/{dispute.pk}/").json()
    for party in api["parties"]:
        for key in ("name", "id_number", "phone"):
            if party[key]:
                assert party[key] in page, (key, party[key])
    listed = session.get("/disputes/").content.decode()
    api_list = session.get("/api/v1/disputes/").json()["results"][0]["parties"]
    assert all(name in listed for name in api_list)
    full = username == "xianjin_mediator"
    assert ("11010519491231002X" in str(api)) is full
    assert ("13800138000" in str(api)) is full


def test_a_full_view_through_the_api_is_logged_like_the_pages(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    before = PersonalDataAccess.objects.count()
    _session(demo["xianjin_mediator"]).get(f"/api/v1/disputes/{dispute.pk}/")
    rows = list(PersonalDataAccess.objects.order_by("-pk")[:2])
    # One row per party whose ID number or phone was shown in full, as for the page.
    assert PersonalDataAccess.objects.count() == before + 2
    assert {(r.via, r.user_id, r.case_id) for r in rows} == {
        ("api:dispute_detail", demo["xianjin_mediator"].pk, dispute.pk)
    }


def test_list_filters_are_the_list_pages(demo):
    mediator = demo["xianjin_mediator"]
    first = new_dispute(mediator, summary="第一起排水纠纷")
    new_dispute(mediator, summary="第二起宅基地纠纷")
    client = _session(mediator)
    rows = client.get("/api/v1/disputes/", {"q": "排水纠纷"}).json()["results"]
    assert [r["id"] for r in rows] == [first.pk]
    # A whole ID number searched by its keyed hash, as the list page does.
    rows = client.get("/api/v1/disputes/", {"q": "11010519491231002X"}).json()["results"]
    assert len(rows) == 2
    bad = client.get("/api/v1/disputes/", {"region": "abc"})
    assert bad.status_code == 400 and "region" in bad.json()


def test_cursor_pagination_walks_every_row_once(demo):
    mediator = demo["xianjin_mediator"]
    made = {new_dispute(mediator, summary=f"纠纷{i}").pk for i in range(5)}
    client, seen, url = _session(mediator), [], "/api/v1/disputes/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made) and len(seen) == 5


def test_deadlines_timeline_orders_and_statistics(demo):
    mediator, supervisor = demo["xianjin_mediator"], demo["zhuji_supervisor"]
    dispute = new_dispute(mediator)
    import datetime

    from django.utils import timezone

    issue_order(supervisor, dispute.pk, target_unit=mediator.unit, required_action="限期回复",
                target_date=timezone.localdate() + datetime.timedelta(days=3))  # fmt: skip
    client = _session(supervisor)
    deadlines = client.get(f"/api/v1/cases/{dispute.pk}/deadlines/").json()
    assert deadlines[0]["rule"] == "dispute_accept" and deadlines[0]["state"] == "open"
    timeline = client.get(f"/api/v1/cases/{dispute.pk}/timeline/").json()
    assert timeline[0]["action"] == "register"
    orders = client.get("/api/v1/orders/").json()["results"]
    assert orders and re.search("督字第", orders[0]["number"])
    assert client.get(f"/api/v1/orders/{orders[0]['id']}/").status_code == 200
    stats = client.get("/api/v1/statistics/mediation/")
    assert stats.status_code == 200, stats.content
    assert stats.json()["sheets"]
    assert client.get("/api/v1/warnings/").status_code == 200
    # A mediator has no statistics role: refused as on the page.
    assert _session(mediator).get("/api/v1/statistics/mediation/").status_code == 403


@pytest.mark.parametrize("username", ["zhuji_petition_clerk", "zhuji_statistician"])
def test_petition_parties_are_masked_as_on_the_petition_page(demo, username):
    from tests.petitions.helpers import new_petition, person

    petition = new_petition(
        demo["zhuji_petition_clerk"], petitioners=[person(id_number="11010519491231002X")]
    )
    session = _session(demo[username])
    page = session.get(f"/petitions/{petition.pk}/").content.decode()
    api = session.get(f"/api/v1/petitions/{petition.pk}/").json()
    assert api["parties"]
    for party in api["parties"]:
        for key in ("name", "id_number", "phone"):
            if party[key]:
                assert party[key] in page, (key, party[key])
    full = username == "zhuji_petition_clerk"
    assert ("11010519491231002X" in str(api)) is full
