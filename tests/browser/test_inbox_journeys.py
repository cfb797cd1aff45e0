"""Inbox journeys in headless Chromium: (1) a grid worker's report reaches the village mediator's
inbox and is read when opened; (4) a town supervisor's 督办单 reaches the village unit's inbox, is
answered there, and the answer reaches the supervisor. Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def snap(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"inbox-{name}.png"), full_page=True)


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def menu_badge(page) -> int:
    badge = page.locator("nav a.nav-link[href='/'] .badge")
    return int(badge.inner_text().split()[0]) if badge.count() else 0


def test_1_a_grid_workers_report_reaches_the_village_mediators_inbox(
    page, live_server, demo, login, pick_region
):
    from supervision.models import Notification

    login(page, "xianjin_grid_worker")
    page.get_by_role("link", name="矛盾纠纷", exact=True).click()
    page.get_by_role("link", name="登记纠纷", exact=True).click()
    pick_region(page, "330681109219")
    page.fill("#id_summary", "宅基地边界纠纷")
    page.select_option("#id_source", index=1)
    page.select_option("#id_category", label="邻里纠纷")
    page.select_option("#id_risk_level", label="黄色（一般类）")
    page.fill("#id_facts", "两户因宅基地界桩位置发生争执。")
    page.fill("#id_parties-0-name", "王建国")
    page.fill("#id_parties-0-phone", "13800138000")
    page.fill("#id_parties-1-name", "赵秀英")
    page.fill("#id_parties-1-phone", "13900139000")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    number = page.locator("h1").inner_text()
    case_path = page.url.removeprefix(live_server.url)
    logout(page)

    login(page, "xianjin_mediator")
    handoffs = page.locator("#h-handoffs").locator("xpath=..")
    link = handoffs.locator(f"a[href='{case_path}']")
    assert number in link.inner_text() and "新上报的纠纷" in link.inner_text()
    assert menu_badge(page) >= 1
    assert int(page.locator("header .btn .badge").inner_text()) >= 1  # the unread notification
    snap(page, "1-mediator-home")
    link.click()
    page.wait_for_url(f"{live_server.url}{case_path}")
    assert "宅基地边界纠纷" in page.locator("main").inner_text()
    snap(page, "1-case-opened")
    mediator = demo["xianjin_mediator"]
    assert not Notification.objects.filter(user=mediator, case__number=number, read_at__isnull=True).exists()
    page.locator("nav a.nav-link[href='/']").click()
    page.wait_for_url(f"{live_server.url}/")  # count() does not wait: on the old page it would be 0 too
    assert page.locator(f"#h-handoffs ~ ul a[href='{case_path}']").count() == 0
    assert "没有新转来的案件" in handoffs.inner_text()
    snap(page, "1-mediator-home-after")


def test_4_a_town_order_is_answered_by_the_village_and_the_supervisor_is_told(page, live_server, demo, login):
    from cases.handoffs import case_url
    from tests.dispute_helpers import new_dispute

    dispute = new_dispute(demo["xianjin_mediator"], summary="山林边界纠纷")
    login(page, "fengqiao_supervisor")
    page.goto(f"{live_server.url}{case_url(dispute)}")
    page.get_by_role("link", name="下发督办单", exact=True).click()
    options = page.locator("#id_target_unit option").all_inner_texts()
    assert "诸暨市住房和城乡建设局" not in options and "诸暨市综治中心" not in options
    assert "先进村人民调解委员会" in options
    snap(page, "4-issue-form")
    page.select_option("#id_target_unit", label="先进村人民调解委员会")
    page.fill("#id_required_action", "请于三日内组织调解并书面回复。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    logout(page)

    login(page, "xianjin_mediator")
    orders = page.locator("#h-orders").locator("xpath=..")
    assert "请于三日内组织调解" in orders.inner_text()
    snap(page, "4-village-home")
    orders.locator("a").first.click()
    assert "枫桥镇综治中心" in page.locator("main").inner_text()
    page.fill("#id_reply", "已于今日组织双方调解，达成初步意向。")
    snap(page, "4-reply-form")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.locator("nav a.nav-link[href='/']").click()
    assert "没有待本单位回复的督办单" in page.locator("#h-orders").locator("xpath=..").inner_text()
    logout(page)

    login(page, "fengqiao_supervisor")
    handoffs = page.locator("#h-handoffs").locator("xpath=..")
    assert f"督办单已回复：{dispute.number}" in handoffs.inner_text()
    snap(page, "4-supervisor-home")
    page.locator("header a[href$='/notifications/']").click()
    page.wait_for_url(f"{live_server.url}/supervision/notifications/")  # count() does not wait
    note = page.get_by_role("link", name=f"督办单已回复：{dispute.number}")
    assert note.count() == 1
    snap(page, "4-supervisor-notifications")
    note.click()  # to the order, which shows the answer
    page.wait_for_url(re.compile(r".*/supervision/orders/\d+/reply/$"))
    assert "已于今日组织双方调解" in page.locator("main").inner_text()
    snap(page, "4-supervisor-reads-the-answer")
    page.locator("nav a.nav-link[href='/']").click()
    assert "没有新转来的案件" in page.locator("#h-handoffs").locator("xpath=..").inner_text()
