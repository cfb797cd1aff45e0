"""The period filter of the warnings list: when the warnings were raised (this month so far, the
last 30 days, a chosen month, a range of days). Dates are Asia/Shanghai days; a filter with an
error is shown with its message and not applied."""

import calendar
import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cases.bounds import BoundedDateField, parse_month, period_window
from cases.forms import BootstrapMixin

MONTHS_OFFERED = 24
MAX_DAYS = 366
WINDOW = {"earliest": lambda: period_window()[0], "latest": lambda: period_window()[1]}
FIELDS = ("period", "month", "start", "end")


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class WarningPeriodForm(BootstrapMixin, forms.Form):
    period = forms.ChoiceField(
        label=_("Raised in"), required=False,
        choices=[("", _("Any time")), ("month", _("This month so far")), ("30d", _("Last 30 days")),
                 ("chosen", _("A month")), ("range", _("A range of days"))],
    )  # fmt: skip
    month = forms.CharField(label=_("Month"), required=False, widget=forms.Select)
    start = BoundedDateField(label=_("First day"), required=False, widget=DayInput(), **WINDOW)
    end = BoundedDateField(label=_("Last day"), required=False, widget=DayInput(), **WINDOW)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = timezone.localdate().replace(day=1)
        months = []
        for _i in range(MONTHS_OFFERED):
            months.append((f"{first:%Y-%m}", formats.date_format(first, "YEAR_MONTH_FORMAT")))
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        self.fields["month"].widget.choices = months

    def clean(self):
        data = super().clean()
        data["days"] = days_of(data)
        return data

    def bounds(self):
        """(first moment, moment after the last day) to filter by, or None (no filter, or an error)."""
        if not self.is_valid() or self.cleaned_data["days"] is None:
            return None
        first, last = self.cleaned_data["days"]
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
        after = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, after

    def query(self) -> str:
        """The filter as query parameters, to keep on the list's other links ("" for none)."""
        if self.bounds() is None:
            return ""
        return urlencode({k: self.data.get(k, "") for k in FIELDS if self.data.get(k)})


def days_of(data) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the period chosen; ValidationError with a Chinese message."""
    period, today = data.get("period"), timezone.localdate()
    if period == "month":
        return today.replace(day=1), today
    if period == "30d":
        return today - datetime.timedelta(days=29), today
    if period == "chosen":
        if not data.get("month"):
            raise forms.ValidationError(_("Choose the month."))
        first = parse_month(data["month"], *period_window())
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if period == "range":
        start, end = data.get("start"), data.get("end")
        if not (start and end):
            raise forms.ValidationError(_("Give both the first and the last day of the range."))
        if end < start:
            raise forms.ValidationError(_("The last day is before the first day."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("A range can cover at most one year."))
        return start, end
    return None


def raised_in(queryset, form: WarningPeriodForm):
    """``queryset`` narrowed to the warnings raised in the form's period (unchanged without one)."""
    bounds = form.bounds()
    if bounds is None:
        return queryset
    return queryset.filter(raised_at__gte=bounds[0], raised_at__lt=bounds[1])
