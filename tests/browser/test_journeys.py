"""Journeys in headless Chromium: a dispute from intake to archive, a collective visit forwarded
and answered, and a user of another village who gets 404."""

import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def action(page, name, live_server, fill=None):
    page.click(f"a[href$='/{name}/']")
    for selector, value in (fill or {}).items():
        if selector.startswith("select:"):
            page.select_option(selector[7:], value)
        else:
            page.fill(selector, value)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")


def test_mediator_registers_mediates_and_archives_a_dispute(
    page, live_server, demo, login, shot, pick_region
):
    today = timezone.localdate().isoformat()
    login(page, "xianjin_mediator")
    page.get_by_role("link", name="矛盾纠纷", exact=True).click()
    page.get_by_role("link", name="登记纠纷", exact=True).click()
    pick_region(page, "330681109219")
    page.fill("#id_summary", "邻里排水沟纠纷")
    page.select_option("#id_source", "walk_in")
    page.select_option("#id_category", label="邻里纠纷")
    page.select_option("#id_risk_level", label="黄色（一般类）")
    page.fill("#id_facts", "雨季排水沟堵塞，双方互相指责。")
    page.fill("#id_parties-0-name", "王建国")
    page.fill("#id_parties-0-id_number", "11010519491231002X")
    page.fill("#id_parties-0-phone", "13800138000")
    page.fill("#id_parties-1-name", "赵秀英")
    page.fill("#id_parties-1-phone", "13900139000")
    shot(page, "dispute-01-intake")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    number = page.locator("h1").inner_text()
    assert re.fullmatch(r"诸暨〔\d{4}〕调字第\d{4}号", number)
    detail_url = page.url
    action(page, "accept", live_server)
    action(page, "start_mediation", live_server)
    action(page, "record_session", live_server, {
        "#id_held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "#id_place": "村调解室",
        "#id_attendees": "王建国、赵秀英", "#id_record": "双方同意疏通排水沟。", "select:#id_outcome": "agreed",
    })  # fmt: skip
    action(page, "agree", live_server, {
        "select:#id_form": "written", "#id_terms": "赵秀英于三日内疏通排水沟。", "#id_effective_date": today,
    })  # fmt: skip
    shot(page, "dispute-02-agreed")
    action(page, "record_performance", live_server, {"#id_performed_on": today})
    action(page, "follow_up", live_server, {"#id_date": today, "select:#id_satisfaction": "satisfied"})
    action(page, "archive", live_server)
    assert "已归档" in page.locator("main").inner_text()
    shot(page, "dispute-03-archived")
    # Another village: the same URL is a plain 404 without any of the case's data.
    page.get_by_role("button", name="退出登录").click()
    login(page, "yangchun_mediator")
    response = page.goto(detail_url)
    assert response.status == 404
    assert "邻里排水沟纠纷" not in page.content() and number not in page.content()
    shot(page, "dispute-04-other-village-404")


def test_clerk_registers_a_collective_visit_and_the_department_replies(
    page, live_server, demo, login, shot, pick_region
):
    login(page, "zhuji_petition_clerk")
    page.get_by_role("link", name="信访", exact=True).click()
    page.get_by_role("link", name="登记信访事项", exact=True).click()
    page.select_option("#id_channel", "visit")
    page.select_option("#id_petition_kind", "claim")
    page.select_option("#id_category", label="拖欠工资")
    pick_region(page, "330681000000")
    page.fill("#id_received_on", timezone.localdate().isoformat())
    page.fill("#id_summary", "农民工集体讨薪")
    page.fill("#id_content", "某工地拖欠6名工人工资。")
    page.fill("#id_head_count", "6")
    page.fill("#id_name", "孙志强")
    page.fill("#id_phone", "13600136000")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "集体访" in page.locator("main").inner_text()
    assert "1 批，6 人次" in page.locator("main").inner_text()
    shot(page, "petition-01-registered")
    page.click("a[href$='/forward/']")
    page.select_option("#id_unit", label="诸暨市人力资源和社会保障局")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    detail_url = page.url
    page.get_by_role("button", name="退出登录").click()
    login(page, "zhuji_handler")
    page.goto(detail_url)
    action(page, "accept", live_server)
    action(
        page,
        "reply",
        live_server,
        {"select:#id_outcome": "supported", "#id_text": "责令施工方十日内支付工资。"},
    )
    assert "已答复" in page.locator("main").inner_text()
    shot(page, "petition-02-replied")


def test_town_supervisor_chases_an_overdue_case_and_the_unit_answers(page, live_server, demo, login, shot):
    import datetime

    from cases.deadlines import open_deadline
    from tests.factories import CaseFactory

    mediator = demo["xianjin_mediator"]
    case = CaseFactory(region_id="330681109219", handler=mediator, handling_unit=mediator.unit,
                       number="诸暨〔2026〕调字第0099号", summary="山林边界纠纷")  # fmt: skip
    today = timezone.localdate()
    open_deadline(case, "mediation_period", today - datetime.timedelta(days=40))
    login(page, "fengqiao_supervisor")
    page.get_by_role("button", name="督查督办").click()  # the menu's supervision group
    page.get_by_role("link", name="督办看板", exact=True).click()
    shot(page, "supervision-01-dashboard")
    page.click("a.text-danger.fs-3")  # the overdue total
    assert "山林边界纠纷" in page.locator("main").inner_text()
    page.get_by_role("link", name="下发督办单", exact=True).first.click()
    page.fill("#id_required_action", "请于三日内组织调解并回复。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    shot(page, "supervision-02-order-issued")
    page.get_by_role("button", name="退出登录").click()
    login(page, "xianjin_mediator")
    page.get_by_role("link", name="督办单", exact=True).click()
    page.get_by_role("link", name="回复", exact=True).click()
    page.fill("#id_reply", "已于今日组织双方调解，达成初步意向。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已回复" in page.locator("main").inner_text()
    shot(page, "supervision-03-replied")


def test_grid_worker_reports_a_dispute_on_a_phone(browser, live_server, demo, shot, pick_region):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "xianjin_grid_worker")
    page.fill("#id_password", "jiefen2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click(".navbar-toggler")
    page.get_by_role("link", name="矛盾纠纷", exact=True).click()
    page.get_by_role("link", name="登记纠纷", exact=True).click()
    pick_region(page, "330681109219")
    page.fill("#id_summary", "网格巡查发现：两户因鸡鸭越界争吵")
    page.select_option("#id_source", "grid_inspection")
    page.select_option("#id_category", label="邻里纠纷")
    page.select_option("#id_risk_level", label="蓝色（隐患类）")
    page.fill("#id_facts", "巡查时发现两户争吵，已现场劝解。")
    page.fill("#id_parties-0-name", "周海燕")
    page.fill("#id_parties-1-name", "吴国平")
    shot(page, "phone-01-report-form")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "网格排查" in page.locator("main").inner_text()
    shot(page, "phone-02-reported")
    context.close()


def test_closure_report_downloads_as_pdf(page, live_server, demo, login):
    from mediation.models import Dispute
    from tests.dispute_helpers import archived, new_dispute

    d = archived(
        new_dispute(demo["xianjin_mediator"]), demo["xianjin_mediator"]
    )  # the report exists once closed
    login(page, "xianjin_mediator")
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="结案报告（PDF）").click()
    download = info.value
    assert (
        download.suggested_filename.endswith(".pdf")
        and Dispute.objects.get(pk=d.pk).number in download.suggested_filename
    )
    from pathlib import Path

    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
