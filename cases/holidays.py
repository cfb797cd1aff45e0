"""The holiday table: seeding it from the chinesecalendar package, and entering a whole year at once
(the State Council's notice pasted in, cases.holiday_notice, or the package's days for that year),
after which the open deadlines that depend on it are recomputed (cases.recompute)."""

from dataclasses import dataclass

import chinese_calendar
from django.db import transaction

from cases.holiday_notice import NoticeDay
from cases.models import CalendarDay, CalendarYear
from cases.recompute import recompute_counting

SOURCE = "chinesecalendar 1.11.0"


def known_package_years() -> range:
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


def seed_from_package(years=None, *, overwrite: bool = False) -> int:
    """Store the package's holidays and 调休 working days; returns the number of days written.

    Days an administrator already entered are kept unless ``overwrite``.
    """
    years = set(years or known_package_years())
    rows = [
        CalendarDay(date=d, is_workday=False, name=_name(name))
        for d, name in chinese_calendar.holidays.items()
        if d.year in years
    ] + [
        CalendarDay(date=d, is_workday=True, name=_name(name))
        for d, name in chinese_calendar.workdays.items()
        if d.year in years
    ]
    if overwrite:
        CalendarDay.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["date"], update_fields=["is_workday", "name"]
        )
    else:
        CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": SOURCE})
    return len(rows)


HOLIDAY_NAMES_ZH = {  # same table as migration 0002
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(value) -> str:
    text = str(getattr(value, "value", value) or "")
    return HOLIDAY_NAMES_ZH.get(text, text)[:50]


def package_days(year: int) -> list[NoticeDay]:
    """The days off and 调休 working days the installed chinesecalendar knows for ``year`` (empty when
    the package predates that year's notice)."""
    days = [NoticeDay(d, False, _name(n)) for d, n in chinese_calendar.holidays.items() if d.year == year]
    days += [NoticeDay(d, True, _name(n)) for d, n in chinese_calendar.workdays.items() if d.year == year]
    return sorted(days, key=lambda d: d.date)


@dataclass(frozen=True)
class StoredYear:
    year: int
    days: int  # rows written
    removed: int  # rows of the year that the new schedule no longer has
    recomputed: int  # open deadlines changed
    moved: int  # of which the due date moved


def store_year(year: int, days: list[NoticeDay], source: str, note: str = "") -> StoredYear:
    """Make ``year``'s schedule exactly ``days`` and mark the year known, in one transaction; then
    recompute the open deadlines of every year the days fall in, as a calendar edit does
    (cases.signals queues the same in the background; here the administrator waits for the count).

    The rows are written in bulk, which sends no per-row signal: one edit, one recomputation.
    """
    years = {year} | {d.date.year for d in days}
    with transaction.atomic():
        rows = [CalendarDay(date=d.date, is_workday=d.is_workday, name=d.name[:50]) for d in days]
        stale = CalendarDay.objects.filter(date__year=year).exclude(date__in=[d.date for d in days])
        # A plain DELETE: QuerySet.delete() would send post_delete per day (one queued recomputation each).
        removed = stale._raw_delete(stale.db)
        CalendarDay.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["date"],
            update_fields=["is_workday", "name", "updated_at"],
        )
        CalendarYear.objects.bulk_create(
            [CalendarYear(year=year, source=source[:100], note=note[:200])],
            update_conflicts=True, unique_fields=["year"], update_fields=["source", "note"],
        )  # fmt: skip
    recomputed = moved = 0
    for touched in sorted(years):
        changed, shifted = recompute_counting(touched)
        recomputed, moved = recomputed + changed, moved + shifted
    return StoredYear(year, len(rows), removed, recomputed, moved)
