"""A grid worker on a 390x844 phone keeps her grid's inspection ledger (排查台账): this week a zero
report, next week an inspection that finds a dispute, registered from the ledger; the village sees
both weeks, and the neighbour grid that filed nothing is chased by a reminder.

Screenshots in artifacts/browser/grid-journey-*.png."""

import datetime

import pytest
from django.utils import timezone

from grids import ledger
from tests.browser.test_phone_journeys import PHONE, log_in, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def test_zero_report_then_an_inspection_raising_a_dispute_the_village_sees_both(
    phone, live_server, demo, shot, monkeypatch
):
    from accounts.models import Grid
    from grids.models import LedgerReport
    from grids.reminders import remind_missing
    from mediation.models import Dispute

    first = ledger.week_of(timezone.localdate()) - datetime.timedelta(days=14)
    second = first + datetime.timedelta(days=7)
    grid = Grid.objects.get(region_id="330681109219", code="01")
    page = phone

    # Week one, Wednesday: nothing found — an explicit zero report.
    monkeypatch.setattr(ledger, "local_today", lambda: first + datetime.timedelta(days=2))
    log_in(page, live_server, "xianjin_grid1")
    page.click(".navbar-toggler")  # the phone's folded menu
    page.get_by_role("link", name="网格排查").click()
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="先进村 · 先进村第一网格").click()
    shot(page, "grid-journey-1-ledger")
    page.click("#zero-report")
    page.wait_for_selector(".alert-success")
    assert LedgerReport.objects.get(grid=grid, week_start=first).zero_report
    shot(page, "grid-journey-2-zero-report")

    # Week two, Wednesday: an inspection that finds a dispute, registered from the ledger.
    monkeypatch.setattr(ledger, "local_today", lambda: second + datetime.timedelta(days=2))
    page.reload()
    page.click("#add-inspection")
    assert page.input_value("#id_inspected_on") == str(second + datetime.timedelta(days=2))
    page.fill("#id_looked_at", "村东排水沟与宅基地边界")
    page.fill("#id_found", "两户因排水沟堵塞争吵")
    page.fill("#id_disputes_found", "1")
    assert no_sideways_scroll(page)
    shot(page, "grid-journey-3-inspection")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.get_by_role("link", name="登记此次发现的纠纷").click()
    assert page.input_value("#id_grid") == str(grid.pk)
    assert page.input_value("#id_source") == "grid_inspection"
    page.fill("#id_summary", "排水沟堵塞邻里纠纷")
    page.select_option("#id_category", label="邻里纠纷")
    page.select_option("#id_risk_level", label="黄色（一般类）")
    page.fill("#id_parties-0-name", "王秀英")
    page.fill("#id_parties-0-phone", "13800138000")
    page.fill("#id_parties-1-name", "李建国")
    page.fill("#id_parties-1-phone", "13900139000")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    dispute = Dispute.objects.get()
    assert dispute.grid_id == grid.pk and dispute.reported_by.username == "xianjin_grid1"
    assert dispute.number in page.locator("main").inner_text()
    shot(page, "grid-journey-4-dispute-linked")

    # The village sees both weeks of the grid, and the dispute.
    page.context.clear_cookies()
    log_in(page, live_server, "xianjin_supervisor")
    page.goto(f"{live_server.url}/grids/{grid.pk}/")
    main = page.locator("main").inner_text()
    assert "零报告" in main and "两户因排水沟堵塞争吵" in main and dispute.number in main
    shot(page, "grid-journey-5-village-sees-both")

    # Saturday of week two: 第二网格 and the 微网格 filed nothing — their workers and the village are told.
    saturday = timezone.make_aware(
        datetime.datetime.combine(second + datetime.timedelta(days=5), datetime.time(9))
    )
    assert remind_missing(saturday) > 0
    page.goto(f"{live_server.url}/supervision/notifications/")
    main = page.locator("main").inner_text()
    assert "排查报告未报：先进村第二网格" in main and "排查报告未报：先进村第一网格" not in main
    shot(page, "grid-journey-6-reminder")
    page.goto(f"{live_server.url}/grids/")
    assert "未报" in page.locator("main").inner_text()
    shot(page, "grid-journey-7-village-grids")
