"""Forms of the routing steps (petitions.routing)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cases.bounds import BoundedDateField, BoundedModelChoiceField
from cases.forms import BootstrapMixin
from petitions.forms import DATE, UnitForm


def lower_units(case, holder):
    """Active units at a level below ``holder`` whose region contains the case's region: the
    competent level a skip-level petition is referred down to (信访工作条例 §19)."""
    queryset = Unit.objects.filter(region_id__in=case.region.codes_up(), is_active=True)
    if holder is not None:
        queryset = queryset.filter(region__level__gt=holder.region.level)
    return queryset.exclude(pk=case.withheld_from_unit_id or 0)


class AssignForm(UnitForm):
    # 信访工作条例 §22 ¶1(三): the assigning office sets the date of the result report.
    report_due_on = BoundedDateField(label=_("Report the result by"), widget=forms.DateInput(attrs=DATE))

    def clean_report_due_on(self):
        day = self.cleaned_data["report_due_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Set a reporting date after today."))
        return day


class ReferDownForm(BootstrapMixin, forms.Form):
    unit = BoundedModelChoiceField(label=_("Competent unit of the lower level"), queryset=Unit.objects.none())
    notice = forms.CharField(
        label=_("Notice to the petitioner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the matter went and why (Regulations on Letters and Visits, Art. 19, 23)."),
    )

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = lower_units(case, case.handling_unit).select_related("region")


class SenderCheckForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Result of the check"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Completion report"), widget=forms.Textarea(attrs={"rows": 5}))
