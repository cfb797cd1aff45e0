"""axe-core (vendored from npm, tests/browser/vendor) run in Chromium on the main pages: no
critical or serious violations. The script is evaluated through the DevTools protocol, so the pages keep
their Content Security Policy (no inline script is added to them)."""

from pathlib import Path

import pytest

from tests.reporting.mediation_month import build as build_disputes
from tests.reporting.petition_month import build as build_petitions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PAGES = {
    "zhuji_statistician": [
        "/", "/statistics/petitions/?region=330681000000&month=2026-10",
        "/statistics/mediation/?region=330681000000&month=2026-10", "/supervision/",
        "/statistics/petitions/drill/?region=330681000000&month=2026-10&column=received&row=total",
    ],
    "zhuji_petition_clerk": ["/petitions/", "/petitions/new/", "/petitions/{P1}/", "/supervision/orders/"],
    "xianjin_mediator": ["/disputes/", "/disputes/new/", "/disputes/{D1}/", "/disputes/{D1}/file/",
                         "/supervision/notifications/", "/jobs/import/", "/people/",
                         "/filters/"],
}  # fmt: skip


def violations(page):
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " target: v.nodes[0].target.join(' ')})); }"
    )
    return result


def test_main_pages_have_no_critical_accessibility_violations(page, live_server, demo, login):
    petitions = build_petitions()
    disputes = build_disputes(demo["zhuji_mediator"])
    ids = {"P1": petitions["P1"].pk, "D1": disputes["D1"].pk}
    report, checked = {}, 0
    for username, paths in PAGES.items():
        page.context.clear_cookies()
        login(page, username)
        for path in paths:
            response = page.goto(live_server.url + path.format(**ids))
            assert response.status == 200, path
            found = violations(page)
            report[path] = found
            checked += 1
    worst = {
        path: [v for v in found if v["impact"] in ("critical", "serious")] for path, found in report.items()
    }
    assert {p: v for p, v in worst.items() if v} == {}
    assert checked == sum(len(p) for p in PAGES.values())
    # Moderate and minor ones are printed for people to look at (pytest -s), not hidden.
    for path, found in report.items():
        for v in found:
            print(f"axe {v['impact']}: {path} {v['id']} ×{v['nodes']} ({v['target']})")
