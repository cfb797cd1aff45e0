"""Corrections of saved records (a session, the agreement, a party) that leave a trace: each
changed field's old and new value go into the step's timeline entry (before / after), which the
database keeps append-only. The steps themselves are in mediation.workflow.

Timelines carry masked personal data only (SECURITY.md, "Personal data"): a party's name, ID
number and phone are recorded masked, an address by its first characters.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from cases.idnumbers import mask_id_number, mask_name, mask_phone
from cases.people import find_or_create_identity
from cases.transitions import TransitionError

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
    "record": _l("Record (笔录)"),
    "outcome": _l("Outcome"),
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
