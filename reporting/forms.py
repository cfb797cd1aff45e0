import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel
from accounts.scoping import visible_regions
from cases.bounds import BoundedDateField, BoundedModelChoiceField, parse_month, period_window
from cases.forms import BootstrapMixin
from reporting.periods import Period, default_period

# A report covers at most a year: longer ranges are read as yearly reports side by side.
MAX_DAYS = 366
WINDOW = {"earliest": lambda: period_window()[0], "latest": lambda: period_window()[1]}


# Months offered in the month list (newest first); an older month is still read from the address.
MONTHS_OFFERED = 36


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class StatisticsForm(BootstrapMixin, forms.Form):
    region = BoundedModelChoiceField(Region.objects.none(), label=_("Region"), required=False)
    # A list of months, not <input type="month">: a browser without a month picker (or one in another
    # locale) showed an empty one as "--------- ----".
    month = forms.CharField(label=_("Month"), required=False, widget=forms.Select)
    # Within period_window(): a period's comparisons (a year before, the period before) and its
    # last moment (the day after it) must still be dates.
    start = BoundedDateField(label=_("First day"), required=False, widget=DayInput(), **WINDOW)
    end = BoundedDateField(label=_("Last day"), required=False, widget=DayInput(), **WINDOW)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers towns and above; a village is reached from its town's row, and any
        # region in the user's jurisdiction is accepted by code.
        self.user = user
        self._offer_months()
        regions = visible_regions(user, Region.objects.all())
        self.fields["region"].queryset = regions
        self.fields["region"].widget.choices = [
            (r.code, ("　" * max(0, r.level - 3)) + r.name)
            for r in regions.filter(level__lte=RegionLevel.TOWN).order_by("code")[:400]
        ]
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Choose a region within your jurisdiction."
        )

    def _offer_months(self):
        """The last MONTHS_OFFERED months as YYYY-MM, labelled like 2026年11月; the month shown when
        no month and no range was asked for is the default period's."""
        shown = default_period().start
        if self.is_bound and not any(self.data.get(key) for key in ("month", "start", "end")):
            self.data = self.data.copy()
            self.data["month"] = f"{shown:%Y-%m}"
        self.fields["month"].initial = f"{shown:%Y-%m}"
        first = timezone.localdate().replace(day=1)
        months = []
        for _i in range(MONTHS_OFFERED):
            months.append((f"{first:%Y-%m}", formats.date_format(first, "YEAR_MONTH_FORMAT")))
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        asked = self.data.get("month", "") if self.is_bound else ""
        if asked and asked not in dict(months):
            months.append((asked, asked))  # an older month given in the address stays shown
        self.fields["month"].widget.choices = [("", _("By the range of days"))] + months

    def clean_defaults(self) -> dict:
        """Figures for a first visit without parameters: the user's region, the last full month."""
        return {"region": default_region(self.user), "period": default_period()}

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        day = parse_month(value, *period_window())
        return Period.month(day.year, day.month)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Give both the first and the last day of the range."))
            if end < start:
                raise forms.ValidationError(_("The last day is before the first day."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("A range can cover at most one year."))
            data["period"] = Period(start, end)
        else:
            data["period"] = data.get("month") or default_period()
        if not data.get("region"):
            data["region"] = default_region(self.user)
        return data


def default_region(user):
    """The region the user's unit covers (for a superuser, the top of the tree)."""
    regions = visible_regions(user, Region.objects.all()).order_by("level", "code")
    return regions.first()


class FreezeNoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class ReportForm(StatisticsForm):
    """The 研判报告's place and month (a report is monthly: no range of days)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["start"], self.fields["end"]
        self.fields["month"].required = True
        self.fields["month"].widget.choices = self.fields["month"].widget.choices[1:]
        self.fields["month"].error_messages["required"] = _("Choose the month of the report.")
