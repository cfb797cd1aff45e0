"""Forms of the 多元化解 steps (mediation.routes): routing a dispute to another channel, the result that
comes back, and a joint mediation. Choices are ids the workflow checks again under the lock."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Unit, UnitKind, User
from cases.bounds import BoundedDateField, BoundedModelChoiceField
from cases.forms import BootstrapMixin, style
from mediation.models import InvitedCapacity, RouteChannel, RouteField, RouteOutcome

DATE = {"type": "date"}
PARTICIPANT_ROWS = 3


def receiving_units(case):
    """Units of the case's county a dispute may be routed to or mediated jointly with: active, not
    the unit handling it, not a unit the case is withheld from (信访工作条例 §30)."""
    return (
        Unit.objects.filter(is_active=True, region__code__startswith=case.region_id[:6])
        .exclude(pk=case.handling_unit_id or 0)
        .exclude(pk=case.withheld_from_unit_id or 0)
        .select_related("region")
        .order_by("region_id", "name")
    )


def county_mediators(case):
    """Active mediators of the case's county (a joint mediation's named mediators)."""
    county = case.region_id[:6]
    mediators = User.objects.filter(
        is_active=True, groups__name=roles.MEDIATOR, unit__region__code__startswith=county
    )
    return mediators.select_related("unit").order_by("unit__region__code", "pk").distinct()


def _user_label(user) -> str:
    name = user.display_name or user.username
    return f"{name}（{user.unit}）" if user.unit_id else name


class RouteForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Route to"), choices=RouteChannel.choices)
    unit = BoundedModelChoiceField(
        label=_("Receiving unit"), required=False, queryset=Unit.objects.none(),
        help_text=_("A committee or department with an account here; it is given the case and told at once."),
    )  # fmt: skip
    body_name = forms.CharField(
        label=_("Or the body outside the portal"), max_length=100, required=False,
        help_text=_("A court or arbitration commission without an account: its name; you record its result."),
    )  # fmt: skip
    field = forms.ChoiceField(
        label=_("Field of the committee"), required=False, choices=[("", "—"), *RouteField.choices]
    )
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = receiving_units(case).filter(
            kind__in=(UnitKind.MEDIATION_COMMITTEE, UnitKind.DEPARTMENT, UnitKind.TOWNSHIP_GOVERNMENT)
        )


class RouteResultForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=RouteOutcome.choices)
    result_on = BoundedDateField(label=_("Date of the result"), widget=forms.DateInput(attrs=DATE))
    result = forms.CharField(
        label=_("What came back"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The agreement reached, the court's result, or why it failed."),
    )  # fmt: skip
    court_case_number = forms.CharField(
        label=_("Court case number"), max_length=60, required=False,
        help_text=_("If the court gave one only now."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_on"].initial = timezone.localdate()


class JointMediationForm(BootstrapMixin, forms.Form):
    units = forms.MultipleChoiceField(
        label=_("Units mediating together"), widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Each unit named is given the case and told at once."),
    )  # fmt: skip
    mediators = forms.MultipleChoiceField(
        label=_("Mediators"), required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Their units are given the case too."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._units = {str(u.pk): u for u in receiving_units(case)}
        self._mediators = {str(u.pk): u for u in county_mediators(case)}
        self.fields["units"].choices = [(pk, str(u)) for pk, u in self._units.items()]
        self.fields["mediators"].choices = [(pk, _user_label(u)) for pk, u in self._mediators.items()]
        # 人民调解法 §20: lawyers, experts and others outside the portal.
        for i in range(1, PARTICIPANT_ROWS + 1):
            self.fields[f"participant_name_{i}"] = forms.CharField(
                label=_("Lawyer or expert %(n)d") % {"n": i}, max_length=100, required=False
            )
            self.fields[f"participant_capacity_{i}"] = forms.ChoiceField(
                label=_("Capacity"), required=False, choices=[("", "—"), *InvitedCapacity.choices]
            )
            self.fields[f"participant_organisation_{i}"] = forms.CharField(
                label=_("Organisation"), max_length=100, required=False
            )
            for name in ("name", "capacity", "organisation"):
                style(self.fields[f"participant_{name}_{i}"])

    def clean(self):
        data = super().clean()
        participants = []
        for i in range(1, PARTICIPANT_ROWS + 1):
            name = data.pop(f"participant_name_{i}", "").strip()
            capacity = data.pop(f"participant_capacity_{i}", "")
            organisation = data.pop(f"participant_organisation_{i}", "").strip()
            if name and not capacity:
                self.add_error(f"participant_capacity_{i}", _("Say in which capacity they take part."))
            elif capacity and not name:
                self.add_error(f"participant_name_{i}", _("Give the name."))
            elif name:
                participants.append((name, capacity, organisation))
        data["participants"] = participants
        data["units"] = [self._units[pk] for pk in data.get("units", [])]
        data["mediators"] = [self._mediators[pk] for pk in data.get("mediators", [])]
        return data
