"""Working-day calendar: statutory holidays and 调休 working days.

The schedule lives in the database (``CalendarDay``, ``CalendarYear``), seeded from the
chinesecalendar package for 2004-2026 and editable by administrators, who add a year when the
State Council publishes it (usually in November or December).

Counting rules (民法典 §201, §203; 民事诉讼法 §85, applied to 信访 by analogy):
* the start day is not counted;
* a period counted in calendar days that ends on a non-working day ends on the next working day
  (``roll_forward``, configurable per deadline rule);
* a period counted in working days counts only working days after the start day.

A day in a year whose schedule is not known yet is never silently treated as ordinary: the result
is flagged ``estimated`` (Mon-Fri assumed), or ``UnknownCalendarYear`` is raised when the caller
(or the ``CALENDAR_ESTIMATE_UNKNOWN_YEARS`` setting) asks for strictness.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from cases.models import CalendarDay, CalendarYear


class UnknownCalendarYear(Exception):
    """A computation needed a year whose holiday schedule has not been entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "The holiday schedule for %(year)s has not been entered yet; an administrator "
                "must add it under Holidays before deadlines in %(year)s can be computed exactly."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class DueDate:
    """The result of a deadline computation."""

    date: datetime.date
    # True when a day in a year without a known schedule was treated as Mon-Fri.
    estimated: bool = False
    # Where a calendar-day period originally ended, when it was rolled past non-working days.
    rolled_from: datetime.date | None = None


@dataclass
class WorkCalendar:
    """The schedule, loaded year by year (one query per year) and kept for one computation batch.

    Create one per request or per batch job; it does not notice edits made after it loaded a year.
    """

    strict: bool | None = None
    _known_years: set[int] | None = field(default=None, repr=False)
    _loaded_years: set[int] = field(default_factory=set, repr=False)
    _days: dict[datetime.date, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.strict is None:
            self.strict = not settings.CALENDAR_ESTIMATE_UNKNOWN_YEARS

    def _known(self, year: int) -> bool:
        if self._known_years is None:
            self._known_years = set(CalendarYear.objects.values_list("year", flat=True))
        return year in self._known_years

    def _load(self, year: int) -> None:
        if year in self._loaded_years:
            return

        rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
        self._days.update(rows)
        self._loaded_years.add(year)

    def day(self, d: datetime.date) -> tuple[bool, bool]:
        """(is_workday, estimated) for one date."""
        if not self._known(d.year):
            if self.strict:
                raise UnknownCalendarYear(d.year)
            # An override entered for a single day still counts, even in an unknown year.
            self._load(d.year)
            if d in self._days:
                return self._days[d], True
            return d.weekday() < 5, True
        self._load(d.year)
        if d in self._days:
            return self._days[d], False
        return d.weekday() < 5, False

    def is_workday(self, d: datetime.date) -> bool:
        return self.day(d)[0]


def _calendar(calendar: WorkCalendar | None, strict: bool | None) -> WorkCalendar:
    if calendar is not None:
        return calendar
    return WorkCalendar(strict=strict)


def is_workday(d: datetime.date, *, calendar: WorkCalendar | None = None, strict: bool | None = None) -> bool:
    return _calendar(calendar, strict).is_workday(d)


def add_calendar_days(
    start: datetime.date,
    days: int,
    *,
    roll_forward: bool = True,
    calendar: WorkCalendar | None = None,
    strict: bool | None = None,
) -> DueDate:
    """The date ``days`` calendar days after ``start`` (start day not counted).

    With ``roll_forward`` a period ending on a non-working day ends on the next working day
    (民法典 §203).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    cal = _calendar(calendar, strict)
    end = start + datetime.timedelta(days=days)
    d = end
    workday, estimated = cal.day(d)
    if not roll_forward:
        return DueDate(end, estimated=estimated)
    while not workday:
        d += datetime.timedelta(days=1)
        workday, more = cal.day(d)
        estimated = estimated or more
    return DueDate(d, estimated=estimated, rolled_from=end if d != end else None)


def add_working_days(
    start: datetime.date,
    days: int,
    *,
    calendar: WorkCalendar | None = None,
    strict: bool | None = None,
) -> DueDate:
    """The date that is ``days`` working days after ``start``; the start day itself is not counted.

    Unlike chinesecalendar's ``find_workday``, a non-working start day is not counted as day 0:
    one working day after Saturday 2026-10-03 is Thursday 2026-10-08.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    cal = _calendar(calendar, strict)
    d = start
    estimated = False
    remaining = days
    while remaining > 0:
        d += datetime.timedelta(days=1)
        workday, more = cal.day(d)
        estimated = estimated or more
        if workday:
            remaining -= 1
    return DueDate(d, estimated=estimated)


def working_days_between(
    start: datetime.date,
    end: datetime.date,
    *,
    calendar: WorkCalendar | None = None,
    strict: bool | None = None,
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    cal = _calendar(calendar, strict)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    d = start
    while d < end:
        d += datetime.timedelta(days=1)
        if cal.is_workday(d):
            count += 1
    return sign * count
