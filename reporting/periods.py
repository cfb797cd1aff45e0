"""Reporting periods: a month or any range of whole days, with the periods they are compared to."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(datetime.date(year, month, 1), datetime.date(year, month, last))

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self == Period.month(self.start.year, self.start.month)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """2026年10月, 2026年10月1日至2026年10月15日; October 2026, Oct. 1, 2026 to Oct. 15, 2026."""
        if self.is_month:
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        return gettext("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "DATE_FORMAT"),
            "end": formats.date_format(self.end, "DATE_FORMAT"),
        }

    def previous(self) -> "Period":
        """环比: the month before, or the range of equal length just before."""
        if self.is_month:
            first = self.start - datetime.timedelta(days=1)
            return Period.month(first.year, first.month)
        return Period(
            self.start - datetime.timedelta(days=self.days), self.start - datetime.timedelta(days=1)
        )

    def year_before(self) -> "Period":
        """同比: the same month or range one year earlier (29 February becomes the 28th)."""
        if self.is_month:
            return Period.month(self.start.year - 1, self.start.month)
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [first moment, moment after the last day) in the local time zone."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end

    def elapsed_end(self) -> datetime.date:
        """The last day of the period that has already ended (deadlines falling due today are not yet
        late); before the period starts this is the day before it."""
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        return min(self.end, yesterday)


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def default_period() -> Period:
    """The last complete month: what statisticians report at the start of a month."""
    first = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return Period.month(first.year, first.month)
