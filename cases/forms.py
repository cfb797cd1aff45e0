"""Input validation for disputes. Forms validate; workflow functions decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel, Unit, User
from accounts.scoping import visible_regions

from .idnumbers import validate_id_number, validate_phone
from .models import DisputeCategory, DisputeSource, DisputeStatus, RiskLevel


class BootstrapMixin:
    """Bootstrap classes on every widget, and the invalid class on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            base = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                base = "form-check-input"
            widget.attrs["class"] = base
            # HTML date inputs only understand ISO values, whatever the locale's display format.
            if getattr(widget, "input_type", "") == "date":
                widget.format = "%Y-%m-%d"
            elif getattr(widget, "input_type", "") == "datetime-local":
                widget.format = "%Y-%m-%dT%H:%M"

    def full_clean(self):
        super().full_clean()
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


def clean_id(value):
    return validate_id_number(value) if value else ""


def clean_phone(value):
    return validate_phone(value) if value else ""


class DisputeIntakeForm(BootstrapMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("Village or town"), queryset=Region.objects.none())
    summary = forms.CharField(label=_("Summary"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=DisputeSource.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=DisputeCategory.objects.filter(is_active=True)
    )
    risk_level = forms.ModelChoiceField(label=_("Risk level"), queryset=RiskLevel.objects.all())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    facts = forms.CharField(label=_("Facts and demands"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label=_("Amount involved (yuan)"), required=False, min_value=0, max_digits=14)
    people_involved = forms.IntegerField(label=_("People involved"), min_value=1, initial=2)
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=100)
    applicant_id_number = forms.CharField(label=_("Applicant's ID number"), max_length=30, required=False)
    applicant_phone = forms.CharField(label=_("Applicant's phone"), max_length=30, required=False)
    applicant_address = forms.CharField(label=_("Applicant's address"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("Respondent's name"), max_length=100)
    respondent_id_number = forms.CharField(label=_("Respondent's ID number"), max_length=30, required=False)
    respondent_phone = forms.CharField(label=_("Respondent's phone"), max_length=30, required=False)
    respondent_address = forms.CharField(label=_("Respondent's address"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(
            user, Region.objects.filter(level__gte=RegionLevel.TOWN)
        ).order_by("code")

    def clean_applicant_id_number(self):
        return clean_id(self.cleaned_data["applicant_id_number"])

    def clean_respondent_id_number(self):
        return clean_id(self.cleaned_data["respondent_id_number"])

    def clean_applicant_phone(self):
        return clean_phone(self.cleaned_data["applicant_phone"])

    def clean_respondent_phone(self):
        return clean_phone(self.cleaned_data["respondent_phone"])

    def party(self, prefix):
        data = self.cleaned_data
        return {
            "name": data[f"{prefix}_name"].strip(),
            "id_number": data[f"{prefix}_id_number"],
            "phone": data[f"{prefix}_phone"],
            "address": data[f"{prefix}_address"],
        }

    def dispute_fields(self):
        keys = (
            "region",
            "summary",
            "source",
            "category",
            "risk_level",
            "place",
            "facts",
            "amount",
            "people_involved",
        )
        return {k: self.cleaned_data[k] for k in keys}


class DisputeFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    scope = forms.ChoiceField(
        label=_("Scope"),
        required=False,
        choices=[("all", _("my jurisdiction")), ("unit", _("my unit")), ("mine", _("my cases"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DisputeStatus.choices])
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=DisputeCategory.objects.all()
    )
    risk_level = forms.ModelChoiceField(
        label=_("Risk level"), required=False, queryset=RiskLevel.objects.all()
    )
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *DisputeSource.choices])
    region = forms.CharField(label=_("Region code"), required=False, max_length=12)
    date_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[("due", _("due date")), ("-opened", _("newest first"))]
    )

    def clean_region(self):
        code = self.cleaned_data["region"]
        if code and not (code.isascii() and code.isdigit()):
            raise ValidationError(_("A region code has digits only."))
        return code


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferForm(BootstrapMixin, forms.Form):
    referred_to = forms.CharField(label=_("Referred to"), max_length=200)


class AssignForm(BootstrapMixin, forms.Form):
    handler = forms.ModelChoiceField(label=_("Mediator"), required=False, queryset=User.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Or assign to a unit (交办)"), required=False, queryset=Unit.objects.none()
    )

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        county = case.region_id[:6]
        # Mediators and units of the same county; the workflow grants the chosen unit access.
        self.fields["handler"].queryset = User.objects.filter(
            is_active=True, groups__name="mediator", unit__region__code__startswith=county
        ).select_related("unit")
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True, region__code__startswith=county)

    def clean(self):
        data = super().clean()
        if not data.get("handler") and not data.get("unit"):
            raise ValidationError(_("Choose a mediator or a unit."))
        return data


class EscalateForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Escalate to"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        # The governance centres of the town and county above the case.
        codes = [case.region_id[:9] + "000", case.region_id[:6] + "000000"]
        self.fields["unit"].queryset = Unit.objects.filter(
            region__code__in=codes, kind="governance_centre", is_active=True
        ).select_related("region")


class EmptyForm(forms.Form):
    pass
