"""The early-warning journey in headless Chromium (issue 18): a surge in 阳春村 is raised by the scan
and appears on the county dashboard → the county sends it to 枫桥镇 → the town signs for it, records
the handling with a linked case and closes it → the county sees it closed, with its timeline.
Screenshots go to var/screenshots/warning-*.png."""

from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def snap(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"warning-{name}.png"), full_page=True)


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def step(page, label):
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_selector("main form")


def test_a_warning_goes_from_the_county_dashboard_to_the_town_and_back_closed(page, live_server, demo, login):
    from analysis.scan import scan
    from tests.analysis.planted import dispute

    now = timezone.now()
    surge = [dispute(demo["zhuji_supervisor"], "yangchun", days, now) for days in (0.5, 1, 2, 3, 4, 5)]
    assert len(scan().raised) == 1
    page.on("dialog", lambda dialog: dialog.accept())  # the close step asks first (data-confirm)

    login(page, "zhuji_supervisor")
    page.get_by_role("button", name="督查督办", exact=True).click()
    page.get_by_role("link", name="督办看板", exact=True).click()
    panel = page.locator("#warnings-panel")
    link = panel.get_by_role("link", name="阳春村案件激增", exact=False)
    assert "已预警，待签收" in panel.inner_text()
    snap(page, "1-county-dashboard")
    link.click()
    page.wait_for_selector("#warning-status")
    assert "诸暨市综治中心" in page.locator("#warning-unit").inner_text()
    step(page, "交办下级")
    page.select_option("#id_unit", label="枫桥镇综治中心")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "枫桥镇综治中心" in page.locator("#warning-unit").inner_text()
    warning_path = page.url.removeprefix(live_server.url)
    snap(page, "2-county-sent")
    logout(page)

    login(page, "fengqiao_supervisor")
    mine = page.locator("#warnings-panel")
    assert "本单位待办预警" in mine.inner_text()
    snap(page, "3-town-home")
    mine.locator(f"a[href='{warning_path}']").click()
    page.wait_for_selector("#warning-status")
    step(page, "签收")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#warning-status").inner_text() == "已签收"
    step(page, "登记处置情况")
    page.fill("#id_handling", "镇综治中心会同阳春村调委会逐户走访，六起纠纷已分别受理调解。")
    page.fill("#id_case_numbers", surge[0].number)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert surge[0].number in page.locator("#h-linked").locator("xpath=..").inner_text()
    step(page, "办结")
    page.fill("#id_note", "纠纷集中原因已查明（雨季排水），隐患已化解。")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#warning-status").inner_text() == "已办结"
    snap(page, "4-town-closed")
    logout(page)

    login(page, "zhuji_supervisor")
    page.goto(f"{live_server.url}/warnings/?status=closed")
    row = page.locator(".warning-row", has_text="阳春村案件激增")
    assert "已办结" in row.inner_text()
    snap(page, "5-county-list-closed")
    row.get_by_role("link").click()
    page.wait_for_selector("#warning-timeline")
    assert page.locator("#warning-timeline li").count() == 5
    snap(page, "6-county-sees-it-closed")


def test_the_warning_pages_have_no_serious_accessibility_violations(page, live_server, demo, login):
    from analysis.scan import scan
    from tests.analysis.planted import dispute
    from tests.browser.test_accessibility import violations

    now = timezone.now()
    for days in (0.5, 1, 2, 3, 4, 5):
        dispute(demo["zhuji_supervisor"], "yangchun", days, now)
    warning = scan().raised[0]
    login(page, "zhuji_supervisor")
    worst = {}
    for path in (
        "/warnings/",
        f"/warnings/{warning.pk}/",
        f"/warnings/{warning.pk}/send/",
        "/supervision/",
        "/",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        worst[path] = [v for v in violations(page) if v["impact"] in ("critical", "serious")]
    assert {p: v for p, v in worst.items() if v} == {}
