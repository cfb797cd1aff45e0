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
