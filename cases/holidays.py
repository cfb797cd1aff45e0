"""Seeding the holiday table from the chinesecalendar package."""

import chinese_calendar

from cases.models import CalendarDay, CalendarYear

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
