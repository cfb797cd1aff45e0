"""A county supervisor opens the analysis page from the menu, reads the heat table, clicks a cell
and lands on the list of its cases; then looks inside a town."""

import pytest

from tests.analysis.insight_data import plant_insight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_clicks_a_heat_cell_and_lands_on_its_cases(page, live_server, demo, login, shot):
    planted = plant_insight(demo)
    month = f"{planted['month'].start:%Y-%m}"
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "zhuji_supervisor")
    page.get_by_role("button", name="统计与数据").click()
    page.get_by_role("link", name="分析研判", exact=True).click()
    page.wait_for_selector("#insight-heading")
    assert "诸暨市" in page.inner_text("#insight-heading")
    row = page.locator("#heat-months tr[data-row='330681109']")  # 枫桥镇
    cell = row.locator("td.heat-cell").nth(11)  # the last of the twelve months: the period's month
    assert cell.inner_text().strip() == "5"
    assert "heat-5" in cell.get_attribute("class")
    shot(page, "insight-01-county")

    cell.locator("a").click()
    page.wait_for_selector("#row-count")
    assert page.locator("tr.case-row").count() == 5
    assert month in page.url
    shot(page, "insight-02-cell-cases")
    page.go_back()

    page.locator("#heat-months tr[data-row='330681109'] th a").click()  # into 枫桥镇: its villages
    page.wait_for_selector("#insight-heading")
    assert "枫桥镇" in page.inner_text("#insight-heading")
    assert page.locator("#heat-months tr[data-row='330681109219'] td.heat-cell").nth(11).inner_text() == "3"
    shot(page, "insight-03-town")


def test_tile_grid_and_the_monthly_report_requested_ready_downloaded(
    page, live_server, demo, login, shot, monkeypatch
):
    """The tile grid opens a town's cases and the town; the 研判报告 is asked for, waits for the
    worker (its progress page), becomes ready and downloads as a PDF."""
    from pathlib import Path

    from reporting import report_jobs
    from reporting.models import AnalysisReport

    # A worker that takes the report when the test says so: the page must wait for it.
    monkeypatch.setattr(report_jobs.documents, "_worker_alive", lambda: True)
    monkeypatch.setattr(report_jobs, "_send", lambda pk: None)
    planted = plant_insight(demo)
    month = f"{planted['month'].start:%Y-%m}"
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "zhuji_supervisor")
    page.goto(f"{live_server.url}/analysis/?region=330681000000&month={month}")
    grid = page.locator("#tile-grid svg")
    grid.scroll_into_view_if_needed()
    assert grid.locator("a[aria-label='枫桥镇 5 件']").count() == 1
    shot(page, "insight-04-tiles-county")
    grid.locator("a[aria-label='枫桥镇 5 件']").click()
    page.wait_for_selector("#row-count")
    assert page.locator("tr.case-row").count() == 5
    assert "枫桥镇" in page.inner_text("#figure-label")
    page.go_back()
    page.locator("#tile-grid a[aria-label='查看下一级：枫桥镇']").click()
    page.wait_for_selector("#insight-heading")
    assert "枫桥镇" in page.inner_text("#insight-heading")
    assert page.locator("#tile-grid a[aria-label='先进村 3 件']").count() == 1
    page.locator("#tile-grid").scroll_into_view_if_needed()
    shot(page, "insight-05-tiles-town")

    page.get_by_role("link", name="月度分析研判报告（PDF）").click()
    page.select_option("#id_region", "330681000000")
    page.select_option("#id_month", month)
    page.get_by_role("button", name="生成报告").click()
    page.wait_for_selector("#job-progress")
    assert page.inner_text("#report-status") != "已生成"
    assert page.locator("#report-download").count() == 0
    shot(page, "insight-06-report-waiting")

    report = AnalysisReport.objects.get(owner=demo["zhuji_supervisor"])
    assert report_jobs.make(report.pk) == "done"  # the worker's turn
    page.wait_for_selector("#report-download", timeout=15000)  # jobs.js reloads the page when ready
    assert "本月 枫桥镇 邻里纠纷 环比上升 200.0%" in page.inner_text("#report-facts")
    shot(page, "insight-07-report-ready")
    with page.expect_download() as info:
        page.locator("#report-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and "分析研判报告" in download.suggested_filename
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
