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
