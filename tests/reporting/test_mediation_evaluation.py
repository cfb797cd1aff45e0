"""参评率 and 满意率 of the monthly mediation statistics: the petition definitions (docs/statistics.md)
over the month's cohort of disputes; kept by the month-end freeze like the other figures."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Region
from mediation.models import DisputeEvaluation
from reporting import mediation_stats
from reporting.periods import Period
from reporting.tables import serialise
from tests.reporting.mediation_month import build
from tests.reporting.petition_month import COUNTY, FENGQIAO, JIYANG

OCTOBER = Period.month(2026, 10)
D = Decimal
KEYS = ("evaluable", "evaluated", "evaluation_rate", "satisfied", "satisfaction_rate")


def given(dispute, value, day, month=10):
    DisputeEvaluation.objects.create(
        dispute=dispute, value=value, given_on=datetime.date(2026, month, day), way="网上评价"
    )


@pytest.fixture
def month(demo):
    d = build(demo["zhuji_mediator"])
    given(d["D1"], "basically", 26)  # archived with an agreement: counts, basically satisfied
    given(d["D2"], "satisfied", 21)  # terminated: counts; its latest evaluation is dissatisfied
    given(d["D2"], "dissatisfied", 28)
    given(d["D3"], "satisfied", 27)  # still mediating: not concluded, not counted
    given(d["D7"], "satisfied", 2, month=11)  # registered in September: not October's cohort
    return d


def figures(demo, period=OCTOBER):
    report = mediation_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), period)
    return {row.key: {k: row.values[k] for k in KEYS} for row in report["sheets"][0].all_rows()}


def test_evaluation_and_satisfaction_rates_by_hand(month, demo):
    rows = figures(demo)
    # 枫桥: D1, D2 concluded and evaluated; D1 basically satisfied, D2 last dissatisfied.
    assert rows[FENGQIAO] == dict(zip(KEYS, (2, 2, D("100.0"), 1, D("50.0")), strict=True))
    # 暨阳: D5 concluded (oral agreement), not evaluated.
    assert rows[JIYANG] == dict(zip(KEYS, (1, 0, D("0.0"), 0, None), strict=True))
    # 2 of 3 = 66.7 %, 1 of 2 = 50.0 %.
    assert rows["total"] == dict(zip(KEYS, (3, 2, D("66.7"), 1, D("50.0")), strict=True))
    september = figures(demo, Period.month(2026, 9))["total"]
    assert september == dict(zip(KEYS, (1, 1, D("100.0"), 1, D("100.0")), strict=True))


def test_basically_satisfied_not_counted_when_configured(month, demo, settings):
    settings.PETITION_BASICALLY_SATISFIED_COUNTS = False
    assert figures(demo)["total"]["satisfied"] == 0
    assert figures(demo)["total"]["satisfaction_rate"] == D("0.0")


def test_each_figure_equals_its_drill_down_and_the_freeze_keeps_it(month, demo):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    numbers = {
        key: sorted(d.number for d in mediation_stats.drill(user, county, OCTOBER, key, "total"))
        for key in ("evaluable", "evaluated", "satisfied")
    }
    assert numbers == {
        "evaluable": ["TJ-D1", "TJ-D2", "TJ-D5"],
        "evaluated": ["TJ-D1", "TJ-D2"],
        "satisfied": ["TJ-D1"],
    }
    sheets, members = mediation_stats.frozen(user, county, OCTOBER)
    assert serialise(sheets) == serialise(mediation_stats.compute(user, county, OCTOBER)["sheets"])
    assert sheets[0].total.values["evaluation_rate"] == D("66.7")
    # A later evaluation does not move the frozen figures.
    given(month["D5"], "satisfied", 3, month=11)
    kept = mediation_stats.from_members(members, None, mediation_stats.sheets({}, []), county, [])
    assert kept[0].total.values["evaluated"] == 2
    assert figures(demo)["total"]["evaluated"] == 3


def test_screen_and_xlsx_show_the_rates(month, demo, client):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.reporting.test_views import screen_cell

    client.force_login(demo["zhuji_statistician"])
    query = {"region": COUNTY, "month": "2026-10"}
    html = client.get(reverse("reporting:table", args=["mediation"]), query).content.decode()
    assert screen_cell(html, "summary", "total", "evaluation_rate") == "66.7%"
    assert screen_cell(html, "summary", "total", "satisfaction_rate") == "50.0%"
    book = load_workbook(io.BytesIO(client.get(reverse("reporting:xlsx", args=["mediation"]), query).content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if any(isinstance(c, str) and "参评率" in c for c in r))
    total = next(r for r in rows if r[0] == "合计")
    figures_by_head = {h: v for h, v in zip(header, total, strict=False) if h}
    assert [v for h, v in figures_by_head.items() if h.startswith("参评率")] in (
        [66.7],
        [D("66.7")],
        ["66.7%"],
    )
