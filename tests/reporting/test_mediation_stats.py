from decimal import Decimal

import pytest

from accounts.models import Region
from reporting import mediation_stats
from reporting.periods import Period
from tests.reporting.mediation_month import build
from tests.reporting.petition_month import COUNTY, FENGQIAO, JIYANG

OCTOBER = Period.month(2026, 10)
D = Decimal

FENGQIAO_ROW = {
    "registered": 4,
    "accepted": 3,
    "not_accepted": 1,
    "success": 1,
    "success_rate": D("33.3"),
    "terminated": 1,
    "in_progress": 1,
    "evaluable": 2,
    "evaluated": 0,
    "evaluation_rate": D("0.0"),
    "satisfied": 0,
    "satisfaction_rate": None,
    "source_active": 1,
    "source_applied": 2,
    "source_referred": 0,
    "written": 1,
    "oral": 0,
    "amount": D("2"),
    "parties": 11,
    "confirmation_applied": 1,
    "confirmed": 1,
    "performed": 1,
    "prevented_criminal": 1,
    "risk_reported": 0,
    "prevented_mass_petition": 0,
}
JIYANG_ROW = {
    "registered": 3,
    "accepted": 2,
    "not_accepted": 0,
    "success": 1,
    "success_rate": D("50.0"),
    "terminated": 0,
    "in_progress": 1,
    "evaluable": 1,
    "evaluated": 0,
    "evaluation_rate": D("0.0"),
    "satisfied": 0,
    "satisfaction_rate": None,
    "source_active": 0,
    "source_applied": 1,
    "source_referred": 1,
    "written": 0,
    "oral": 1,
    "amount": D("0.50005"),
    "parties": 9,
    "confirmation_applied": 1,
    "confirmed": 0,
    "performed": 0,
    "prevented_criminal": 0,
    "risk_reported": 0,
    "prevented_mass_petition": 1,
}
TOTAL_ROW = {
    "registered": 7, "accepted": 5, "not_accepted": 1, "success": 2, "success_rate": D("40.0"),
    "terminated": 1, "in_progress": 2, "evaluable": 3, "evaluated": 0, "evaluation_rate": D("0.0"), "satisfied": 0,
    "satisfaction_rate": None, "source_active": 1, "source_applied": 3, "source_referred": 1,
    "written": 1, "oral": 1, "amount": D("2.50005"), "parties": 20, "confirmation_applied": 2, "confirmed": 1,
    "performed": 1, "prevented_criminal": 1, "risk_reported": 0, "prevented_mass_petition": 1,
}  # fmt: skip


@pytest.fixture
def month(demo):
    return build(demo["zhuji_mediator"])


def test_county_mediation_table(month, demo):
    report = mediation_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
    summary = {row.key: row.values for row in report["sheets"][0].all_rows()}
    assert summary[FENGQIAO] == FENGQIAO_ROW
    assert summary[JIYANG] == JIYANG_ROW
    assert summary["total"] == TOTAL_ROW


def test_by_category_counts_accepted_disputes(month, demo):
    from mediation.models import DisputeCategory

    report = mediation_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
    code = {f"category_{c.pk}": c.code for c in DisputeCategory.objects.all()}
    total = report["sheets"][1].total.values
    assert {code[k]: v for k, v in total.items() if v} == {"neighbour": 2, "marriage_family": 1, "labour": 2}


def test_month_boundary_is_shanghai_time(month, demo):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    numbers = {d.number for d in mediation_stats.drill(user, county, OCTOBER, "registered", "total")}
    assert "TJ-D7" not in numbers and "TJ-D8" in numbers
    september = mediation_stats.compute(user, county, Period.month(2026, 9))
    assert september["sheets"][0].total.values["success"] == 1


def test_every_count_equals_its_drill_down(month, demo):
    user, county = demo["zhuji_statistician"], Region.objects.get(code=COUNTY)
    report = mediation_stats.compute(user, county, OCTOBER)
    for sheet in report["sheets"]:
        for column in sheet.sheet.columns:
            if column.drillable:
                for row in sheet.all_rows():
                    listed = mediation_stats.drill(user, county, OCTOBER, column.key, row.key).count()
                    assert listed == row.values[column.key], (column.key, row.key)


def test_query_count(month, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        mediation_stats.compute(demo["zhuji_statistician"], Region.objects.get(code=COUNTY), OCTOBER)
