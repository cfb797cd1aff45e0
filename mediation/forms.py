"""Forms of the dispute pages: intake, list filter and every step's form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Grid, Region, RegionLevel, Unit, User
from accounts.scoping import visible_grids, visible_regions
from cases.bounds import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    BoundedModelChoiceField,
)
from cases.choices import CachedModelChoiceField
from cases.forms import BootstrapMixin, PartyForm, party_values, region_picker
from cases.lists import CaseFilterForm
from cases.models import PartyRole
from mediation.models import (
    Agreement,
    AgreementForm,
    Dispute,
    DisputeCategory,
    DisputeSource,
    DisputeStatus,
    RiskLevel,
    Satisfaction,
    TerminationRoute,
)

DATE = {"type": "date"}


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
    grid = BoundedModelChoiceField(
        label=_("Grid where it arose"), queryset=Grid.objects.none(), required=False,
        help_text=_("The grid of the village or community where the dispute arose."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(
            user, Region.objects.filter(level__gte=RegionLevel.TOWN)
        ).order_by("code")
        region_picker(self.fields["region"], level=RegionLevel.TOWN)
        grids = visible_grids(user, Grid.objects.filter(is_active=True)).select_related("region")
        self.fields["grid"].queryset = grids.order_by("region_id", "code")
        self.fields["grid"].label_from_instance = lambda g: f"{g.region.place_name} · {g.name}"
        # On the phone a grid worker reports from their own grid: theirs is picked by default.
        own = None
        if not self.is_bound and getattr(user, "_jiefen_grid_post", True):
            own = (
                grids.filter(posts__user_id=user.pk, posts__ended_on=None).order_by("-level", "code").first()
            )
        if own is not None:
            self.fields["grid"].initial = own.pk
            self.fields["region"].initial = own.region_id

    def clean(self):
        data = super().clean()
        grid, region = data.get("grid"), data.get("region")
        if grid is not None and region is not None and grid.region_id != region.pk:
            self.add_error("grid", _("This grid does not lie in the village or community chosen above."))
        return data

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
            "grid",
        )
        return {k: self.cleaned_data[k] for k in keys}


# The first rows of the intake's party list (without JavaScript there are these three; the
# "add a party" button adds more).
FIRST_ROLES = (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY)
# What makes a row filled in: an untouched row (its role and checkbox aside) is skipped.
PARTY_DETAILS = ("name", "id_number", "credit_code", "phone", "address")


class IntakePartyForm(PartyForm):
    """One row of the intake's party list: a person or an organisation, in any role."""

    def has_changed(self):
        return any((self.data.get(self.add_prefix(key)) or "").strip() for key in PARTY_DETAILS)


class BaseIntakePartyFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(FIRST_ROLES):
            kwargs["initial"] = {"role": FIRST_ROLES[index]}
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        roles = [form.cleaned_data["role"] for form in self.filled()]
        missing = [role for role in (PartyRole.APPLICANT, PartyRole.RESPONDENT) if role not in roles]
        if missing:
            # Said next to the name of the row meant for that role (a row left blank, or holding only
            # spaces, is not counted), else above the list.
            message = _("A dispute needs at least one applicant and one respondent.")
            rows = [self._row_for(role) for role in missing]
            if not all(rows):
                raise ValidationError(message)
            for row in rows:
                row.add_error("name", message)
        keys = [party_key(form.cleaned_data) for form in self.filled()]
        if len(set(keys)) < len(keys):
            raise ValidationError(_("The same person is listed twice in the same role."))

    def _row_for(self, role):
        """The first row whose role is ``role`` (as chosen, or as preset for the first rows)."""
        for form in self.forms:
            chosen = (form.cleaned_data or {}).get("role") or form.initial.get("role")
            if chosen == role:
                return form
        return None

    def filled(self):
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def parties(self):
        """(details, role) of every filled row, in the order typed (mediation.workflow.register_dispute)."""
        return [(party_values(form.cleaned_data), form.cleaned_data["role"]) for form in self.filled()]


def party_key(data):
    """Two rows are one party when role and ID number (or credit code, or name and phone) agree."""
    name = (data["name"].strip(), data.get("phone") or "")
    return data["role"], data.get("id_number") or data.get("credit_code") or name


IntakePartyFormSet = forms.formset_factory(
    IntakePartyForm, formset=BaseIntakePartyFormSet, extra=len(FIRST_ROLES), max_num=50,
    validate_max=True, absolute_max=60,
)  # fmt: skip


class DisputeFilterForm(CaseFilterForm):
    EXACT = ("category", "risk_level", "source")
    status_choices = DisputeStatus.choices

    category = CachedModelChoiceField(DisputeCategory, label=_("Category"), required=False)
    risk_level = CachedModelChoiceField(RiskLevel, label=_("Risk level"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", "—"), *DisputeSource.choices])


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferForm(BootstrapMixin, forms.Form):
    referred_to = forms.CharField(label=_("Referred to"), max_length=200)


class AssignForm(BootstrapMixin, forms.Form):
    handler = BoundedModelChoiceField(label=_("Mediator"), required=False, queryset=User.objects.none())
    unit = BoundedModelChoiceField(
        label=_("Or assign to a unit"), required=False, queryset=Unit.objects.none()
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
        label=_("The mediation prevented a civil dispute from turning into a criminal case"), required=False
    )
    prevented_mass_petition = forms.BooleanField(
        label=_("The mediation prevented a mass petition"), required=False
    )

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        # A dispute reported as liable to turn violent (人民调解法 §25) and mediated to the end is
        # what 防止民转刑 counts: offered ticked, the mediator confirms.
        if case.risk_reports.exists():
            self.fields["prevented_criminal_case"].initial = True
            self.fields["prevented_criminal_case"].help_text = _(
                "A risk of violence was reported on this dispute (People's Mediation Law, Art. 25)."
            )


class EmptyForm(forms.Form):
    pass


class AgreementInputForm(BootstrapMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=AgreementForm.choices)
    responsibilities = forms.CharField(
        label=_("Facts and each party's responsibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms = forms.CharField(label=_("Agreed terms"), widget=forms.Textarea(attrs={"rows": 4}))
    performance_manner = forms.CharField(label=_("Manner of performance"), max_length=200, required=False)
    performance_place = forms.CharField(label=_("Place of performance"), max_length=200, required=False)
    performance_due = BoundedDateField(
        label=_("Performance due"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    amount = BoundedDecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, model_field=Agreement._meta.get_field("amount")
    )
    effective_date = BoundedDateField(label=_("Effective date"), widget=forms.DateInput(attrs=DATE))
    signed_by = forms.CharField(
        label=_("Signed by (one per line: name, date)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TerminateForm(BootstrapMixin, forms.Form):
    route = forms.ChoiceField(label=_("Route the parties were told"), choices=TerminationRoute.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(BootstrapMixin, forms.Form):
    days = BoundedIntegerField(label=_("Days"), min_value=1, max_value=30)
    consent_note = forms.CharField(label=_("Both parties' consent"), max_length=300)


class PerformanceForm(BootstrapMixin, forms.Form):
    performed_on = BoundedDateField(label=_("Performed on"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmationForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("apply", _("applied to the court")),
            ("confirmed", _("court confirmed")),
            ("refused", _("court refused")),
        ],
    )
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    court = forms.CharField(label=_("Court"), max_length=100, required=False)
    case_number = forms.CharField(
        label=_("Court case number"), max_length=60, required=False,
        help_text=_("The number the court gave the application, when it gave one."),
    )  # fmt: skip
    result = forms.CharField(
        label=_("Court's ruling"), max_length=300, required=False,
        help_text=_("When the court decided: what its ruling says."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("step") == "apply" and not data.get("court", "").strip():
            self.add_error("court", _("Name the court the parties applied to."))
        return data


class FollowUpForm(BootstrapMixin, forms.Form):
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[("visit", _("home visit")), ("phone", _("phone")), ("meeting", _("meeting"))],
    )
    performance = forms.CharField(label=_("Performance of the agreement"), max_length=300, required=False)
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    new_risks = forms.CharField(label=_("New risks"), max_length=300, required=False)


class RemediateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the parties mediate again"),
        help_text=_(
            "People's Mediation Law, Art. 33: after a refused confirmation the parties may change the "
            "agreement."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
