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
                         "/filters/", "/disputes/calendar/"],
    # Issue 18's pages: warnings, the key-person register, 包案, the analysis (研判) page.
    "zhuji_supervisor": ["/warnings/", "/warnings/key-persons/", "/warnings/baoan/",
                         "/analysis/?region=330681000000&month=2026-10",
                         # the tile grid of a town, the warnings of a period, the 研判报告 pages
                         "/analysis/?region=330681109000&month=2026-10", "/warnings/?status=all&period=30d",
                         "/analysis/reports/", "/analysis/reports/{R1}/"],
}  # fmt: skip


def _report(user):
    """A ready 研判报告 of the user's, for its page."""
    import datetime

    from django.utils import timezone

    from reporting.models import AnalysisReport

    return AnalysisReport.objects.create(
        owner=user, unit_id=user.unit_id, region_id="330681000000", start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 31), status="done", pdf=b"%PDF-1.4", finished_at=timezone.now(),
        facts=["2026年10月，诸暨市共受理矛盾纠纷和信访 8 件。"],
    )  # fmt: skip


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
    ids = {"P1": petitions["P1"].pk, "D1": disputes["D1"].pk, "R1": _report(demo["zhuji_supervisor"]).pk}
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


# The same check on a 390x844 phone (cards instead of tables, folded filters, the photo button),
# as the people who use it there: a grid worker, a village mediator, a petition clerk.
PHONE_PAGES = {
    "xianjin_grid_worker": ["/", "/disputes/", "/disputes/new/", "/disputes/{G1}/"],
    "xianjin_mediator": ["/", "/disputes/", "/disputes/{G1}/", "/disputes/{G1}/accept/"],
    "zhuji_petition_clerk": ["/petitions/", "/petitions/new/", "/petitions/{P1}/"],
}


def test_phone_pages_have_no_critical_accessibility_violations(browser, live_server, demo):
    from tests.dispute_helpers import new_dispute

    petitions = build_petitions()
    ids = {"P1": petitions["P1"].pk, "G1": new_dispute(demo["xianjin_grid_worker"]).pk}
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    report = {}
    for username, paths in PHONE_PAGES.items():
        context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "jiefen2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            response = page.goto(live_server.url + path.format(**ids))
            assert response.status == 200, path
            report[f"{username} {path}"] = violations(page)
        if username == "xianjin_grid_worker":
            # The intake refused (no parties): errors beside the fields, the filters opened.
            page.goto(f"{live_server.url}/disputes/new/")
            page.click("main form button[type=submit]")
            page.wait_for_selector(".invalid-feedback")
            report["intake with errors"] = violations(page)
            page.goto(f"{live_server.url}/disputes/")
            page.locator("details.list-filters > summary").click()
            report["list with the filters open"] = violations(page)
    context.close()
    worst = {
        key: [v for v in found if v["impact"] in ("critical", "serious")] for key, found in report.items()
    }
    assert {k: v for k, v in worst.items() if v} == {}
    assert len(report) == sum(len(p) for p in PHONE_PAGES.values()) + 2
    for key, found in report.items():
        for v in found:
            print(f"axe phone {v['impact']}: {key} {v['id']} ×{v['nodes']} ({v['target']})")
