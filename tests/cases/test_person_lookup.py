"""The person look-up (cases.views.people): a whole ID number or phone -> the cases the user may see
with a party of that number, by keyed hash; nothing at all of the others."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition, person

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"  # the applicant 张三明 of new_dispute
URL = reverse("people:lookup")


def page(client, user, number):
    client.force_login(user)
    response = client.post(URL, {"number": number})
    assert response.status_code == 200
    return response


def test_an_id_number_finds_the_persons_disputes_and_petitions(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    petition = new_petition(demo["zhuji_petition_clerk"], petitioners=[person(name="张三明", id_number=ID)])
    response = page(client, demo["zhuji_supervisor"], ID)
    found = {case.pk for case, _parties in response.context["rows"]}
    assert found == {dispute.pk, petition.pk}
    html = response.content.decode()
    assert dispute.number in html and petition.number in html and "张三明" in html


def test_a_phone_finds_the_case_and_names_the_party_as_the_role_may_see_it(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])  # respondent 李四, 13900139000
    html = page(client, demo["xianjin_mediator"], "139-0013-9000").content.decode()
    assert dispute.number in html and "李四" in html
    masked = page(client, demo["xianjin_grid_worker"], "13900139000")
    assert [c.pk for c, _ in masked.context["rows"]] == [dispute.pk]
    assert "李*" in masked.content.decode() and "李四" not in masked.content.decode()


def test_a_number_of_a_party_in_another_village_finds_nothing_not_even_a_count(client, demo):
    elsewhere = new_dispute(demo["jiangdong_mediator"], village="jiangdong")
    response = page(client, demo["xianjin_mediator"], ID)
    assert response.context["rows"] == []
    html = response.content.decode()
    assert elsewhere.number not in html and "江东" not in html and "张三明" not in html
    assert "没有" in html or "No case" in html
    assert [c.pk for c, _ in page(client, demo["jiangdong_mediator"], ID).context["rows"]] == [elsewhere.pk]


def test_anything_but_a_whole_number_is_refused_without_a_search(client, demo):
    new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    for typed in ("张三明", ID[:10], "1390013"):
        response = client.post(URL, {"number": typed})
        assert response.context["rows"] is None
        assert response.context["form"].errors["number"]


@pytest.mark.parametrize("size", [1, 6])
def test_the_look_up_costs_the_same_queries_whatever_the_number_of_cases(client, demo, size):
    user = demo["fengqiao_supervisor"]
    for _ in range(size):
        new_dispute(demo["xianjin_mediator"])
    client.force_login(user)
    client.post(URL, {"number": ID})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"number": ID})
    assert len(response.context["rows"]) == size
    # session, user (with its unit), the cases, their matching parties
    assert len(queries) == LOOKUP_QUERIES, [q["sql"][:100] for q in queries]


LOOKUP_QUERIES = 4
