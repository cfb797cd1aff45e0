"""Input validation for disputes. Forms validate; workflow functions decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel, Unit, User
from accounts.scoping import visible_regions

from .bounds import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    BoundedModelChoiceField,
)
from .choices import CachedModelChoiceField
from .idnumbers import validate_credit_code, validate_id_number, validate_phone
from .models import Dispute, DisputeCategory, DisputeSource, DisputeStatus, PartyRole, RiskLevel


def style(field):
    """Bootstrap classes on a widget (also for fields a form adds after __init__)."""
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


class BootstrapMixin:
    """Bootstrap classes on every widget, and the invalid class on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style(field)

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


PRIMARY_PARTIES = {
    "applicant": (
        _("Applicant's name"),
        _("Applicant's ID number"),
        _("Applicant's phone"),
        _("Applicant's address"),
    ),
    "respondent": (
        _("Respondent's name"),
        _("Respondent's ID number"),
        _("Respondent's phone"),
        _("Respondent's address"),
    ),
}
PARTY_LABELS = (_("Name"), _("ID number"), _("Phone"), _("Address"))


def party_fields(labels=PARTY_LABELS) -> dict:
    """The fields describing one party: a person or an organisation."""
    name, id_number, phone, address = labels
    return {
        "name": forms.CharField(label=name, max_length=100),
        "is_organisation": forms.BooleanField(
            label=_("An organisation (company, association…)"), required=False
        ),
        "id_number": forms.CharField(label=id_number, max_length=30, required=False),
        "credit_code": forms.CharField(
            label=_("Unified social credit code"), max_length=30, required=False,
            help_text=_("For an organisation instead of an ID number."),
        ),
        "gender": forms.ChoiceField(
            label=_("Gender"), required=False, choices=[("", "—"), ("M", _("male")), ("F", _("female"))]
        ),
        "phone": forms.CharField(label=phone, max_length=30, required=False),
        "address": forms.CharField(label=address, max_length=200, required=False),
    }  # fmt: skip


def clean_party(form, data, prefix=""):
    """Validate one party's ID number (GB 11643) or credit code (GB 32100) and phone in place."""
    checks = [
        ("id_number", validate_id_number),
        ("credit_code", validate_credit_code),
        ("phone", validate_phone),
    ]
    for name, validate in checks:
        key = prefix + name
        if data.get(key):
            try:
                data[key] = validate(data[key])
            except ValidationError as exc:
                form.add_error(key, exc)
    if data.get(prefix + "is_organisation"):
        if data.get(prefix + "id_number"):
            form.add_error(prefix + "id_number", _("An organisation has a credit code, not an ID number."))
    elif data.get(prefix + "credit_code"):
        form.add_error(prefix + "credit_code", _("Tick “organisation” to record a credit code."))


def party_values(data, prefix="") -> dict:
    """Keyword arguments for cases.people.find_or_create_person."""
    organisation = bool(data.get(prefix + "is_organisation"))
    return {
        "name": data[prefix + "name"].strip(),
        "is_organisation": organisation,
        "id_number": data.get(prefix + "id_number") or "",
        "credit_code": data.get(prefix + "credit_code") or "",
        "gender": "" if organisation else data.get(prefix + "gender") or "",
        "phone": data.get(prefix + "phone") or "",
        "address": data.get(prefix + "address") or "",
    }


class DisputeIntakeForm(BootstrapMixin, forms.Form):
    region = BoundedModelChoiceField(label=_("Village or town"), queryset=Region.objects.none())
    summary = forms.CharField(label=_("Summary"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=DisputeSource.choices)
    category = BoundedModelChoiceField(
        label=_("Category"), queryset=DisputeCategory.objects.filter(is_active=True)
    )
    risk_level = BoundedModelChoiceField(label=_("Risk level"), queryset=RiskLevel.objects.all())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    facts = forms.CharField(label=_("Facts and demands"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = BoundedDecimalField(
        label=_("Amount involved (yuan)"), required=False, min_value=0,
        model_field=Dispute._meta.get_field("amount"),
    )  # fmt: skip
    people_involved = BoundedIntegerField(
        label=_("People involved"), min_value=1, initial=2,
        model_field=Dispute._meta.get_field("people_involved"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(
            user, Region.objects.filter(level__gte=RegionLevel.TOWN)
        ).order_by("code")
        for prefix, labels in PRIMARY_PARTIES.items():
            for name, field in party_fields(labels).items():
                style(field)
                self.fields[f"{prefix}_{name}"] = field

    def clean(self):
        data = super().clean()
        for prefix in PRIMARY_PARTIES:
            clean_party(self, data, f"{prefix}_")
        return data

    def party(self, prefix):
        return party_values(self.cleaned_data, f"{prefix}_")

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
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, or 3+ characters of summary or number")}),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        required=False,
        choices=[("all", _("my jurisdiction")), ("unit", _("my unit")), ("mine", _("my cases"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *DisputeStatus.choices])
    category = CachedModelChoiceField(DisputeCategory, label=_("Category"), required=False)
    risk_level = CachedModelChoiceField(RiskLevel, label=_("Risk level"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *DisputeSource.choices])
    region = forms.CharField(label=_("Region code"), required=False, max_length=12)
    date_from = BoundedDateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
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
    handler = BoundedModelChoiceField(label=_("Mediator"), required=False, queryset=User.objects.none())
    unit = BoundedModelChoiceField(
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
    unit = BoundedModelChoiceField(label=_("Escalate to"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        # The governance centres of the town and county above the case.
        codes = [case.region_id[:9] + "000", case.region_id[:6] + "000000"]
        self.fields["unit"].queryset = Unit.objects.filter(
            region__code__in=codes, kind="governance_centre", is_active=True
        ).select_related("region")


class ArchiveForm(BootstrapMixin, forms.Form):
    """Statistics of the closure (domain.md 3.8), asked when the file is archived."""

    prevented_criminal_case = forms.BooleanField(
        label=_("The mediation prevented a criminal case (防止民转刑)"), required=False
    )
    prevented_mass_petition = forms.BooleanField(
        label=_("The mediation prevented a mass petition (防止群体性上访)"), required=False
    )


class EmptyForm(forms.Form):
    pass


class PartyForm(BootstrapMixin, forms.Form):
    """One more applicant, respondent, third party or agent (人民调解法 §23: parties' rights)."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (r.value, r.label)
            for r in (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY, PartyRole.AGENT)
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in party_fields().items():
            style(field)
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        clean_party(self, data)
        return data
