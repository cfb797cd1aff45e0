"""多元化解 in the browser: the village committee routes a wage dispute to the county's labour dispute
mediation committee, which finds it in its inbox and records the result; the case returns and the
statistics by route show it. A joint mediation with two other units: both see it, both record a
session."""

import pytest
from django.utils import timezone

from accounts.models import Unit
from mediation import workflow
from mediation.models import Dispute, MediationSession
from tests.browser.test_accessibility import violations
from tests.dispute_helpers import new_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mediating(demo, summary):
    m = demo["xianjin_mediator"]
    d = new_dispute(m, summary=summary)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d


def no_serious_violations(page):
    worst = [v for v in violations(page) if v["impact"] in ("critical", "serious")]
    assert worst == [], (page.url, worst)


def switch(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def submit(page):
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")


def test_village_routes_to_the_labour_committee_and_the_result_comes_back(
    page, live_server, demo, login, shot
):
    d = mediating(demo, "拖欠工资纠纷")
    labour = Unit.objects.get(name="诸暨市劳动争议人民调解委员会")
    login(page, "xianjin_mediator")
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    page.click("a[href$='/route/']")
    page.select_option("#id_channel", "committee")
    page.select_option("#id_unit", str(labour.pk))
    page.select_option("#id_field", "labour")
    page.fill("#id_reason", "劳动报酬争议，转劳动争议调委会专业调解")
    shot(page, "route-01-form")
    no_serious_violations(page)
    submit(page)
    main = page.locator("main").inner_text()
    assert (
        "已转其他渠道化解" in main and "诸暨市劳动争议人民调解委员会" in main and "劳动争议调解期限" in main
    )
    shot(page, "route-02-routed")

    # The committee finds it in its inbox, opens it and records the result.
    switch(page, login, "laodong_mediator")
    page.click(f"main a[href*='/disputes/{d.pk}/']")
    page.wait_for_url(f"**/disputes/{d.pk}/")
    page.click("a[href$='/route_result/']")
    page.select_option("#id_outcome", "success")
    page.fill("#id_result", "双方达成协议，用人单位十日内支付工资8000元")
    submit(page)
    main = page.locator("main").inner_text()
    assert "化解结果已反馈" in main and "调解成功" in main
    shot(page, "route-03-result-back")
    no_serious_violations(page)
    assert Dispute.objects.get(pk=d.pk).status == "route_returned"

    # The village is told; the statistics by route count it and list it.
    switch(page, login, "fengqiao_supervisor")
    today = timezone.localdate()
    page.goto(f"{live_server.url}/statistics/mediation/?region=330681109000&month={today:%Y-%m}")
    route = page.locator("table[data-sheet=route]")
    row = route.locator("tr[data-row='330681109219']")
    assert row.locator("td[data-column=route_committee]").inner_text().strip() == "1"
    assert row.locator("td[data-column=route_success]").inner_text().strip() == "1"
    page.locator("section[aria-labelledby=sheet-route]").scroll_into_view_if_needed()
    shot(page, "route-04-statistics")
    row.locator("td[data-column=route_committee] a").click()
    assert d.number in page.locator("main").inner_text()
    shot(page, "route-05-drill")


def test_a_joint_mediation_with_two_units_both_see_it_and_record_sessions(
    page, live_server, demo, login, shot
):
    d = mediating(demo, "两村务工人员工伤赔偿纠纷")
    yangchun = demo["yangchun_mediator"].unit
    labour = Unit.objects.get(name="诸暨市劳动争议人民调解委员会")
    login(page, "xianjin_mediator")
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    page.click("a[href$='/joint_mediation/']")
    page.select_option("#id_units", [str(yangchun.pk), str(labour.pk)])
    page.fill("#id_reason", "当事人分属两村，涉及劳动关系")
    page.fill("#id_participant_name_1", "王律师")
    page.select_option("#id_participant_capacity_1", "lawyer")
    page.fill("#id_participant_organisation_1", "诸暨某律师事务所")
    shot(page, "joint-01-form")
    no_serious_violations(page)
    submit(page)
    assert "王律师" in page.locator("main").inner_text()
    for username, place in (("yangchun_mediator", "阳春村调解室"), ("laodong_mediator", "市劳动争议调委会")):
        switch(page, login, username)
        page.goto(f"{live_server.url}/disputes/{d.pk}/")
        page.click("a[href$='/record_session/']")
        page.fill("#id_held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_place", place)
        page.fill("#id_attendees", "双方当事人")
        page.fill("#id_record", f"{place}主持调解，双方陈述意见")
        page.select_option("#id_outcome", "continue")
        submit(page)
    main = page.locator("main").inner_text()
    assert "阳春村调解室" in main and "市劳动争议调委会" in main and "联合调解" in main
    shot(page, "joint-02-two-sessions")
    assert MediationSession.objects.filter(dispute=d).count() == 2
