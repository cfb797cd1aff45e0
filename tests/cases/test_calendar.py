"""Deadline arithmetic across the 2026 National Day holiday and its 调休 Saturday (2026-10-10),
and the behaviour for 2027, whose schedule chinesecalendar 1.11.0 does not know."""

import datetime

import pytest

from cases.calendar import (
    UnknownCalendarYear,
    WorkCalendar,
    add_calendar_days,
    add_working_days,
    is_workday,
    working_days_between,
)
from cases.holidays import seed_from_package
from cases.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = datetime.date


def test_seeded_from_chinesecalendar_2004_to_2026():
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_workday is True


def test_seeding_again_changes_nothing():
    before = CalendarDay.objects.count()
    seed_from_package()
    assert CalendarDay.objects.count() == before


def test_national_day_and_adjusted_saturday():
    assert not is_workday(D(2026, 10, 1))
    assert not is_workday(D(2026, 10, 7))
    assert is_workday(D(2026, 10, 10))  # Saturday, 调休 working day
    assert not is_workday(D(2026, 10, 11))  # ordinary Sunday
    assert is_workday(D(2026, 9, 20))  # Sunday, 调休 working day


def test_working_days_from_before_national_day_end_on_the_adjusted_saturday():
    # 9-29, 9-30, (10-1..10-7 holiday), 10-8, 10-9, 10-10 (Sat, working)
    assert add_working_days(D(2026, 9, 28), 5).date == D(2026, 10, 10)


def test_working_days_start_day_not_counted_even_on_a_holiday():
    # chinesecalendar.find_workday would count 10-08 as day 0 and answer 10-09.
    assert add_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)


def test_calendar_days_ending_in_the_holiday_roll_to_the_next_working_day():
    due = add_calendar_days(D(2026, 9, 28), 5)
    assert due.date == D(2026, 10, 8)
    assert due.rolled_from == D(2026, 10, 3)
    assert not due.estimated


def test_calendar_days_without_rolling():
    assert add_calendar_days(D(2026, 9, 28), 5, roll_forward=False).date == D(2026, 10, 3)


def test_fifteen_days_from_petition_received_2026_09_28():
    # 信访工作条例 §22: 15 days; 10-13 is an ordinary Tuesday.
    assert add_calendar_days(D(2026, 9, 28), 15).date == D(2026, 10, 13)


def test_calendar_period_ending_on_the_adjusted_saturday_is_not_rolled():
    due = add_calendar_days(D(2026, 9, 25), 15)
    assert due.date == D(2026, 10, 10)
    assert due.rolled_from is None


def test_calendar_period_ending_on_a_sunday_rolls_to_monday():
    assert add_calendar_days(D(2026, 10, 5), 6).date == D(2026, 10, 12)


def test_sixty_days_across_new_year_into_unknown_2027_is_estimated():
    due = add_calendar_days(D(2026, 11, 24), 60)
    assert due.date == D(2027, 1, 25)  # a Monday under the Mon-Fri assumption
    assert due.estimated


def test_working_days_into_2027_are_estimated_not_silently_exact():
    due = add_working_days(D(2026, 12, 30), 3)
    # 12-31, then 2027-01-01 counted as a working day only because 2027 is unknown
    assert due.date == D(2027, 1, 4)
    assert due.estimated


def test_strict_mode_refuses_2027_with_a_clear_error():
    with pytest.raises(UnknownCalendarYear) as info:
        add_calendar_days(D(2026, 12, 20), 15, strict=True)
    assert info.value.year == 2027
    assert "2027" in str(info.value)


def test_strict_setting_applies_by_default(settings):
    settings.CALENDAR_ESTIMATE_UNKNOWN_YEARS = False
    with pytest.raises(UnknownCalendarYear):
        add_working_days(D(2026, 12, 30), 3)


def test_administrator_adds_2027_and_results_become_exact():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    # Entered but the year is not yet marked known: still estimated, yet the holiday counts.
    partial = add_working_days(D(2026, 12, 30), 3)
    assert partial.date == D(2027, 1, 5) and partial.estimated
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    exact = add_working_days(D(2026, 12, 30), 3)
    assert exact.date == D(2027, 1, 5)
    assert not exact.estimated


def test_administrator_edit_of_an_existing_day_changes_the_result():
    CalendarDay.objects.create(date=D(2026, 10, 9), is_workday=False, name="临时调整")
    assert add_working_days(D(2026, 9, 28), 5).date == D(2026, 10, 12)


def test_working_days_between():
    assert working_days_between(D(2026, 9, 28), D(2026, 10, 10)) == 5
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 28)) == -5
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0


def test_zero_days_and_negative_days():
    assert add_working_days(D(2026, 10, 3), 0).date == D(2026, 10, 3)
    with pytest.raises(ValueError):
        add_calendar_days(D(2026, 10, 3), -1)


def test_one_calendar_loads_each_year_once(django_assert_num_queries):
    cal = WorkCalendar()
    with django_assert_num_queries(3):  # known years, then 2026 and 2027 days
        add_working_days(D(2026, 12, 1), 40, calendar=cal)
    with django_assert_num_queries(0):
        add_working_days(D(2026, 11, 1), 60, calendar=cal)
