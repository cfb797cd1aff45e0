"""The monthly 研判报告 (reporting.monthly_report, report_jobs, report_views): the sentences from
plain figures, the SVG charts, the figures of a planted month in the PDF (pdftotext), the one
scoping rule, and the request -> ready -> download pages."""

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET  # noqa: S405 - our own markup
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Region
from reporting import charts, monthly_report, report_jobs
from reporting.models import AnalysisReport, AnalysisReportStatus
from tests.analysis.insight_data import plant_insight

COUNTY, FENGQIAO = "330681000000", "330681109000"
SHOTS = Path(os.environ.get("REPORT_SHOTS", "/tmp/jiefen-report"))


def test_rises_keeps_places_with_enough_cases_that_rose_largest_first():
    changes = [
        {"place": "枫桥镇", "category": "劳动争议", "cur": 6, "prev": 2},
        {"place": "枫桥镇", "category": "邻里纠纷", "cur": 3, "prev": 1},
        {"place": "暨阳街道", "category": "邻里纠纷", "cur": 2, "prev": 0},  # under the minimum
        {"place": "暨阳街道", "category": "婚姻家庭", "cur": 4, "prev": 4},  # did not rise
        {"place": "暨阳街道", "category": "劳动争议", "cur": 3, "prev": 0},
    ]
    found = monthly_report.rises(changes)
    assert [(r["category"], r["pct"]) for r in found] == [
        ("劳动争议", 200.0),
        ("劳动争议", None),
        ("邻里纠纷", 200.0),
    ]
    assert found[1]["place"] == "暨阳街道"


def _figures(**over):
    d = {
        "place": "诸暨市", "month_label": "2026年10月", "totals": {"cur": 8, "prev": 4, "ly": 10},
        "hottest": ("枫桥镇", 5), "respondents": [("宏达建筑", 2)],
        "rises": [{"place": "枫桥镇", "category": "劳动争议", "cur": 3, "prev": 1, "pct": 200.0}],
        "warnings": {"raised": 3, "handled": 1, "closed": 0},
        "conversion": {"disputes": 5, "converted": 1, "cases": 8, "repeated": 2, "rate": 20.0, "repeat": 25.0},
    }  # fmt: skip
    return {**d, **over}


def test_narrative_states_the_figures_in_chinese():
    with translation.override("zh-hans"):
        lines = monthly_report.narrative(_figures())
    text = "\n".join(lines)
    assert (
        "2026年10月，诸暨市共受理矛盾纠纷和信访 8 件，较上月（4 件）上升 100.0%，较去年同月（10 件）下降 20.0%。"
        in text
    )
    assert "案件最多的是枫桥镇，5 件，占 62.5%。" in text
    assert "本月 枫桥镇 劳动争议 环比上升 200.0%（由 1 件增至 3 件）。" in text
    assert "宏达建筑 2 件" in text
    assert "本月产生预警 3 条，处置 1 条，办结 0 条。" in text
    assert "转化率 20.0%" in text and "重复率 25.0%" in text


def test_narrative_without_anything_before_or_rising():
    with translation.override("zh-hans"):
        lines = monthly_report.narrative(_figures(totals={"cur": 0, "prev": 0, "ly": 0}, rises=[], hottest=None,
                                                  respondents=[]))  # fmt: skip
    assert "持平" in lines[0]
    assert "各地各类案件环比无明显上升。" in lines
    assert not any("最多" in line for line in lines)
    with translation.override("zh-hans"):
        assert monthly_report.movement(3, 0) == "新增（上期无）"


def test_charts_are_well_formed_svg_and_escape_their_labels():
    bar = charts.bar_chart([("<邻里>", 3), ("劳动争议", 1)], "类别")
    line = charts.line_chart(["1月", "2月"], [("本年", [1, 4]), ("上年", [2, 0])], "趋势")
    tiles = charts.tile_grid([charts.Tile("枫桥镇", 3, 5, "/x?a=1&b=2", "?region=1&month=2")], "地块", unit="件",
                             drill_label="查看")  # fmt: skip
    for svg in (bar, line, tiles):
        ET.fromstring(svg)  # noqa: S314 - parses: the labels are escaped
    assert "&lt;邻里&gt;" in bar
    assert 'href="/x?a=1&amp;b=2"' in tiles and 'aria-label="枫桥镇 3件"' in tiles
    assert 'href="?region=1&amp;month=2" aria-label="查看枫桥镇"' in tiles
    assert charts.nice_top(7) == 10 and charts.nice_top(11) == 20 and charts.nice_top(0) == 1


@pytest.fixture
def planted(demo):
    return plant_insight(demo)


@pytest.mark.django_db
def test_report_data_of_the_planted_month(demo, planted):
    county = Region.objects.get(code=COUNTY)
    with translation.override("zh-hans"):
        d = monthly_report.report_data(demo["zhuji_supervisor"], county, planted["month"])
    assert d["totals"] == {"cur": 7, "prev": 1, "ly": 1}
    assert d["hottest"] == ("枫桥镇", 5)
    assert [(r["place"], r["category"], r["cur"], r["prev"]) for r in d["rises"]] == [
        ("枫桥镇", "邻里纠纷", 3, 1)
    ]
    assert d["respondents"] == [("诸暨市宏达建筑有限公司", 2)]
    assert d["conversion"]["converted"] == 1 and d["conversion"]["disputes"] == 5
    scope = monthly_report.insight.Scope(demo["zhuji_supervisor"], county, planted["month"])
    tiles = {t.name: t.value for t in monthly_report.place_tiles(scope)}
    assert tiles["枫桥镇"] == 5 and tiles["暨阳街道"] == 2 and sum(tiles.values()) == 7
    scope.region = Region.objects.get(code=FENGQIAO)
    tiles = {t.name: t.value for t in monthly_report.place_tiles(scope)}
    assert tiles["先进村"] == 3 and tiles["阳春村"] == 2 and sum(tiles.values()) == 5


def _pdftotext(pdf: bytes, name: str) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm"):  # pages as PNG, to look at
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(SHOTS / name)], check=True)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.django_db
def test_the_pdf_contains_the_planted_month_s_figures(
    demo, planted, client, django_capture_on_commit_callbacks
):
    user = demo["zhuji_supervisor"]
    client.force_login(user)
    month = f"{planted['month'].start:%Y-%m}"
    with django_capture_on_commit_callbacks(execute=True):  # no worker alive: made in the request
        response = client.post(reverse("insight:reports"), {"region": COUNTY, "month": month})
    report = AnalysisReport.objects.get(owner=user)
    assert response.url == reverse("insight:report", args=[report.pk])
    assert report.status == AnalysisReportStatus.DONE, report.message
    page = client.get(response.url).content.decode()
    assert "本月 枫桥镇 邻里纠纷 环比上升 200.0%（由 1 件增至 3 件）。" in page
    download = client.get(reverse("insight:report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    text = _pdftotext(download.content, "county")
    flat = "".join(text.split())
    assert "分析研判报告" in text and "诸暨市" in text
    assert "共受理矛盾纠纷和信访7件，较上月（1件）上升600.0%" in flat
    assert "本月枫桥镇邻里纠纷环比上升200.0%（由1件增至3件）" in flat
    assert "诸暨市宏达建筑有限公司" in text
    assert "转化率20.0%" in flat  # 1 of 5 disputes
    assert "暨阳街道" in text and "2件" in flat  # the tile grid's labels are text in the PDF


@pytest.mark.django_db
def test_a_town_supervisor_gets_only_the_town_and_others_never_see_the_report(demo, planted, client):
    town = demo["fengqiao_supervisor"]
    client.force_login(town)
    month = f"{planted['month'].start:%Y-%m}"
    refused = client.post(reverse("insight:reports"), {"region": COUNTY, "month": month})
    assert refused.status_code == 200 and not AnalysisReport.objects.exists()  # the form refuses the county
    report = report_jobs.ask(town, Region.objects.get(code=FENGQIAO), planted["month"])
    assert report_jobs.make(report.pk) == "done"
    report.refresh_from_db()
    with translation.override("zh-hans"):
        assert any("枫桥镇共受理矛盾纠纷和信访 5 件" in line for line in report.facts)
    for other in ("zhuji_supervisor", "jiyang_supervisor", "zhuji_statistician"):
        client.force_login(demo[other])
        assert client.get(reverse("insight:report_download", args=[report.pk])).status_code == 404
        assert client.get(reverse("insight:report", args=[report.pk])).status_code == 404
    client.force_login(demo["xianjin_grid_worker"])
    assert client.get(reverse("insight:reports")).status_code == 403


@pytest.mark.django_db
def test_a_queued_report_shows_its_progress_until_the_worker_made_it(demo, planted, client):
    user = demo["zhuji_statistician"]
    report = AnalysisReport.objects.create(owner=user, unit_id=user.unit_id, region_id=COUNTY,
                                           start=planted["month"].start, end=planted["month"].end)  # fmt: skip
    client.force_login(user)
    page = client.get(reverse("insight:report", args=[report.pk])).content.decode()
    assert "report-download" not in page and 'data-finished="0"' in page
    status = client.get(reverse("insight:report_status", args=[report.pk])).json()
    assert status["finished"] is False and status["percent"] == 5
    assert client.get(reverse("insight:report_download", args=[report.pk])).status_code == 302
    from reporting.tasks import make_analysis_report

    assert make_analysis_report(report.pk) == "done"
    assert client.get(reverse("insight:report_status", args=[report.pk])).json()["finished"] is True
    assert "report-download" in client.get(reverse("insight:report", args=[report.pk])).content.decode()
    assert make_analysis_report(report.pk) == "skipped"  # a redelivered message
    again = report_jobs.ask(user, Region.objects.get(code=COUNTY), planted["month"])
    assert report_jobs.make(again.pk) == "done"
    assert list(AnalysisReport.objects.values_list("pk", flat=True)) == [again.pk]  # the older one replaced


@pytest.mark.django_db
def test_the_page_s_tiles_open_their_cases_and_the_town(demo, planted, client):
    import re

    client.force_login(demo["zhuji_supervisor"])
    month = f"{planted['month'].start:%Y-%m}"
    html = client.get(reverse("insight:index"), {"region": COUNTY, "month": month}).content.decode()
    grid = html[html.index('id="tile-grid"') :]
    grid = grid[: grid.index("</svg>")]
    link = re.search(r'<a href="(/analysis/cases/[^"]*)" aria-label="枫桥镇 5 件">', grid)
    assert link, "the 枫桥镇 tile opens its cases"
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count('class="case-row"') == 5
    drill = re.search(r'<a href="(\?region=330681109000[^"]*)" aria-label="查看下一级：枫桥镇">', grid)
    assert drill, "the 枫桥镇 name opens the town"
    town = client.get(reverse("insight:index") + drill.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r'aria-label="先进村 3 件"', town) and re.search(r'aria-label="阳春村 2 件"', town)
    # A place outside the page's region is refused.
    outside = {"region": FENGQIAO, "month": month, "figure": "place", "row": "330681001005"}
    assert client.get(reverse("insight:cases"), outside).status_code == 404


@pytest.mark.django_db
def test_hostile_input_to_the_report_form_and_the_warning_period_is_refused_without_a_500(demo, client):
    """Every hostile payload as the report's region and month (POST) and as the warnings list's period
    fields (GET): refused with the form shown again, never a 500, nothing stored, nothing executable."""
    from tests.security.hostile_checks import FORM, assert_safe_html, encode
    from tests.security.hostile_payloads import PAYLOADS

    client.force_login(demo["zhuji_supervisor"])
    # Two of each kind (xss, sql, template, control, bidi, full-width …): the whole list through
    # these forms took 6 minutes; the forms' fields are the statistics form's, tested in full there.
    sample = []
    for kind in dict.fromkeys(p.kind for p in PAYLOADS):
        sample += [p for p in PAYLOADS if p.kind == kind][:2]
    for payload in sample:
        for field in ("region", "month"):
            values = {"region": COUNTY, "month": "2026-10", field: payload}
            response = client.post(reverse("insight:reports"), encode(values), content_type=FORM)
            assert response.status_code in (200, 400), (field, payload)
            if response.status_code == 200:
                assert_safe_html(response.content.decode(), f"report form {field}", payload)
        for field in ("period", "month", "start", "end"):
            values = {
                "status": "all",
                "period": "range",
                "start": "2026-10-01",
                "end": "2026-10-31",
                field: payload,
            }
            response = client.get(f"{reverse('analysis:list')}?{encode(values)}")
            assert response.status_code in (200, 400), (field, payload)
            if response.status_code == 200:
                assert_safe_html(response.content.decode(), f"warning period {field}", payload)
    assert not AnalysisReport.objects.exists()
