import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from accounts.models import Region
from reporting import petition_stats
from reporting.periods import Period
from tests.reporting.petition_month import COUNTY, FENGQIAO, FENGQIAO_XIANJIN, JIYANG, build

OCTOBER = Period.month(2026, 10)
D = Decimal

# Hand-worked from petition_month.py.
FENGQIAO_SUMMARY = {
    "received": 3,
    "persons": 13,
    "accepted": 2,
    "not_accepted": 1,
    "closed": 1,
    "in_progress": 1,
    "overdue": 1,  # XF-P10: the follow-up a 复核 ordered, never reported
    "notice_due": 3,
    "notice_on_time": 3,
    "notice_rate": D("100.0"),
    "handle_due": 1,
    "handle_on_time": 0,
    "handle_rate": D("0.0"),
    "evaluable": 1,
    "evaluated": 1,
    "evaluation_rate": D("100.0"),
    "satisfied": 1,
    "satisfaction_rate": D("100.0"),
    "collective": 1,
    "repeat": 1,
    "repeat_rate": D("33.3"),
    "skip_level": 0,
}
JIYANG_SUMMARY = {
    "received": 3,
    "persons": 4,
    "accepted": 1,
    "not_accepted": 0,
    "closed": 1,
    "in_progress": 1,
    "overdue": 2,
    "notice_due": 1,
    "notice_on_time": 1,
    "notice_rate": D("100.0"),
    "handle_due": 1,
    "handle_on_time": 0,
    "handle_rate": D("0.0"),
    "evaluable": 1,
    "evaluated": 1,
    "evaluation_rate": D("100.0"),
    "satisfied": 0,
    "satisfaction_rate": D("0.0"),
    "collective": 0,
    "repeat": 0,
    "repeat_rate": D("0.0"),
    "skip_level": 1,
}
COUNTY_OWN_SUMMARY = {
    "received": 1,
    "persons": 1,
    "accepted": 0,
    "not_accepted": 1,
    "closed": 0,
    "in_progress": 0,
    "overdue": 0,
    "notice_due": 0,
    "notice_on_time": 0,
    "notice_rate": None,
    "handle_due": 0,
    "handle_on_time": 0,
    "handle_rate": None,
    "evaluable": 0,
    "evaluated": 0,
    "evaluation_rate": None,
    "satisfied": 0,
    "satisfaction_rate": None,
    "collective": 0,
    "repeat": 0,
    "repeat_rate": D("0.0"),
    "skip_level": 0,
}
TOTAL_SUMMARY = {
    "received": 7, "persons": 18, "accepted": 3, "not_accepted": 2, "closed": 2, "in_progress": 2,
    "overdue": 3, "notice_due": 4, "notice_on_time": 4, "notice_rate": D("100.0"), "handle_due": 2,
    "handle_on_time": 0, "handle_rate": D("0.0"), "evaluable": 2, "evaluated": 2,
    "evaluation_rate": D("100.0"), "satisfied": 1, "satisfaction_rate": D("50.0"), "collective": 1,
    "repeat": 1, "repeat_rate": D("14.3"), "skip_level": 1,
}  # fmt: skip


@pytest.fixture
def month(demo):
    return build()


def rows_by_key(result):
    return {row.key: row.values for row in result.all_rows()}


def test_county_summary_matches_the_hand_worked_table(month, demo):
    report = petition_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
    summary = rows_by_key(report["sheets"][0])
    assert summary[FENGQIAO] == FENGQIAO_SUMMARY
    assert summary[JIYANG] == JIYANG_SUMMARY
    assert summary["self"] == COUNTY_OWN_SUMMARY
    assert summary["total"] == TOTAL_SUMMARY
    # Every other town of the county is a row of zeros.
    others = [v for k, v in summary.items() if k not in (FENGQIAO, JIYANG, "self", "total")]
    assert others and all(v["received"] == 0 and v["notice_rate"] is None for v in others)


def test_channel_kind_and_content_sheets(month, demo):
    report = petition_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
    _, channel, category, kind = (rows_by_key(s) for s in report["sheets"])
    assert {k: v for k, v in channel[FENGQIAO].items() if v} == {
        "channel_letter": 1, "channel_visit": 1, "channel_online": 1,
        "visit_batches": 2, "visit_persons": 11, "collective_batches": 2, "collective_persons": 11,
    }  # fmt: skip
    assert {k: v for k, v in channel[JIYANG].items() if v} == {
        "channel_letter": 1,
        "channel_visit": 1,
        "channel_phone": 1,
        "visit_batches": 1,
        "visit_persons": 2,
    }
    assert {k: v for k, v in channel["total"].items() if v} == {
        "channel_letter": 2, "channel_visit": 2, "channel_online": 1, "channel_phone": 1,
        "channel_leader_mailbox": 1, "visit_batches": 3, "visit_persons": 13,
        "collective_batches": 2, "collective_persons": 11,
    }  # fmt: skip
    assert {k: v for k, v in kind["total"].items() if v} == {
        "kind_claim": 4,
        "kind_suggestion": 2,
        "kind_accusation": 1,
    }
    from petitions.models import PetitionCategory

    code = {f"category_{c.pk}": c.code for c in PetitionCategory.objects.filter(parent=None)}
    named = {code[k]: v for k, v in category["total"].items() if v}
    assert named == {
        "labour_social_security": 3,
        "urban_rural_construction": 2,
        "political_legal": 1,
        "other": 1,
    }
    # Each sheet's total is the sum of its rows, column by column.
    for sheet in report["sheets"]:
        for column in sheet.sheet.columns:
            if not column.rate:
                assert sheet.total.values[column.key] == sum(r.values[column.key] for r in sheet.rows)


def test_month_on_month_and_year_on_year(month, demo):
    report = petition_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
    received, persons = report["comparison"]
    assert (received["current"], received["previous"], received["year_before"]) == (7, 1, 1)
    assert received["previous_change"] == D("600.0") and received["year_change"] == D("600.0")
    assert (persons["current"], persons["previous"], persons["year_before"]) == (18, 1, 1)


@pytest.mark.parametrize(
    ("column", "row", "numbers"),
    [
        ("overdue", "total", {"XF-P4", "XF-P6", "XF-P10"}),
        ("overdue", FENGQIAO, {"XF-P10"}),  # not XF-P11: its follow-up was reported in October
        ("notice_due", FENGQIAO, {"XF-P1", "XF-P2", "XF-P3"}),
        ("received", "self", {"XF-P8"}),
        ("in_progress", "total", {"XF-P1", "XF-P6"}),
        ("satisfied", "total", {"XF-P2"}),
        ("not_accepted", "total", {"XF-P3", "XF-P8"}),
        ("channel_visit", JIYANG, {"XF-P5"}),
        ("handle_on_time", "total", set()),
        ("handle_due", "total", {"XF-P2", "XF-P6"}),
        ("skip_level", JIYANG, {"XF-P5"}),
    ],
)
def test_drill_down_lists_exactly_the_counted_petitions(month, demo, column, row, numbers):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    listed = {p.number for p in petition_stats.drill(user, county, OCTOBER, column, row)}
    assert listed == numbers


def test_every_count_figure_equals_its_drill_down(month, demo):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    report = petition_stats.compute(user, county, OCTOBER)
    for sheet in report["sheets"]:
        for column in sheet.sheet.columns:
            if not column.drillable:
                continue
            for row in [r for r in sheet.rows if r.values[column.key]] + [sheet.total]:
                count = petition_stats.drill(user, county, OCTOBER, column.key, row.key).count()
                assert count == row.values[column.key], (sheet.sheet.key, column.key, row.key)


def test_a_village_sees_its_own_village_only(month, demo):
    user = demo["xianjin_statistician"] if "xianjin_statistician" in demo else demo["xianjin_mediator"]
    village = Region.objects.get(code=FENGQIAO_XIANJIN)
    report = petition_stats.compute(user, village, OCTOBER)
    summary = report["sheets"][0]
    assert [row.key for row in summary.rows] == [FENGQIAO_XIANJIN]
    assert summary.total.values["received"] == 2  # XF-P1 and XF-P2
    assert report["comparison"][0]["year_before"] == 1  # XF-P9


def test_basically_satisfied_can_be_left_out(month, demo, settings):
    settings.PETITION_BASICALLY_SATISFIED_COUNTS = False
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    november = Period.month(2026, 11)  # nothing concluded: no rate, not 0 %
    assert (
        petition_stats.compute(user, county, november)["sheets"][0].total.values["satisfaction_rate"] is None
    )


def test_query_count_does_not_grow_with_rows(month, demo, django_assert_max_num_queries):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    # The user's unit, categories, row regions, the 复核 follow-up rule's ids, two petition passes
    # (the first also counting the compared periods), deadlines, visits: 8 whatever the number of
    # petitions; on PostgreSQL 2 more around the deadline pass (its planner setting set and put back).
    with django_assert_max_num_queries(8 if connection.vendor != "postgresql" else 10):
        petition_stats.compute(user, county, OCTOBER)


DEADLINE_FIGURES = ("notice_due", "notice_on_time", "handle_due", "handle_on_time", "overdue")


def test_deadline_pass_counts_petitions_received_by_the_period_end(month, demo, django_user_model):
    """The deadline pass reads the closing condition from the cases and the date received from the
    deadline rows it finds, below the province (petition_passes._held); the province's report reads
    both from the petitions. A deadline due in the period of a petition received after it (as an
    import could leave) counts in neither, nor in the drill-down."""
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    root = Region.objects.get(level=1)
    admin = django_user_model.objects.create_superuser("stats_root", password="x")

    def totals(who, region):
        summary = petition_stats.compute(who, region, OCTOBER)["sheets"][0]
        return {key: summary.total.values[key] for key in DEADLINE_FIGURES}

    before = totals(user, county)
    assert before["notice_due"] and before == totals(admin, root) == totals(admin, county)
    late = petition_stats.drill(user, county, OCTOBER, "notice_due", "total").first()
    type(late).objects.filter(pk=late.pk).update(received_on=OCTOBER.end + datetime.timedelta(days=1))
    after = totals(user, county)
    assert after["notice_due"] == before["notice_due"] - 1
    assert after == totals(admin, root) == totals(admin, county)
    for key in DEADLINE_FIGURES:
        assert petition_stats.drill(user, county, OCTOBER, key, "total").count() == after[key], key


def _random_page_cost():
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('random_page_cost')")
        return cur.fetchone()[0]


@pytest.mark.requires_postgres
def test_the_deadline_pass_puts_the_planner_setting_back(month, demo, monkeypatch):
    """The deadline pass plans its one statement as for reads from memory (petition_passes.RANDOM_READ)
    and leaves the connection as it found it, after the statement and after a failure."""
    from reporting import petition_passes

    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    before = _random_page_cost()
    assert before != petition_passes.RANDOM_READ["random_page_cost"]
    seen = []
    counting = petition_passes.grouped

    def grouped(*args, **kwargs):
        seen.append(_random_page_cost())
        return counting(*args, **kwargs)

    monkeypatch.setattr(petition_passes, "grouped", grouped)
    report = petition_stats.compute(user, county, OCTOBER)
    assert report["sheets"][0].total.values["notice_due"]
    assert petition_passes.RANDOM_READ["random_page_cost"] in seen and _random_page_cost() == before

    def failing(*args, **kwargs):  # the deadline pass's statement fails (the other passes group too)
        seen.append(_random_page_cost())
        if seen[-1] != petition_passes.RANDOM_READ["random_page_cost"]:
            return counting(*args, **kwargs)
        with connection.cursor() as cur:
            cur.execute("SELECT 1 / 0")

    monkeypatch.setattr(petition_passes, "grouped", failing)
    with pytest.raises(Exception, match="division by zero"), transaction.atomic():
        petition_stats.compute(user, county, OCTOBER)
    assert seen[-1] == petition_passes.RANDOM_READ["random_page_cost"] and _random_page_cost() == before
