import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, RegionLevel, Unit
from accounts.scoping import visible_regions
from cases.bounds import BoundedDateField, BoundedIntegerField, BoundedModelChoiceField
from cases.choices import CachedModelChoiceField
from cases.forms import BootstrapMixin, clean_id, clean_phone, hint_inputs, region_picker
from cases.lists import CaseFilterForm
from petitions.models import (
    Channel,
    Outcome,
    PetitionCategory,
    PetitionKind,
    PetitionStatus,
    ReviewOutcome,
    Route,
    Satisfaction,
    VisitBatch,
)

DATE = {"type": "date"}
HEAD_COUNT = VisitBatch._meta.get_field("head_count")
PHONE_LENGTH = 20  # cases.CaseParty.phone


class PetitionIntakeForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    petition_kind = forms.ChoiceField(label=_("Kind"), choices=PetitionKind.choices)
    category = BoundedModelChoiceField(label=_("Content category"), queryset=PetitionCategory.objects.all())
    region = BoundedModelChoiceField(label=_("Region concerned"), queryset=Region.objects.none())
    received_on = BoundedDateField(label=_("Received on"), widget=forms.DateInput(attrs=DATE))
    summary = forms.CharField(label=_("Summary"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    demands = forms.CharField(label=_("Demands"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    complained_unit = BoundedModelChoiceField(
        label=_("Unit complained about"), required=False, queryset=Unit.objects.none()
    )
    referring_body = forms.CharField(label=_("Referring body"), max_length=100, required=False)
    reference_number = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    is_skip_level = forms.BooleanField(label=_("Skip-level petition"), required=False)
    head_count = BoundedIntegerField(
        label=_("Head-count (visits)"), min_value=1, initial=1, model_field=HEAD_COUNT
    )
    name = forms.CharField(label=_("Petitioner's name"), max_length=100)
    id_number = forms.CharField(label=_("Petitioner's ID number"), max_length=30, required=False)
    phone = forms.CharField(label=_("Petitioner's phone"), max_length=PHONE_LENGTH, required=False)
    address = forms.CharField(label=_("Petitioner's address"), max_length=200, required=False)
    # 信访工作条例 §20: every petitioner of a collective matter, and the representatives (at most 5).
    other_petitioners = forms.CharField(
        label=_("Further petitioners"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, ID number, phone (ID number and phone may be left empty)."),
    )  # fmt: skip
    representatives = forms.CharField(
        label=_("Representatives (at most 5)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, ID number, phone."),
    )  # fmt: skip
    repeat_choice = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = visible_regions(
            user, Region.objects.filter(level__gte=RegionLevel.COUNTY)
        ).order_by("code")
        region_picker(self.fields["region"], level=RegionLevel.COUNTY)
        county = user.unit.region.code[:6] if user.unit_id else "-"
        self.fields["complained_unit"].queryset = Unit.objects.filter(region__code__startswith=county)
        for key in ("name", "id_number", "phone", "address"):
            hint_inputs(self.fields[key], key)

    def clean_received_on(self):
        # A letter cannot arrive tomorrow, and the petition records start long after 1980 (the
        # same bounds as the import, jobs.imports.cells.parse_date).
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."))
        if day < datetime.date(1980, 1, 1):
            raise forms.ValidationError(_("The date lies before 1980."))
        return day

    def clean_id_number(self):
        return clean_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_other_petitioners(self):
        return people_lines(self.cleaned_data["other_petitioners"])

    def clean_representatives(self):
        people = people_lines(self.cleaned_data["representatives"])
        if len(people) > 5:
            raise forms.ValidationError(_("A group elects at most 5 representatives."))
        return people

    def petitioners(self):
        """The first petitioner (the fields above) and the further ones, as cases.people details."""
        data = self.cleaned_data
        first = {k: data[k] for k in ("name", "id_number", "phone", "address")}
        return [first, *data["other_petitioners"]]

    def clean(self):
        data = super().clean()
        if all(k in data for k in ("other_petitioners", "name", "id_number", "phone", "address")):
            keys = [person_key(p) for p in self.petitioners()]
            if len(set(keys)) < len(keys):
                self.add_error("other_petitioners", _("A petitioner is listed twice."))
        if data.get("channel") == Channel.UPPER_REFERRAL and not data.get("referring_body"):
            self.add_error("referring_body", _("Name the body that referred the petition."))
        if data.get("petition_kind") == PetitionKind.ACCUSATION and not data.get("complained_unit"):
            self.add_error("complained_unit", _("Choose the unit the accusation concerns."))
        return data

    def petition_fields(self):
        keys = (
            "channel", "petition_kind", "category", "region", "received_on", "summary", "content",
            "demands", "complained_unit", "referring_body", "reference_number", "is_skip_level",
        )  # fmt: skip
        return {k: self.cleaned_data[k] for k in keys}


def person_key(person: dict):
    """Two rows name one person when their ID numbers match, else their name and phone."""
    return ("id", person["id_number"]) if person["id_number"] else ("name", person["name"], person["phone"])


def people_lines(text: str) -> list[dict]:
    """ "name, ID number, phone" per line (Chinese or ASCII commas), each checked like the first
    petitioner's fields; a line repeated is refused."""
    people, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").replace("、", ",").split(",")]
        name, id_number, phone = (cells + ["", ""])[:3]
        if not name or len(cells) > 3 or len(name) > 100:
            raise forms.ValidationError(_("Line %(line)d: write name, ID number, phone.") % {"line": number})
        try:
            person = {
                "name": name,
                "id_number": clean_id(id_number),
                "phone": clean_phone(phone),
                "address": "",
            }
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("Line %(line)d: %(error)s") % {"line": number, "error": " ".join(exc.messages)}
            ) from exc
        if len(person["phone"]) > PHONE_LENGTH:  # kept as typed, in a column of 20
            raise forms.ValidationError(
                _("Line %(line)d: the phone number is longer than %(n)d characters.")
                % {"line": number, "n": PHONE_LENGTH}
            )
        key = person_key(person)
        if key in seen:
            raise forms.ValidationError(_("Line %(line)d repeats an earlier line.") % {"line": number})
        seen.add(key)
        people.append(person)
    return people


class PetitionFilterForm(CaseFilterForm):
    EXACT = ("channel", "petition_kind", "category")
    status_choices = PetitionStatus.choices

    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices])
    petition_kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *PetitionKind.choices]
    )
    category = CachedModelChoiceField(PetitionCategory, label=_("Content category"), required=False)
    collective = forms.BooleanField(label=_("Collective only"), required=False)
    repeat = forms.BooleanField(label=_("Repeat only"), required=False)


class UnitForm(BootstrapMixin, forms.Form):
    unit = BoundedModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            region__code__startswith=case.region_id[:6], is_active=True
        ).exclude(pk=case.withheld_from_unit_id or 0)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(BootstrapMixin, forms.Form):
    route = forms.ChoiceField(
        label=_("Route (Regulations on Letters and Visits, Art. 31)"),
        choices=[(Route.OPINION, Route.OPINION.label), (Route.ACT, Route.ACT.label)],
    )


class DivertForm(BootstrapMixin, forms.Form):
    route = forms.ChoiceField(
        label=_("Procedure"),
        choices=[
            (r.value, r.label)
            for r in (Route.LEGAL, Route.ARBITRATION, Route.PARTY_APPEAL, Route.ADMINISTRATIVE)
        ],
    )


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = BoundedDateField(label=_("Visit date"), widget=forms.DateInput(attrs=DATE))
    head_count = BoundedIntegerField(label=_("Head-count"), min_value=1, model_field=HEAD_COUNT)


class ExtendForm(BootstrapMixin, forms.Form):
    days = BoundedIntegerField(label=_("Days"), min_value=1, max_value=30)
    approver = forms.CharField(label=_("Approved by"), max_length=50)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReplyForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(label=_("Handling opinion"), widget=forms.Textarea(attrs={"rows": 5}))


class RequestForm(BootstrapMixin, forms.Form):
    requested_on = BoundedDateField(label=_("Requested on"), widget=forms.DateInput(attrs=DATE))


class OpinionForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class EvaluationForm(BootstrapMixin, forms.Form):
    value = forms.ChoiceField(label=_("Evaluation"), choices=Satisfaction.choices)
    given_on = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    way = forms.CharField(label=_("Way given"), max_length=50)


class EmptyForm(forms.Form):
    pass
