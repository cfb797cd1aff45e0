"""POST /api/v1/intake/: a 12345 work order or a grid event becomes a dispute, once per external
id; bad input is refused field by field in Chinese, and nothing is written."""

import pytest

from accounts import roles
from api.models import IntakeRecord
from cases.models import Case, CaseParty
from mediation.models import Dispute
from tests.api.helpers import bearer, county_centre, map_category, service_client, token_for

pytestmark = pytest.mark.django_db
VILLAGE = "330681109219"  # 先进村 (accounts.demo.VILLAGES["xianjin"])


def order(**changes):
    body = {
        "external_id": "GD20261205-0001",
        "category": "A01",
        "region": VILLAGE,
        "summary": "楼上漏水纠纷",
        "facts": "12345 工单：楼上卫生间漏水，楼下住户多次协商未果。",
        "place": "先进村3组",
        "parties": [
            {
                "role": "applicant",
                "name": "王小红",
                "id_number": "11010519491231002X",
                "phone": "13800138000",
            },
            {"role": "respondent", "name": "赵大海", "phone": "13900139000"},
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def hotline(demo):
    map_category()
    return bearer(token_for(service_client(county_centre())))


def post(client, body):
    return client.post("/api/v1/intake/", body, content_type="application/json")


def test_a_work_order_becomes_a_dispute_and_a_second_post_returns_it(hotline):
    first = post(hotline, order())
    assert first.status_code == 201, first.content
    dispute = Dispute.objects.get(pk=first.json()["id"])
    assert dispute.category.code == "neighbour" and dispute.region_id == VILLAGE
    assert dispute.source == "referred_department" and dispute.status == "registered"
    assert CaseParty.objects.filter(case=dispute).count() == 2
    again = post(hotline, order(summary="改过的摘要"))
    assert again.status_code == 200
    assert again.json()["id"] == dispute.pk and again.json()["created"] is False
    assert Dispute.objects.count() == 1 and IntakeRecord.objects.count() == 1


def test_a_bad_id_number_is_refused_beside_its_party_and_nothing_is_written(hotline):
    bad = order()
    bad["parties"][0]["id_number"] = "110105194912310021"
    answer = post(hotline, bad)
    assert answer.status_code == 400
    messages = answer.json()["parties[0].id_number"]
    assert messages and "身份证" in messages[0]
    assert Case.objects.count() == 0 and IntakeRecord.objects.count() == 0


def test_unknown_category_and_foreign_region_are_named(hotline):
    answer = post(hotline, order(category="Z99", region="330681999999"))
    assert answer.status_code == 400
    body = answer.json()
    assert "Z99" in body["category"][0] and "管理员" in body["category"][0]
    assert "330681999999" in body["region"][0]
    assert Case.objects.count() == 0


def test_missing_fields_and_a_missing_respondent(hotline):
    answer = post(hotline, {"external_id": "x"})
    assert answer.status_code == 400 and "summary" in answer.json()
    one_side = order()
    one_side["parties"][1]["role"] = "third_party"
    answer = post(hotline, one_side)
    assert answer.status_code == 400
    assert "被申请人" in str(answer.json())
    assert Case.objects.count() == 0


def test_a_place_outside_the_clients_unit_is_refused(demo):
    map_category()
    town = service_client(demo["fengqiao_supervisor"].unit, system="fengqiao")
    answer = post(bearer(token_for(town)), order(region="330681001001"))  # 江东社区, another town
    assert answer.status_code == 400 and "330681001001" in answer.json()["region"][0]
    assert Case.objects.count() == 0


def test_a_read_only_client_cannot_post_intake(demo):
    map_category()
    reader = service_client(county_centre(), system="reader", scopes="read")
    answer = post(bearer(token_for(reader)), order())
    assert answer.status_code == 403 and Case.objects.count() == 0


def test_a_session_user_cannot_post_intake(demo, client):
    client.force_login(demo["zhuji_supervisor"])
    assert post(client, order()).status_code == 403


def test_a_service_user_without_an_intake_role_is_refused(demo):
    map_category()
    statistician = service_client(county_centre(), system="stats", role_names=(roles.STATISTICIAN,))
    answer = post(bearer(token_for(statistician)), order())
    assert answer.status_code == 403
    assert Case.objects.count() == 0 and IntakeRecord.objects.count() == 0
