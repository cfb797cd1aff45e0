"""The warnings list's period filter (analysis.list_periods): this month so far, the last 30 days,
a chosen month, a range of days; errors in Chinese, the filter kept on the list's links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from analysis.list_periods import WarningPeriodForm, days_of
from analysis.models import EarlyWarning, WarningRule
from analysis.workflow import responsible_unit


def test_days_of_each_period():
    today = timezone.localdate()
    assert days_of({"period": "month"}) == (today.replace(day=1), today)
    assert days_of({"period": "30d"}) == (today - datetime.timedelta(days=29), today)
    assert days_of({"period": "chosen", "month": "2026-02"}) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    d1, d2 = datetime.date(2026, 3, 5), datetime.date(2026, 3, 9)
    assert days_of({"period": "range", "start": d1, "end": d2}) == (d1, d2)
    assert days_of({"period": ""}) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "range", "start": "2026-03-09", "end": "2026-03-01"}, "截止日早于起始日"),
        ({"period": "range", "start": "2026-03-09"}, "起始日和截止日"),
        ({"period": "chosen", "month": ""}, "请选择月份"),
        ({"period": "range", "start": "2024-01-01", "end": "2026-01-01"}, "一年"),
    ],
)
def test_a_bad_period_is_refused_in_chinese_and_not_applied(data, message):
    from django.utils import translation

    with translation.override("zh-hans"):
        form = WarningPeriodForm(data)
        assert not form.is_valid()
        assert message in " ".join(form.non_field_errors())
    assert form.bounds() is None and form.query() == ""


def _warning(code, raised_at):
    region = Region.objects.get(code=code)
    return EarlyWarning.objects.create(
        rule=WarningRule.objects.get(code="surge_week"), kind="surge", pattern_key=f"t:{raised_at}",
        title=f"预警{raised_at:%m%d}", summary="s", region=region, unit=responsible_unit(region, 3),
        evidence_until=raised_at, raised_at=raised_at,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_list_shows_the_warnings_raised_in_the_period(demo, client):
    tz = timezone.get_current_timezone()
    inside = _warning("330681109219", datetime.datetime(2026, 3, 31, 23, 30, tzinfo=tz))  # late on the 31st
    before = _warning("330681109219", datetime.datetime(2026, 2, 28, 23, 59, tzinfo=tz))
    after = _warning("330681109219", datetime.datetime(2026, 4, 1, 0, 0, tzinfo=tz))
    client.force_login(demo["zhuji_supervisor"])
    html = client.get(reverse("analysis:list"), {"status": "all", "period": "chosen", "month": "2026-03"})
    text = html.content.decode()
    assert inside.title in text and before.title not in text and after.title not in text
    assert "period=chosen&amp;month=2026-03" in text or "period=chosen&month=2026-03" in text  # kept on links
    text = client.get(reverse("analysis:list"), {"status": "all", "period": "range", "start": "2026-02-28",
                                                  "end": "2026-03-31"}).content.decode()  # fmt: skip
    assert inside.title in text and before.title in text and after.title not in text
    # A village sees its own warnings only, whatever the period.
    client.force_login(demo["jiyang_supervisor"])
    text = client.get(reverse("analysis:list"), {"status": "all", "period": "chosen", "month": "2026-03"})
    assert inside.title not in text.content.decode()
    bad = client.get(reverse("analysis:list"), {"status": "all", "period": "range", "start": "2026-03-09"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
