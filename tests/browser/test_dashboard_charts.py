"""The dashboard's charts (Chart.js from npm, served from static/) draw the same figures as its
tables, under the Content Security Policy (no inline script, no violation reported)."""

import pytest

from tests.reporting.petition_month import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_its_charts_without_csp_violations(page, live_server, demo, login, shot):
    build()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, "zhuji_supervisor")
    page.goto(f"{live_server.url}/supervision/")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('town-chart') && Chart.getChart('trend-chart')"
    )
    towns = page.evaluate(
        "() => { const c = Chart.getChart('town-chart'); return {labels: c.data.labels,"
        " overdue: c.data.datasets[0].data, open: c.data.datasets[2].data}; }"
    )
    table = page.locator("#h-town").locator("xpath=..").locator("table tbody tr")
    assert table.count() == len(towns["labels"]) > 0
    for i in range(table.count()):
        cells = table.nth(i).locator("td")
        assert cells.nth(0).inner_text().strip() == towns["labels"][i]
        assert int(cells.nth(1).inner_text()) == towns["open"][i]
        assert int(cells.nth(3).inner_text()) == towns["overdue"][i]
    assert sum(towns["overdue"]) >= 1
    assert not [m for m in messages if "Content Security Policy" in m]
    shot(page, "dashboard-charts")
