"""Correcting a saved petition record (what was received, when, what it asks) with a reason: the
old and new value of each changed field go into the step's timeline entry (before / after), which
the database keeps append-only. Only the unit holding the matter corrects it."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.bounds import BoundedDateField, BoundedModelChoiceField
from cases.forms import BootstrapMixin
from cases.transitions import TransitionError, perform, step
from petitions.models import Petition, PetitionCategory, PetitionStatus
from petitions.routing import holds

S = PetitionStatus
FIELDS = ("summary", "content", "demands", "received_on", "category")
RUN_FROM_RECEIPT = ("petition_route", "petition_notice")


class CorrectPetitionForm(BootstrapMixin, forms.Form):
    """Blank fields keep their value; only what is filled in changes."""

    summary = forms.CharField(label=_l("Summary"), max_length=200, required=False)
    content = forms.CharField(label=_l("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    demands = forms.CharField(label=_l("Demands"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    received_on = BoundedDateField(
        label=_l("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = BoundedModelChoiceField(
        label=_l("Content category"), required=False, queryset=PetitionCategory.objects.all()
    )
    reason = forms.CharField(label=_l("Reason for the correction"), max_length=300)


def correct_petition(petition_id, actor, *, reason, **changes):
    if not reason.strip():
        raise TransitionError(_("Give the reason for the correction."))
    wanted = {k: v for k, v in changes.items() if k in FIELDS and v not in (None, "")}
    if not wanted:
        raise TransitionError(_("Fill in at least one field to correct."))
    received = wanted.get("received_on")
    if received and received > timezone.localdate():
        raise TransitionError(_("The date lies in the future."))
    before, after = {}, {"reason": reason}

    def apply(p):
        if received and p.routed_on and received > p.routed_on:
            raise TransitionError(_("A petition cannot be received after it was forwarded."))
        p._original_received_on = p.received_on
        for name, value in wanted.items():
            old = getattr(p, name)
            if old != value:
                before[name], after[name] = _shown(old), _shown(value)
                setattr(p, name, value)
        if len(after) == 1:
            raise TransitionError(_("Nothing differs from the record."))
        if "received_on" in before:
            # The limits that run from receipt (§22 route, §23 ¶2 notice) start again from the
            # corrected day; a limit already met stays as it was.
            for code in RUN_FROM_RECEIPT:
                deadline = deadlines.open_deadline_of(p, code)
                if deadline is not None and deadline.start_date == p._original_received_on:
                    deadlines.cancel_deadline(deadline)
                    deadlines.open_deadline(p, code, p.received_on)

    return perform(CORRECT, Petition, petition_id, actor, apply, details=after, previous=before)


def _shown(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if value is not None else ""


CORRECT = step(
    "correct_record", _l("correct the record"), frozenset(S.values) - {S.FINALIZED}, None,
    {roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR}, CorrectPetitionForm,
    lambda pk, u, d: correct_petition(pk, u, **d), guard=holds,
)  # fmt: skip
