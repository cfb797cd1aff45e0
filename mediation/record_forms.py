"""Forms of the steps that add to a dispute's records or correct them: the session (who mediated,
who was invited), the §25 risk report, and the corrections of a session, the agreement or a party.

A correction form names the record and only the fields to change: a field left blank keeps its
value. The reason is required; the workflow keeps the old value on the timeline."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.bounds import BoundedDateField, BoundedDateTimeField, BoundedDecimalField, BoundedModelChoiceField
from cases.forms import BootstrapMixin, clean_id, clean_phone, hint_inputs, style
from cases.models import CaseParty
from mediation.dates import CLOCK_TOLERANCE
from mediation.models import (
    Agreement,
    InvitedCapacity,
    MediationSession,
    RiskRecipient,
    ScheduledSession,
    ScheduledState,
    SessionOutcome,
)
from mediation.people import eligible_mediators

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}
INVITED_ROWS = 3


def _local(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _user_label(user) -> str:
    name = user.display_name or user.username
    return f"{name}（{user.unit}）" if user.unit_id else name


class SessionForm(BootstrapMixin, forms.Form):
    scheduled = forms.ChoiceField(
        label=_("Scheduled session"), required=False,
        help_text=_("The session arranged ahead that this record is of; it is then shown as held."),
    )  # fmt: skip
    held_at = BoundedDateTimeField(label=_("Held at"), widget=forms.DateTimeInput(attrs=DATETIME))
    place = forms.CharField(label=_("Place"), max_length=200)
    mediators = forms.MultipleChoiceField(
        label=_("Mediators"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Who mediated; none chosen: you."),
    )  # fmt: skip
    attendees = forms.CharField(label=_("Attendees"), max_length=500)
    record = forms.CharField(label=_("Session record"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=SessionOutcome.choices)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._mediators = {str(u.pk): u for u in eligible_mediators(case)}
        self.fields["mediators"].choices = [(pk, _user_label(u)) for pk, u in self._mediators.items()]
        self._fill_from_scheduled(case)
        # 人民调解法 §20: experts, lawyers and others invited to take part.
        for i in range(1, INVITED_ROWS + 1):
            self.fields[f"invited_name_{i}"] = forms.CharField(
                label=_("Invited participant %(n)d") % {"n": i}, max_length=100, required=False
            )
            self.fields[f"invited_capacity_{i}"] = forms.ChoiceField(
                label=_("Capacity"), required=False, choices=[("", "—"), *InvitedCapacity.choices]
            )
            style(self.fields[f"invited_name_{i}"])
            style(self.fields[f"invited_capacity_{i}"])

    def _fill_from_scheduled(self, case):
        """Offer the sessions still to be held; the earliest one already begun fills the time,
        place and mediators (mediation.scheduling)."""
        pending = list(
            ScheduledSession.objects.filter(dispute_id=case.pk, state=ScheduledState.SCHEDULED)
            .prefetch_related("mediators")
            .order_by("starts_at", "pk")
        )
        self._scheduled = {str(s.pk): s for s in pending}
        if not pending:  # nothing was arranged ahead: no empty choice to puzzle over
            del self.fields["scheduled"]
            return
        self.fields["scheduled"].choices = [("", "—")] + [
            (pk, f"{_local(s.starts_at)} {s.place}") for pk, s in self._scheduled.items()
        ]
        begun = [s for s in pending if s.starts_at <= timezone.now() + CLOCK_TOLERANCE]
        if begun:
            chosen = begun[-1]
            self.fields["scheduled"].initial = str(chosen.pk)
            self.fields["held_at"].initial = timezone.localtime(chosen.starts_at).strftime("%Y-%m-%dT%H:%M")
            self.fields["place"].initial = chosen.place
            self.fields["mediators"].initial = [str(u.pk) for u in chosen.mediators.all()]

    def clean(self):
        data = super().clean()
        data["mediators"] = [self._mediators[pk] for pk in data.get("mediators") or ()]
        data["scheduled"] = self._scheduled.get(data.get("scheduled") or "")
        invited = []
        for i in range(1, INVITED_ROWS + 1):
            name = (data.pop(f"invited_name_{i}", "") or "").strip()
            capacity = data.pop(f"invited_capacity_{i}", "")
            if name and not capacity:
                self.add_error(f"invited_capacity_{i}", _("Say in what capacity this person took part."))
            elif name:
                invited.append((name, capacity))
        data["invited"] = invited
        return data


class RiskReportForm(BootstrapMixin, forms.Form):
    """人民调解法 §25: a dispute that may lead to a public-order or criminal case is reported."""

    recipient_kind = forms.ChoiceField(label=_("Reported to"), choices=RiskRecipient.choices)
    recipient_name = forms.CharField(
        label=_("Name of the body"), max_length=100, help_text=_("e.g. 枫桥派出所")
    )
    reported_at = BoundedDateTimeField(
        label=_("Reported at"), widget=forms.DateTimeInput(attrs=DATETIME), initial=timezone.localtime
    )
    content = forms.CharField(label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 4}))


class CorrectionForm(BootstrapMixin, forms.Form):
    """The fields named in FIELDS, all optional; ``reason`` required."""

    FIELDS: tuple[str, ...] = ()
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self, data) -> dict:
        return {name: data[name] for name in self.FIELDS if data.get(name) not in (None, "", [])}

    def clean(self):
        data = super().clean()
        if not self.changes(data):
            raise ValidationError(_("Fill in at least one field to correct; blank fields are kept."))
        return {**self._record(data), "changes": self.changes(data), "reason": data.get("reason", "")}

    def _record(self, data) -> dict:
        return {}


KEEP = _("Blank: unchanged.")


class SessionCorrectionForm(CorrectionForm):
    FIELDS = ("held_at", "place", "attendees", "record", "outcome", "mediators")
    session = BoundedModelChoiceField(label=_("Session"), queryset=MediationSession.objects.none())
    held_at = BoundedDateTimeField(
        label=_("Held at"), required=False, widget=forms.DateTimeInput(attrs=DATETIME), help_text=KEEP
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendees = forms.CharField(label=_("Attendees"), max_length=500, required=False)
    record = forms.CharField(
        label=_("Session record"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", "—"), *SessionOutcome.choices]
    )

    mediators = forms.MultipleChoiceField(
        label=_("Mediators"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}), help_text=KEEP
    )

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._mediators = {str(u.pk): u for u in eligible_mediators(case)}
        self.fields["mediators"].choices = [(pk, _user_label(u)) for pk, u in self._mediators.items()]
        self.fields["session"].queryset = MediationSession.objects.filter(dispute_id=case.pk)
        self.fields["session"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.held_at):%Y-%m-%d %H:%M} {s.place}"
        )

    def clean_mediators(self):
        return [self._mediators[pk] for pk in self.cleaned_data.get("mediators") or ()]

    def _record(self, data):
        return {"session_id": data["session"].pk} if data.get("session") else {}


class AgreementCorrectionForm(CorrectionForm):
    FIELDS = (
        "terms", "responsibilities", "performance_manner", "performance_place", "performance_due",
        "amount", "effective_date", "signed_by",
    )  # fmt: skip
    terms = forms.CharField(label=_("Agreed terms"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsibilities = forms.CharField(
        label=_("Facts and each party's responsibility"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    performance_manner = forms.CharField(label=_("Manner of performance"), max_length=200, required=False)
    performance_place = forms.CharField(label=_("Place of performance"), max_length=200, required=False)
    performance_due = BoundedDateField(
        label=_("Performance due"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    amount = BoundedDecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, model_field=Agreement._meta.get_field("amount")
    )
    effective_date = BoundedDateField(
        label=_("Effective date"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    signed_by = forms.CharField(
        label=_("Signed by (one per line: name, date)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartyCorrectionForm(CorrectionForm):
    FIELDS = ("name", "id_number", "phone", "address")
    party = BoundedModelChoiceField(label=_("Party"), queryset=CaseParty.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    # Kept as typed (cases.forms.clean_phone), so no longer than its column.
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ("id_number", "phone"):
            hint_inputs(self.fields[key], key)
        self.fields["party"].queryset = CaseParty.objects.filter(case_id=case.pk)
        self.fields["party"].label_from_instance = lambda p: f"{p.get_role_display()} {p.name}"

    def clean_id_number(self):
        return clean_id(self.cleaned_data.get("id_number", "").strip())

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", "").strip())

    def _record(self, data):
        return {"party_id": data["party"].pk} if data.get("party") else {}
