"""Journey 4: a statistician looks at a month's petition statistics, drills into a figure, exports
the table as xlsx and PDF, and freezes the month as reported."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.reporting.petition_month import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistician_exports_the_monthly_petition_statistics(page, live_server, demo, login, shot):
    build()
    login(page, "zhuji_statistician")
    page.get_by_role("button", name="统计与数据").click()  # the menu's statistics group
    page.get_by_role("link", name="统计", exact=True).click()
    page.select_option("#id_month", "2026-10")
    page.get_by_role("button", name="查看").click()
    page.wait_for_selector("#report-heading")
    assert "诸暨市 · 2026年10月" in page.inner_text("#report-heading")
    total = page.locator("table[data-sheet=summary] tr[data-row=total]")
    assert total.locator("td[data-column=received]").inner_text().strip() == "7"
    assert total.locator("td[data-column=notice_rate]").inner_text().strip() == "100.0%"
    shot(page, "statistics-01-petition-table")

    # The overdue figure lists the three overdue petitions (XF-P10: a 复核-finalised matter whose
    # follow-up was never reported, docs/statistics.md).
    total.locator("td[data-column=overdue] a").click()
    page.wait_for_selector("#row-count")
    assert page.locator("tr.case-row").count() == 3
    shot(page, "statistics-02-drill-down")
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    totals = next(r for r in book["总表"].iter_rows(values_only=True) if r[0] == "合计")
    assert totals[1] == 7 and info.value.suggested_filename.endswith(".xlsx")

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 PDF").click()
    assert Path(info.value.path()).read_bytes()[:5] == b"%PDF-"
    assert "2026年10月" in info.value.suggested_filename

    page.fill("#freeze-note", "已报绍兴市")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="冻结为上报数").click()
    page.wait_for_selector("#frozen-note")
    assert "已报绍兴市" in page.inner_text("#frozen-note")
    assert asked and "冻结" in asked[0]  # asked before an irreversible step
    shot(page, "statistics-03-frozen")


def test_mediation_statistics_on_a_laptop_screen(page, live_server, demo, login, shot):
    from tests.reporting.mediation_month import build as build_disputes

    build_disputes(demo["zhuji_mediator"])
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, "zhuji_statistician")
    page.goto(f"{live_server.url}/statistics/mediation/?region=330681000000&month=2026-10")
    total = page.locator("table[data-sheet=summary] tr[data-row=total]")
    assert total.locator("td[data-column=success_rate]").inner_text().strip() == "40.0%"
    shot(page, "statistics-04-mediation-table")
