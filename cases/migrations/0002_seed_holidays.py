"""Seed the holiday table from chinesecalendar (2004-2026). Administrators add later years."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("cases", "CalendarDay")
    CalendarYear = apps.get_model("cases", "CalendarYear")

    def name(value):
        text = str(getattr(value, "value", value) or "")
        return NAMES.get(text, text)[:50]

    rows = [CalendarDay(date=d, is_workday=False, name=name(n)) for d, n in chinese_calendar.holidays.items()]
    rows += [CalendarDay(date=d, is_workday=True, name=name(n)) for d, n in chinese_calendar.workdays.items()]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    for year in sorted({r.date.year for r in rows}):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar 1.11.0"})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
