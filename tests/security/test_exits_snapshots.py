"""The access matrix's second half, frozen statistics (issue 14, leak 4): a month frozen by the
county counts accusations withheld from a village centre and from a town centre (信访工作条例 §30);
no figure any other viewer is shown of it — page, xlsx with its cell comments, PDF text, drill-down
lists — counts a case withheld from them, and no "现值" beside a frozen figure tells them one
exists, while the county statistician still sees the figures exactly as reported.

What each viewer may be told is their own scoped report computed when the month was frozen (the
cases they may see, by accounts.scoping), checked against hand-counted differences below. After the
freeze only hidden cases change (a late accusation, another visit), so any live figure shown
beside a frozen one to those viewers would be the leak itself. The figures checked go to
var/security/exits_snapshots.json for SECURITY.md.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Region, Unit
from petitions.models import Evaluation, VisitBatch
from reporting import mediation_stats, petition_stats
from reporting.models import StatisticsSnapshot
from reporting.periods import Period
from reporting.tables import serialise
from tests.reporting.mediation_month import agreement, dispute, opened
from tests.reporting.mediation_month import build as build_disputes
from tests.reporting.petition_month import (
    COUNTY,
    FENGQIAO_XIANJIN,
    FENGQIAO_YANGCHUN,
    at,
    d,
    deadline,
    petition,
)
from tests.reporting.petition_month import build as build_petitions
from tests.security.snapshot_checks import Reader, Tally

pytestmark = pytest.mark.django_db
REPORT = Path(__file__).resolve().parents[2] / "var" / "security" / "exits_snapshots.json"
OCTOBER = Period.month(2026, 10)
FENGQIAO = "330681109000"
XIANJIN_CENTRE, TOWN_CENTRE = "先进村综治中心", "枫桥镇综治中心"
REPORTS = {"petitions": petition_stats, "mediation": mediation_stats}
FROZEN_REGIONS = (COUNTY, FENGQIAO, FENGQIAO_XIANJIN, FENGQIAO_YANGCHUN)
# Viewer -> (regions they report on, case numbers withheld from their unit).
AGAINST_XIANJIN = ("XF-A1", "XF-A3", "TJ-A1", "TJ-A3")
AGAINST_TOWN = ("XF-A2", "XF-A4", "TJ-A2", "TJ-A4")
VIEWERS = {
    "xianjin_statistician": ((FENGQIAO_XIANJIN,), AGAINST_XIANJIN),  # the accused unit
    "xianjin_supervisor": ((FENGQIAO_XIANJIN,), AGAINST_XIANJIN),
    "fengqiao_statistician": ((FENGQIAO, FENGQIAO_XIANJIN, FENGQIAO_YANGCHUN), AGAINST_TOWN),
    "fengqiao_supervisor": ((FENGQIAO,), AGAINST_TOWN),
    "yangchun_statistician": ((FENGQIAO_YANGCHUN,), ()),  # sees the accusation against the town
    "zhuji_supervisor": ((COUNTY,), ()),  # another county unit: every case, not the reporting unit
}
# Viewer and region where every change after the freeze is a case withheld from the viewer.
QUIET = {
    ("xianjin_statistician", FENGQIAO_XIANJIN),
    ("xianjin_supervisor", FENGQIAO_XIANJIN),
    ("fengqiao_statistician", FENGQIAO_YANGCHUN),
}
# Figures checked, by who read them: viewers outside the reporting unit, the reporting unit, and
# the accused unit reading a snapshot without membership.
TALLIES = {"viewers": Tally(), "reporting unit": Tally(), "membership unknown": Tally()}


def _hidden_cases(units):
    """Accusations at freeze time, each touching as many figures as it can."""
    x, town = units[XIANJIN_CENTRE], units[TOWN_CENTRE]
    a1 = petition("XF-A1", FENGQIAO_XIANJIN, "visit", "accusation", "political_legal", d(10, 6),
                  status="replied", accepted_on=d(10, 7), replied_on=d(10, 25), is_collective=True,
                  withheld_from_unit=x)  # fmt: skip
    VisitBatch.objects.create(petition=a1, visited_on=d(10, 6), head_count=4)
    deadline(a1, "petition_notice", d(10, 6), d(10, 21), met=at(10, 7), on_time=True)
    deadline(a1, "petition_handle", d(10, 7), d(10, 20), met=at(10, 25), on_time=False)
    Evaluation.objects.create(petition=a1, value="satisfied", given_on=d(10, 28), way="电话")
    a2 = petition("XF-A2", FENGQIAO_YANGCHUN, "phone", "accusation", "political_legal", d(10, 12),
                  withheld_from_unit=town)  # fmt: skip
    deadline(a2, "petition_route", d(10, 12), d(10, 19))  # never routed: overdue
    recorder = Unit.objects.get(name="诸暨市人民调解委员会").members.first()
    t1 = dispute("TJ-A1", FENGQIAO_XIANJIN, "application", "archived", "neighbour", 5, opened(10, 9),
                 prevented_mass_petition=True, withheld_from_unit=x)  # fmt: skip
    agreement(t1, "written", Decimal("30000"), recorder, confirmation_state="confirmed")
    dispute("TJ-A2", FENGQIAO_YANGCHUN, "walk_in", "mediating", "neighbour", 3, opened(10, 10),
            withheld_from_unit=town)  # fmt: skip


def _change_hidden_cases(units):
    """After the freeze, only cases hidden from the village and the town change."""
    x, town = units[XIANJIN_CENTRE], units[TOWN_CENTRE]
    petition("XF-A3", FENGQIAO_XIANJIN, "letter", "accusation", "political_legal", d(10, 20),
             withheld_from_unit=x)  # fmt: skip
    VisitBatch.objects.create(petition_id=_pk("XF-A1"), visited_on=d(10, 15), head_count=2)
    petition("XF-A4", FENGQIAO_YANGCHUN, "online", "accusation", "political_legal", d(10, 22),
             withheld_from_unit=town)  # fmt: skip
    dispute(
        "TJ-A3", FENGQIAO_XIANJIN, "phone", "mediating", "neighbour", 2, opened(10, 21), withheld_from_unit=x
    )
    dispute("TJ-A4", FENGQIAO_YANGCHUN, "phone", "mediating", "neighbour", 2, opened(10, 22),
            withheld_from_unit=town)  # fmt: skip


def _pk(number):
    from cases.models import Case

    return Case.objects.get(number=number).pk


@pytest.fixture
def month(demo, client):
    """The fixture months and the accusations, frozen by the county statistician for the county,
    the town and both villages (the real freeze POST); then the hidden cases change."""
    build_petitions()
    build_disputes(demo["zhuji_mediator"])
    units = {name: Unit.objects.get(name=name) for name in (XIANJIN_CENTRE, TOWN_CENTRE)}
    _hidden_cases(units)
    client.force_login(demo["zhuji_statistician"])
    for slug in REPORTS:
        for region in FROZEN_REGIONS:
            response = client.post(
                f"{reverse('reporting:freeze', args=[slug])}?region={region}&month=2026-10"
            )
            assert response.status_code == 302
    assert StatisticsSnapshot.objects.count() == len(REPORTS) * len(FROZEN_REGIONS)
    # What each viewer may be told of the frozen month: their own report as it was at freeze time.
    told = {
        (name, slug, code): serialise(
            module.compute(demo[name], Region.objects.get(code=code), OCTOBER)["sheets"]
        )
        for name, (codes, _hidden) in VIEWERS.items()
        for slug, module in REPORTS.items()
        for code in codes
    }
    _change_hidden_cases(units)
    return told


def _live_only(slug, user, region):
    """The sheets the report shows live, outside the freeze (reporting.reports: ``live_sheets``)."""
    live_sheets = getattr(REPORTS[slug], "live_sheets", None)
    return live_sheets(user, region, OCTOBER) if live_sheets else []


def _reader(client, demo, name, slug, code, told, tally="viewers"):
    client.force_login(demo[name])
    region = Region.objects.get(code=code)
    live = REPORTS[slug].compute(demo[name], region, OCTOBER)["sheets"]
    return Reader(
        client, slug, code, told[(name, slug, code)], live, VIEWERS[name][1], TALLIES[tally],
        live_only=_live_only(slug, demo[name], region),
    )  # fmt: skip


def _reported(slug, code):
    kind = {"petitions": "petition", "mediation": "mediation"}[slug]
    return StatisticsSnapshot.objects.get(report=kind, region_id=code).figures


def _write_tally():
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({k: dict(v) for k, v in TALLIES.items()}, ensure_ascii=False, indent=1))


@pytest.mark.parametrize("slug", list(REPORTS))
def test_s30_no_exit_of_a_frozen_month_counts_a_case_withheld_from_the_viewer(
    month, client, demo, slug, tmp_path
):
    for name, (codes, _hidden) in VIEWERS.items():
        for code in codes:
            reader = _reader(client, demo, name, slug, code, month)
            badges = reader.check_page()
            comments = reader.check_xlsx()
            differing = reader.check_pdf(tmp_path)
            reader.check_drills(_reported(slug, code))
            if (name, code) in QUIET:  # only hidden cases changed: nothing may show beside a figure
                assert reader.frozen == reader.live and badges == comments == differing == 0, (name, code)
            TALLIES["viewers"]["reports"] += 1
    _write_tally()


def test_s30_the_accused_unit_sees_one_case_fewer_than_was_reported(month, client, demo):
    """Hand-counted: 先进村 received XF-P1, XF-P2 and the accusation XF-A1; registered TJ-D1, TJ-D2
    and TJ-A1. The village centre is told 2 and 2; the town centre, whose accusation XF-A2 is in
    阳春村, is told the town's 5 received less that one."""
    petitions = _reader(client, demo, "xianjin_statistician", "petitions", FENGQIAO_XIANJIN, month)
    html = petitions.get("table").content.decode()
    assert "本单位可见部分" in html and "text-bg-warning" not in html
    assert _reported("petitions", FENGQIAO_XIANJIN)["summary"]["total"]["received"] == 3
    assert petitions.frozen["summary"]["total"]["received"] == 2
    assert petitions.frozen["channel"]["total"]["visit_persons"] == 11  # XF-P2's 6 + 5, not XF-A1's 4
    mediation = _reader(client, demo, "xianjin_statistician", "mediation", FENGQIAO_XIANJIN, month)
    assert _reported("mediation", FENGQIAO_XIANJIN)["summary"]["total"]["registered"] == 3
    assert mediation.frozen["summary"]["total"]["registered"] == 2
    town = _reader(client, demo, "fengqiao_statistician", "petitions", FENGQIAO, month)
    assert _reported("petitions", FENGQIAO)["summary"]["total"]["received"] == 5
    assert town.frozen["summary"]["total"]["received"] == 4


@pytest.mark.parametrize("slug", list(REPORTS))
def test_the_reporting_unit_still_sees_the_reported_figures(month, client, demo, slug, tmp_path):
    """The county statistician: every frozen region shows exactly the stored figures, with the live
    figure (now counting the late accusations) beside those that changed."""
    for code in FROZEN_REGIONS:
        reported = _reported(slug, code)
        client.force_login(demo["zhuji_statistician"])
        region, user = Region.objects.get(code=code), demo["zhuji_statistician"]
        live = REPORTS[slug].compute(user, region, OCTOBER)["sheets"]
        reader = Reader(
            client, slug, code, reported, live, (), TALLIES["reporting unit"],
            live_only=_live_only(slug, user, region),
        )  # fmt: skip
        assert reader.check_page() > 0  # the changes after the freeze do show to the reporting unit
        reader.check_xlsx()
        reader.check_pdf(tmp_path)
        html = reader.get("table").content.decode()
        assert "本单位可见部分" not in html
        TALLIES["reporting unit"]["reports"] += 1
    _write_tally()


def test_s30_a_snapshot_without_membership_shows_the_accused_unit_only_its_live_figures(month, client, demo):
    """Frozen before membership was recorded: the accused unit sees its own live figures, marked."""
    StatisticsSnapshot.objects.update(members=None, unit=None)
    reader = _reader(
        client, demo, "xianjin_statistician", "petitions", FENGQIAO_XIANJIN, month, "membership unknown"
    )
    reader.frozen = reader.live  # live figures only, nothing beside them
    assert reader.check_page() == 0 and reader.check_xlsx() == 0
    reader.check_drills(_reported("petitions", FENGQIAO_XIANJIN))
    html = reader.get("table").content.decode()
    assert "本单位可见部分" in html and "而非上报数" in html
    assert reader.live["summary"]["total"]["received"] == 2
    _write_tally()
