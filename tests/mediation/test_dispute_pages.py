"""Dispute pages with the Django test client: intake to archive, 404 across villages, masking,
and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediation.models import Dispute, DisputeCategory, RiskLevel
from tests.dispute_helpers import intake_post, new_dispute

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def intake_data(**extra):
    data = {
        "region": "330681109219",
        "summary": "宅基地边界纠纷",
        "source": "walk_in",
        "category": DisputeCategory.objects.get(code="housing_homestead").pk,
        "risk_level": RiskLevel.objects.get(code="orange").pk,
        "place": "先进村3组",
        "facts": "两户因院墙位置发生争执。",
        "people_involved": "2",
        "applicant_name": "王建国",
        "applicant_id_number": "11010519491231002X",
        "applicant_phone": "13800138000",
        "respondent_name": "赵秀英",
        "respondent_phone": "13900139000",
    }
    data.update(extra)
    return intake_post(data)


def act(client, pk, action, data=None):
    response = client.post(reverse("disputes:action", args=[pk, action]), data or {})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_mediator_takes_a_dispute_from_intake_to_archive_in_the_browser_flow(client, demo):
    client.force_login(demo["xianjin_mediator"])
    response = client.post(reverse("disputes:create"), intake_data())
    assert response.status_code == 302, response.content.decode()[-3000:]
    d = Dispute.objects.get()
    detail = client.get(response.url).content.decode()
    assert d.number in detail and "宅基地边界纠纷" in detail and "受理" in detail
    act(client, d.pk, "accept")
    act(client, d.pk, "start_mediation")
    act(client, d.pk, "record_session", {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "村调解室",
        "attendees": "王建国、赵秀英", "record": "双方同意以原界桩为准。", "outcome": "agreed",
    })  # fmt: skip
    act(
        client,
        d.pk,
        "agree",
        {"form": "written", "terms": "以原界桩为准，赵秀英拆除越界部分。", "effective_date": TODAY},
    )
    act(client, d.pk, "record_performance", {"performed_on": TODAY})
    act(client, d.pk, "follow_up", {"date": TODAY, "method": "visit", "satisfaction": "satisfied"})
    act(client, d.pk, "archive", {"prevented_mass_petition": "on"})
    d.refresh_from_db()
    assert d.status == "archived" and d.prevented_mass_petition and not d.prevented_criminal_case
    page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "已归档" in page and "书面协议" in page
    assert client.get(reverse("disputes:file_index", args=[d.pk])).status_code == 200


def test_intake_errors_are_shown_in_chinese_beside_the_fields(client, demo):
    client.force_login(demo["xianjin_mediator"])
    response = client.post(
        reverse("disputes:create"), intake_data(applicant_id_number="110105194912310021", summary="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "校验位" in html and "请填写此项" in html and "这个字段是必填项" not in html
    assert Dispute.objects.count() == 0


def test_intake_refuses_a_region_outside_the_jurisdiction(client, demo):
    client.force_login(demo["xianjin_mediator"])
    response = client.post(reverse("disputes:create"), intake_data(region="330681109241"))
    assert response.status_code == 200 and Dispute.objects.count() == 0


def test_user_of_another_village_gets_404_everywhere(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["yangchun_mediator"])
    for url in (
        reverse("disputes:detail", args=[d.pk]),
        reverse("disputes:file_index", args=[d.pk]),
        reverse("disputes:action", args=[d.pk, "accept"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("disputes:action", args=[d.pk, "accept"])).status_code == 404
    assert d.number not in client.get(reverse("disputes:list")).content.decode()
    assert Dispute.objects.get(pk=d.pk).status == "registered"


def test_missing_role_gets_403(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_statistician"])
    assert client.post(reverse("disputes:action", args=[d.pk, "accept"])).status_code == 403
    assert client.get(reverse("disputes:create")).status_code == 403


def test_masking_per_role(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    full = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "张三明" in full and "11010519491231002X" in full and "13800138000" in full
    client.force_login(demo["xianjin_grid_worker"])
    masked = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "张*明" in masked and "1101**********002X" in masked and "138****8000" in masked
    assert "张三明" not in masked and "11010519491231002X" not in masked
    listing = client.get(reverse("disputes:list")).content.decode()
    assert "张*明" in listing and "张三明" not in listing


def test_list_filters_and_search(client, demo):
    m = demo["fengqiao_supervisor"]
    new_dispute(m, village="xianjin", summary="排水沟")
    new_dispute(m, village="yangchun", summary="果园用水")
    client.force_login(m)
    assert "果园用水" not in client.get(reverse("disputes:list"), {"q": "排水"}).content.decode()
    assert "排水沟" in client.get(reverse("disputes:list"), {"q": "张三明"}).content.decode()
    html = client.get(reverse("disputes:list"), {"region": "330681109241"}).content.decode()
    assert "果园用水" in html and "排水沟" not in html
    assert client.get(reverse("disputes:list"), {"region": "１２"}).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_and_detail_use_the_same_queries_for_10_and_200_disputes(client, demo, settings):
    from django.core.cache import cache

    settings.REFERENCE_CACHE_SECONDS = 300  # the filter choices as in production (cases.choices)
    cache.clear()
    user = demo["xianjin_mediator"]
    for _ in range(10):
        d = new_dispute(user)
    client.force_login(user)
    list_url, detail_url = reverse("disputes:list"), reverse("disputes:detail", args=[d.pk])
    _queries(client, list_url)
    # session, user; count, page, parties with people (tests/cases/test_page_queries.py names them all)
    assert (_queries(client, list_url), _queries(client, detail_url)) == (5, 12)
    for _ in range(190):
        new_dispute(user)
    assert (_queries(client, list_url), _queries(client, detail_url)) == (5, 12)
    cache.clear()


def test_detail_queries_do_not_grow_with_sessions_and_their_mediators(client, demo):
    from mediation import workflow
    from mediation.models import SessionOutcome

    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)

    def add_session():
        workflow.record_session(
            d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
            outcome=SessionOutcome.CONTINUE, mediators=[m, demo["fengqiao_mediator"]],
        )  # fmt: skip

    add_session()
    client.force_login(m)
    url = reverse("disputes:detail", args=[d.pk])
    _queries(client, url)
    one = _queries(client, url)
    for _ in range(5):
        add_session()
    assert _queries(client, url) == one


def test_a_party_links_their_other_cases_that_the_user_may_see(client, demo):
    client.force_login(demo["fengqiao_supervisor"])
    client.post(reverse("disputes:create"), intake_data(summary="第一起"))
    client.post(reverse("disputes:create"), intake_data(summary="阳春村的一起", region="330681109241"))
    client.force_login(demo["xianjin_mediator"])
    response = client.post(reverse("disputes:create"), intake_data(summary="第二起"))
    first, foreign, second = Dispute.objects.order_by("pk")
    assert second.parties.get(role="applicant").person == first.parties.get(role="applicant").person
    client.get(response.url)  # shows and clears the "registered" messages, which name numbers too
    html = client.get(response.url).content.decode()
    assert first.number in html and foreign.number not in html
    # Of the case outside the mediator's view only a count and the handling unit are shown.
    assert "辖区外另有此人案件 1 件，承办单位：枫桥镇综治中心" in html
