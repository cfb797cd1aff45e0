"""Overdue clusters (analysis.overdue): a unit's open overdue cases now against its own recent days."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Unit
from analysis import scan
from analysis.models import EarlyWarning, OverdueCount, OverdueDay
from cases.models import Case
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def late_cases(demo, n, unit):
    now = timezone.now()
    cases = [new_dispute(demo["zhuji_supervisor"], village="jiangdong", summary=f"超期{i}") for i in range(n)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        handling_unit=unit, next_due_at=now - datetime.timedelta(hours=2)
    )
    return cases


def history(unit, per_day, days=10):
    today = timezone.localdate()
    for back in range(1, days + 1):
        day = OverdueDay.objects.create(day=today - datetime.timedelta(days=back), taken_at=timezone.now())
        if per_day:
            OverdueCount.objects.create(day=day, unit=unit, overdue=per_day)


def test_a_new_installation_does_not_alarm_before_it_has_counted_half_the_window(demo):
    unit = Unit.objects.get(name="江东社区综治中心")
    late_cases(demo, 8, unit)
    history(unit, 0, days=6)  # 6 of 14 days
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="overdue_cluster").exists()
    assert OverdueCount.objects.get(day__day=timezone.localdate(), unit=unit).overdue == 8


def test_the_day_s_counts_are_every_unit_s_open_and_late_cases_as_counted_live(demo):
    """The first scan of a day writes each unit's counts in one INSERT … SELECT (analysis.overdue):
    stored, returned and counted live, they are the same for every unit with an open case."""
    from analysis.overdue import count_now, count_today

    late_cases(demo, 3, Unit.objects.get(name="江东社区综治中心"))
    late_cases(demo, 2, Unit.objects.get(name="诸暨市综治中心"))
    now = timezone.now()
    live = count_now(now)
    assert len(live) >= 2 and any(late for late, _n in live.values())
    assert count_today(now) == live
    stored = OverdueCount.objects.filter(day__day=timezone.localdate(now))
    assert {c.unit_id: (c.overdue, c.open_cases) for c in stored} == live
    assert count_today(now) == live and stored.count() == len(live)  # the day is counted once


def test_a_unit_that_is_always_this_late_does_not_alarm(demo):
    unit = Unit.objects.get(name="江东社区综治中心")
    late_cases(demo, 8, unit)
    history(unit, 7)
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="overdue_cluster").exists()


def test_a_jump_raises_one_warning_to_the_county_with_the_late_cases(demo):
    unit = Unit.objects.get(name="江东社区综治中心")
    cases = late_cases(demo, 6, unit)
    history(unit, 0)
    scan.scan()
    warning = EarlyWarning.objects.get(kind="overdue_cluster")
    assert warning.region_id == unit.region_id and warning.unit.name == "诸暨市综治中心"
    assert set(warning.evidence.values_list("pk", flat=True)) == {c.pk for c in cases}
    assert scan.scan().raised == []


# The rate (rule overdue_rate): the share of a unit's open cases past due against its own recent days.


def rate_history(unit, overdue, open_cases, days=10):
    today = timezone.localdate()
    for back in range(1, days + 1):
        day, _new = OverdueDay.objects.get_or_create(
            day=today - datetime.timedelta(days=back), defaults={"taken_at": timezone.now()}
        )
        OverdueCount.objects.create(day=day, unit=unit, overdue=overdue, open_cases=open_cases)


def test_the_rate_rule_sees_a_share_jump_the_count_rule_does_not(demo):
    from analysis.surge import poisson_bound

    unit = Unit.objects.get(name="江东社区综治中心")
    cases = late_cases(demo, 6, unit)
    Case.objects.filter(pk=cases[0].pk).update(next_due_at=timezone.now() + datetime.timedelta(days=3))
    rate_history(unit, 2, 20)  # 10 % every day; now 5 of 6
    assert poisson_bound(2, 0.001) > 5  # the count (5) is ordinary for this unit
    scan.scan()
    warning = EarlyWarning.objects.get(pattern_key__startswith="overdue:")
    assert warning.kind == "overdue_rate" and warning.pattern_key == f"overdue:{unit.pk}"
    assert warning.facts["rate"] == 83.3 and warning.facts["baseline"] == 10.0
    assert set(warning.evidence.values_list("pk", flat=True)) == {c.pk for c in cases[1:]}
    assert "83.3%" in warning.title
    today = OverdueCount.objects.get(day__day=timezone.localdate(), unit=unit)
    assert (today.overdue, today.open_cases) == (5, 6)
    assert not [w for w in scan.scan().raised if w.kind.startswith("overdue")]


def test_the_rate_rule_s_thresholds_are_the_admin_s(demo):
    from analysis.models import WarningRule

    unit = Unit.objects.get(name="江东社区综治中心")
    late_cases(demo, 6, unit)
    late_cases(demo, 0, unit)
    rate_history(unit, 2, 4)  # 50 % a day; now 100 %: a rise of 50 points
    WarningRule.objects.filter(code="overdue_rate").update(rate_points="60.00")
    scan.scan()
    assert not EarlyWarning.objects.filter(pattern_key__startswith="overdue:").exists()
    WarningRule.objects.filter(code="overdue_rate").update(rate_points="40.00")
    assert [w.kind for w in scan.scan().raised if w.kind.startswith("overdue")] == ["overdue_rate"]


def test_the_rate_rule_needs_the_minimum_and_half_the_window(demo):
    from analysis.models import WarningRule

    unit = Unit.objects.get(name="江东社区综治中心")
    late_cases(demo, 4, unit)
    rate_history(unit, 0, 20)
    scan.scan()
    assert not EarlyWarning.objects.filter(pattern_key__startswith="overdue:").exists()  # 4 < minimum 5
    WarningRule.objects.filter(code="overdue_rate").update(min_count=3)
    WarningRule.objects.filter(code="overdue_cluster").update(enabled=False)
    OverdueCount.objects.filter(day__day__lt=timezone.localdate() - datetime.timedelta(days=6)).delete()
    scan.scan()
    assert not EarlyWarning.objects.filter(
        pattern_key__startswith="overdue:"
    ).exists()  # 6 counted days of 14


def test_both_overdue_rules_of_a_scan_read_the_units_counts_once(demo):
    """The count of open and overdue cases per unit reads every open case of the installation (at
    province scale ~0.2 s): the count rule and the rate rule of one scan share it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analysis.models import WarningRule

    unit = Unit.objects.get(name="江东社区综治中心")
    late_cases(demo, 6, unit)
    rate_history(unit, 2, 20)
    assert set(
        WarningRule.objects.filter(enabled=True, kind__startswith="overdue").values_list("kind", flat=True)
    ) == {"overdue_cluster", "overdue_rate"}
    with CaptureQueriesContext(connection) as ctx:
        scan.scan()
    per_unit = [q["sql"] for q in ctx.captured_queries if 'AS "late"' in q["sql"]]
    assert len(per_unit) == 1, per_unit
    assert EarlyWarning.objects.filter(kind="overdue_rate").exists()  # the second rule still judged
