"""Corrections of saved records (a session, the agreement, a party) that leave a trace: each
changed field's old and new value go into the step's timeline entry (before / after), which the
database keeps append-only. The steps are declared in mediation.workflow, whose functions pass
their Step to the bodies here.

Timelines carry masked personal data only (SECURITY.md, "Personal data"): a party's name, ID
number and phone are recorded masked, an address by its first characters.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from cases import deadlines
from cases.idnumbers import id_facts, mask_id_number, mask_name, mask_phone
from cases.models import CaseParty
from cases.people import find_or_create_identity
from cases.transitions import TransitionError, perform
from mediation import dates
from mediation.models import Agreement, Dispute, MediationSession
from mediation.people import eligible_among

SESSION_FIELDS = ("held_at", "place", "attendees", "record", "outcome")
AGREEMENT_FIELDS = (
    "terms", "responsibilities", "performance_manner", "performance_place", "performance_due",
    "amount", "effective_date", "signed_by",
)  # fmt: skip
PARTY_FIELDS = ("name", "id_number", "phone", "address")

# The labels the case page gives these keys on the timeline (registered in MediationConfig.ready).
TIMELINE_LABELS = {
    "corrected": _l("Corrected"),
    "held_at": _l("Held at"),
    "place": _l("Place"),
    "attendees": _l("Attendees"),
    "record": _l("Session record"),
    "outcome": _l("Outcome"),
    "mediators": _l("Mediators"),
    "terms": _l("Agreed terms"),
    "responsibilities": _l("Facts and each party's responsibility"),
    "performance_manner": _l("Manner of performance"),
    "performance_place": _l("Place of performance"),
    "performance_due": _l("Performance due"),
    "amount": _l("Amount (yuan)"),
    "effective_date": _l("Effective date"),
    "signed_by": _l("Signed by (one per line: name, date)"),
    "name": _l("Name"),
    "id_number": _l("ID number"),
    "phone": _l("Phone"),
    "address": _l("Address"),
    "recipient": _l("Reported to"),
    "reported_at": _l("Reported at"),
    "reported": _l("What was reported"),
}

MASKS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": lambda value: (value[:6] + "……") if len(value) > 6 else value,
}


def shown(value):
    """A JSON value for the timeline, as the page prints it."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else value


def change(record, changes: dict, *, masked=False) -> tuple[dict, dict]:
    """Set ``changes`` on ``record`` (unsaved); (before, after) of the fields that really change."""
    before, after = {}, {}
    for name, value in changes.items():
        old = getattr(record, name)
        if old == value:
            continue
        mask = MASKS.get(name, str) if masked else shown
        before[name], after[name] = mask(shown(old)), mask(shown(value))
        setattr(record, name, value)
    if not after:
        raise TransitionError(_("Nothing to correct: the values given are the ones recorded."))
    return before, after


def need_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise TransitionError(_("Give the reason for the correction."))


def relink_party(link) -> None:
    """A corrected name, ID number or phone may be another register identity: link that one, as
    intake would have (cases.people); refused when the case already has that person in that role."""
    details = {
        "name": link.name, "id_number": link.id_number, "phone": link.phone,
        "credit_code": link.credit_code, "is_organisation": link.is_organisation,
    }  # fmt: skip
    person, _created = find_or_create_identity(details)
    if person.pk == link.person_id:
        return
    others = type(link).objects.filter(case_id=link.case_id, person=person, role=link.role)
    if others.exclude(pk=link.pk).exists():
        raise TransitionError(_("This person is already a party in that role."))
    link.person = person


def session_label(session) -> str:
    return _("session of %(when)s") % {"when": shown(session.held_at)}


def party_label(link) -> str:
    return f"{link.get_role_display()} {mask_name(link.name)}"


# The steps' bodies: ``step`` is the declaration (mediation.workflow.TRANSITIONS[...]).


def _correct(step, dispute_id, actor, reason, apply_change):
    need_reason(reason)
    previous, details = {}, {"reason": reason}

    def apply(d):
        label, before, after = apply_change(d)
        previous.update(before)
        details.update(after, corrected=label)

    return perform(
        step, Dispute, dispute_id, actor, apply,
        description=_("Record corrected"), details=details, previous=previous,
    )  # fmt: skip


def correct_session(step, dispute_id, actor, *, session_id, changes, reason):
    def apply_change(d):
        session = MediationSession.objects.filter(dispute=d, pk=session_id).first()
        if session is None:
            raise TransitionError(_("This session does not belong to the dispute."))
        if "held_at" in changes:
            dates.check_session(d, changes["held_at"])
        label = session_label(session)
        values = dict(_only(changes, (*SESSION_FIELDS, "mediators")))
        mediators = values.pop("mediators", None)
        before, after = change(session, values) if values else ({}, {})
        session.save()
        if mediators:
            allowed = eligible_among(d, mediators)
            if any(m.pk not in allowed for m in mediators):
                raise TransitionError(
                    _("Only mediators who may see this dispute can be named as its mediators.")
                )
            old = list(session.mediators.order_by("pk"))
            if {u.pk for u in old} != {u.pk for u in mediators}:
                before["mediators"] = "、".join(str(u) for u in old)
                after["mediators"] = "、".join(str(u) for u in sorted(mediators, key=lambda u: u.pk))
                session.mediators.set(mediators)
        if not after:
            raise TransitionError(_("Nothing to correct: the values given are the ones recorded."))
        return label, before, after

    return _correct(step, dispute_id, actor, reason, apply_change)


def correct_agreement(step, dispute_id, actor, *, changes, reason):
    def apply_change(d):
        agreement = Agreement.objects.filter(dispute=d).first()
        if agreement is None:
            raise TransitionError(_("This dispute has no agreement to correct."))
        effective = changes.get("effective_date", agreement.effective_date)
        dates.check_agreement(effective, changes.get("performance_due", agreement.performance_due))
        # Nothing recorded as following the agreement may come to precede it.
        for later in [
            agreement.performed_on,
            agreement.confirmation_applied_on,
            *d.follow_ups.values_list("date", flat=True),
        ]:
            if later is not None:
                dates.not_before(
                    later,
                    effective,
                    _("Performance, confirmation or a follow-up is dated before %(date)s; correct it first."),
                )
        before, after = change(agreement, _only(changes, AGREEMENT_FIELDS))
        agreement.save()
        _recount_agreement_deadlines(d, agreement, after)
        return _("the agreement"), before, after

    return _correct(step, dispute_id, actor, reason, apply_change)


def _recount_agreement_deadlines(d, agreement, changed):
    """Open deadlines counted from the agreement follow its corrected dates."""
    if "effective_date" in changed:
        for code in ("judicial_confirmation", "follow_up"):
            if deadline := deadlines.open_deadline_of(d, code):
                deadlines.cancel_deadline(deadline)
                deadlines.open_deadline(d, code, agreement.effective_date)
    if "performance_due" in changed and (deadline := deadlines.open_deadline_of(d, "performance")):
        deadlines.cancel_deadline(deadline)
        deadlines.open_deadline(
            d, "performance", agreement.effective_date, due_date=agreement.performance_due
        )


def correct_party(step, dispute_id, actor, *, party_id, changes, reason):
    def apply_change(d):
        link = CaseParty.objects.filter(case_id=d.pk, pk=party_id).first()
        if link is None:
            raise TransitionError(_("This party does not belong to the dispute."))
        label = party_label(link)
        before, after = change(link, _only(changes, PARTY_FIELDS), masked=True)
        relink_party(link)
        if "id_number" in changes and link.id_number and not link.is_organisation:
            # Gender and date of birth are the corrected number's (cases.people.party_details).
            link.gender, link.birth_date = id_facts(link.id_number)
        link.save()
        return label, before, after

    return _correct(step, dispute_id, actor, reason, apply_change)


def _only(changes, fields):
    unknown = set(changes) - set(fields)
    if unknown:
        raise TransitionError(
            _("These fields cannot be corrected here: %(fields)s") % {"fields": "、".join(sorted(unknown))}
        )
    return changes
