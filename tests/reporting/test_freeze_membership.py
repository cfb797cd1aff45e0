"""A frozen report keeps the cases behind each figure: they add up to the figures reported, each
viewer sees them restricted to the cases they may see, and a snapshot frozen before membership was
recorded shows others only their own live figures (docs/statistics.md, month-end freeze)."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Region, Unit
from reporting import freeze, mediation_stats, petition_stats
from reporting.models import StatisticsSnapshot
from reporting.periods import Period
from reporting.tables import member_ids, row_regions, serialise
from tests.reporting.mediation_month import build as build_disputes
from tests.reporting.petition_month import COUNTY, FENGQIAO_XIANJIN, build, d, petition
from tests.reporting.test_views import screen_cell

OCTOBER = Period.month(2026, 10)
URL = reverse("reporting:table", args=["petitions"])
FREEZE = reverse("reporting:freeze", args=["petitions"])


@pytest.fixture
def month(demo):
    build()
    build_disputes(demo["zhuji_mediator"])


@pytest.mark.parametrize("module", [petition_stats, mediation_stats], ids=["petitions", "mediation"])
def test_frozen_figures_equal_the_live_report(month, demo, module):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    sheets, members = module.frozen(user, county, OCTOBER)
    assert serialise(sheets) == serialise(module.compute(user, county, OCTOBER)["sheets"])
    assert members["counts"]["received" if module is petition_stats else "registered"]


@pytest.mark.parametrize("module", [petition_stats, mediation_stats], ids=["petitions", "mediation"])
def test_every_frozen_count_is_the_number_of_its_member_cases(month, demo, module):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    sheets, members = module.frozen(user, county, OCTOBER)
    keys = [key for key, _name in row_regions(county)[1]]
    checked = 0
    for sheet in sheets:
        for column in (c for c in sheet.sheet.columns if c.drillable):
            for row in sheet.all_rows():
                ids = member_ids(members, column.key, row.key, keys)
                assert len(ids) == row.values[column.key], (sheet.sheet.key, column.key, row.key)
                live = module.drill(user, county, OCTOBER, column.key, row.key)
                assert sorted(ids) == sorted(live.values_list("pk", flat=True))
                checked += 1
    assert checked > 100


def test_freezing_takes_as_many_queries_as_the_report(month, demo, django_assert_max_num_queries):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    # As petition_stats.compute (test_petition_stats): 8, and 2 on PostgreSQL around the deadline pass.
    with django_assert_max_num_queries(8 if connection.vendor != "postgresql" else 10):
        petition_stats.frozen(user, county, OCTOBER)
    with django_assert_max_num_queries(4):
        mediation_stats.frozen(user, county, OCTOBER)


def test_the_snapshot_records_the_reporting_unit_and_membership(month, client, demo):
    client.force_login(demo["zhuji_statistician"])
    client.post(f"{FREEZE}?region={COUNTY}&month=2026-10")
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.unit_id == demo["zhuji_statistician"].unit_id
    assert snapshot.figures["summary"]["total"]["received"] == 7
    received = [i for ids in snapshot.members["counts"]["received"].values() for i in ids]
    assert len(set(received)) == 7


def test_another_unit_sees_the_reported_values_labelled_as_its_visible_part(month, client, demo):
    client.force_login(demo["zhuji_statistician"])  # 诸暨市信访局
    client.post(f"{FREEZE}?region={COUNTY}&month=2026-10")
    client.force_login(demo["zhuji_supervisor"])  # 诸暨市综治中心: sees every case of the county
    html = client.get(URL, {"region": COUNTY, "month": "2026-10"}).content.decode()
    assert screen_cell(html, "summary", "total", "received") == "7"
    assert "本单位可见部分" in html and "text-bg-warning" not in html  # no live figure differs
    client.force_login(demo["zhuji_statistician"])
    own = client.get(URL, {"region": COUNTY, "month": "2026-10"}).content.decode()
    assert "本单位可见部分" not in own and "冻结上报" in own


def test_a_frozen_page_takes_a_fixed_number_of_queries(month, client, demo, django_assert_max_num_queries):
    client.force_login(demo["zhuji_statistician"])
    client.post(f"{FREEZE}?region={COUNTY}&month=2026-10")
    client.force_login(demo["zhuji_supervisor"])
    with django_assert_max_num_queries(21) as before:
        client.get(URL, {"region": COUNTY, "month": "2026-10"})
    snapshot = StatisticsSnapshot.objects.get()
    # Three hundred more frozen cases: the same number of queries.
    for i in range(300):
        case = petition(f"XF-M{i}", FENGQIAO_XIANJIN, "letter", "claim", "wage_arrears", d(10, 9))
        snapshot.members["counts"]["received"][FENGQIAO_XIANJIN[:9]].append(case.pk)
    snapshot.save()
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(URL, {"region": COUNTY, "month": "2026-10"}).content.decode()
    assert screen_cell(html, "summary", "total", "received").split()[0] == "307"


def _legacy_snapshot(client, demo):
    client.force_login(demo["zhuji_statistician"])
    client.post(f"{FREEZE}?region={COUNTY}&month=2026-10")
    StatisticsSnapshot.objects.update(members=None, unit=None)  # as migration 0002 leaves older ones
    snapshot = StatisticsSnapshot.objects.get()
    snapshot.figures["summary"]["total"]["received"] = 9  # what another figure would look like
    snapshot.save()


def test_membership_unknown_shows_others_their_own_live_figures(month, client, demo):
    _legacy_snapshot(client, demo)
    client.force_login(demo["zhuji_supervisor"])
    html = client.get(URL, {"region": COUNTY, "month": "2026-10"}).content.decode()
    assert screen_cell(html, "summary", "total", "received") == "7"  # live, no "现值"
    assert "本单位可见部分" in html and "而非上报数" in html
    drill = client.get(reverse("reporting:drill", args=["petitions"]),
                       {"region": COUNTY, "month": "2026-10", "column": "received", "row": "total"})  # fmt: skip
    assert drill.content.decode().count('class="case-row"') == 7


def test_membership_unknown_still_shows_the_freezer_what_was_reported(month, client, demo):
    _legacy_snapshot(client, demo)
    client.force_login(demo["zhuji_statistician"])
    html = client.get(URL, {"region": COUNTY, "month": "2026-10"}).content.decode()
    assert screen_cell(html, "summary", "total", "received") == "9 现值 7"


def test_viewed_by_restricts_to_the_cases_the_viewer_may_see(month, demo):
    county = Region.objects.get(code=COUNTY)
    accused = Unit.objects.get(name="诸暨市综治中心")
    hidden = petition("XF-H1", FENGQIAO_XIANJIN, "letter", "accusation", "political_legal", d(10, 9),
                      withheld_from_unit=accused)  # fmt: skip
    sheets, members = petition_stats.frozen(demo["zhuji_statistician"], county, OCTOBER)
    assert hidden.pk in members["counts"]["received"][FENGQIAO_XIANJIN[:9]]
    snapshot = StatisticsSnapshot(
        figures=serialise(sheets), members=members, unit=demo["zhuji_statistician"].unit
    )
    live = petition_stats.compute(demo["zhuji_supervisor"], county, OCTOBER)["sheets"]
    seen = freeze.viewed_by(demo["zhuji_supervisor"], snapshot, petition_stats, live, county)
    assert seen.mode == freeze.VISIBLE_PART
    assert seen.figures["summary"]["total"]["received"] == 7  # not 8
    assert seen.figures == serialise(live)
    reporter = freeze.viewed_by(demo["zhuji_statistician"], snapshot, petition_stats, live, county)
    assert reporter.mode == freeze.REPORTED and reporter.figures["summary"]["total"]["received"] == 8


@pytest.mark.parametrize("module", [petition_stats, mediation_stats], ids=["petitions", "mediation"])
def test_the_list_behind_a_figure_is_named_by_its_column_without_counting_the_report(
    month, client, demo, module, django_assert_max_num_queries
):
    # A figure's list reads its label from the report's column definitions (and the snapshot), not
    # from the report's figures: the page the figure is on has computed those already.
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    columns = [c for s in module.compute(user, county, OCTOBER)["sheets"] for c in s.sheet.columns]
    assert [module.drill_label(OCTOBER, c.key) for c in columns] == [
        c.label if c.drillable else None for c in columns
    ]
    assert module.drill_label(OCTOBER, "no_such_column") is None
    slug, column = ("petitions", "received") if module is petition_stats else ("mediation", "registered")
    url = reverse("reporting:drill", args=[slug])
    client.force_login(user)
    for frozen in (False, True):
        if frozen:
            client.post(f"{reverse('reporting:freeze', args=[slug])}?region={COUNTY}&month=2026-10")
        with django_assert_max_num_queries(12):
            page = client.get(url, {"region": COUNTY, "month": "2026-10", "column": column, "row": "total"})
        listed = int(page.context["page"].paginator.count)
        total = next(
            c for c in module.compute(user, county, OCTOBER)["sheets"][0].all_rows() if c.key == "total"
        )
        assert page.context["frozen_list"] is frozen and listed == total.values[column] > 0
    assert (
        client.get(url, {"region": COUNTY, "month": "2026-10", "column": "no_such_column"}).status_code == 404
    )
