"""The dispute workflow (人民调解, domain.md 3.6): registration, acceptance, assignment, mediation
(sessions, agreement, termination, extension, performance, judicial confirmation, follow-up: their steps
and functions in mediation.mediating), escalation, archiving and reopening — one transition table and
one function per transition.

Each transition is one function: permission, validation, state change, timeline entry and deadline
update in one transaction with the core row locked (cases.transitions.perform).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import Region, Unit, UnitKind
from accounts.scoping import grant_case_to_unit, visible_regions
from cases import deadlines, handoffs, people
from cases.forms import PartyForm, party_values
from cases.idnumbers import mask_name
from cases.models import CaseKind, DeadlineState
from cases.numbering import allocate_case_number
from cases.people import find_or_create_identity, party_row
from cases.timeline import record
from cases.transitions import TransitionError, Workflow, perform, step
from mediation import corrections as fix
from mediation import mediating, routes, scheduling
from mediation.forms import (
    ArchiveForm,
    AssignForm,
    EmptyForm,
    EscalateForm,
    ReasonForm,
    ReferForm,
)
from mediation.mediating import (  # noqa: F401 (importable from here as before: workflow.record_session …)
    MAX_MEDIATION_EXTENSION_DAYS,
    OPEN_STATES,
    apply_for_confirmation,
    decide_confirmation,
    extend_mediation,
    record_agreement,
    record_follow_up,
    record_performance,
    record_session,
    remediate,
    report_risk,
    terminate,
)
from mediation.models import Dispute, DisputeStatus, SessionOutcome
from mediation.people import may_correct, never_to_the_withheld, not_the_returning_unit
from mediation.record_forms import AgreementCorrectionForm, PartyCorrectionForm, SessionCorrectionForm
from mediation.scheduling import (  # noqa: F401
    cancel_session,
    notify_parties,
    reschedule_session,
    schedule_session,
)

S = DisputeStatus
M, G, SUP = roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR
# Sessions exist from mediation on; the agreement once it was recorded.
CORRECTABLE_SESSIONS = frozenset(
    {S.MEDIATING, S.AGREED, S.TERMINATED, S.PERFORMED, S.FOLLOWED_UP, S.ROUTED, S.ROUTE_RETURNED}
)
CORRECTABLE_AGREEMENT = frozenset({S.AGREED, S.PERFORMED, S.FOLLOWED_UP})


def to_assignee(d, actor):
    """The mediator assigned, or (交办) the unit handed the dispute when it is not the actor's own."""
    units = [d.handling_unit] if d.handling_unit_id and d.handling_unit_id != actor.unit_id else []
    return units, [d.handler] if d.handler_id else []


TRANSITIONS = Workflow([
    step("accept", _l("accept"), {S.REGISTERED}, S.ACCEPTED, {M, SUP}, EmptyForm, lambda pk, u, d: accept(pk, u)),
    step("decline", _l("decline"), {S.REGISTERED}, S.DECLINED, {M, SUP}, ReasonForm, lambda pk, u, d: decline(pk, u, d["reason"]),
         confirm=_l("Decline this dispute? The parties must be told why.")),
    step("refer", _l("refer elsewhere"), {S.REGISTERED, S.ACCEPTED}, S.REFERRED, {M, SUP}, ReferForm, lambda pk, u, d: refer(pk, u, d["referred_to"])),
    step("assign", _l("assign"), {S.ACCEPTED, S.ASSIGNED}, S.ASSIGNED, {M, SUP}, AssignForm,
         lambda pk, u, d: assign(pk, u, handler=d["handler"], unit=d["unit"]), form_needs_case=True,
         hands_to=to_assignee),
    step("start_mediation", _l("start mediation"), {S.ACCEPTED, S.ASSIGNED, S.ROUTE_RETURNED}, S.MEDIATING, {M}, EmptyForm, lambda pk, u, d: start_mediation(pk, u),
         guard=not_the_returning_unit),
    # Sessions arranged ahead: mediation.scheduling; the mediation stage: mediation.mediating.
    scheduling.SCHEDULE, scheduling.NOTIFY, scheduling.RESCHEDULE, scheduling.CANCEL,
    mediating.RECORD_SESSION, mediating.AGREE, mediating.TERMINATE, mediating.EXTEND, mediating.REMEDIATE,
    mediating.RECORD_PERFORMANCE, mediating.CONFIRMATION, mediating.FOLLOW_UP,
    # 多元化解: to another channel and back, and joint mediation (mediation.routes).
    routes.ROUTE, routes.ROUTE_RESULT, routes.JOINT,
    step("archive", _l("archive"), {S.FOLLOWED_UP, S.DECLINED, S.REFERRED}, S.ARCHIVED, {M, SUP}, ArchiveForm, lambda pk, u, d: archive(pk, u, **d),
         confirm=_l("Archive this dispute? It leaves the open lists."), documents=("closure",), form_needs_case=True),
    step("escalate", _l("escalate"), OPEN_STATES, None, {M, G, SUP}, EscalateForm,
         lambda pk, u, d: escalate(pk, u, unit=d["unit"], reason=d["reason"]), form_needs_case=True,
         hands_to=lambda d, actor: ([d.handling_unit], [])),
    step("add_party", _l("add a party"), OPEN_STATES, None, {M, G, SUP}, PartyForm, lambda pk, u, d: add_party(pk, u, role=d["role"], **party_values(d))),
    mediating.REPORT_RISK,
    step("correct_session", _l("correct a session record"), CORRECTABLE_SESSIONS, None, {M, SUP}, SessionCorrectionForm,
         lambda pk, u, d: correct_session(pk, u, **d), form_needs_case=True, guard=may_correct),
    step("correct_agreement", _l("correct the agreement"), CORRECTABLE_AGREEMENT, None, {M, SUP}, AgreementCorrectionForm,
         lambda pk, u, d: correct_agreement(pk, u, **d), guard=may_correct),
    step("correct_party", _l("correct a party's details"), OPEN_STATES, None, {M, SUP}, PartyCorrectionForm,
         lambda pk, u, d: correct_party(pk, u, **d), form_needs_case=True, guard=may_correct),
    step("reopen", _l("reopen"), {S.ARCHIVED, S.TERMINATED, S.DECLINED}, S.ACCEPTED, {SUP}, ReasonForm, lambda pk, u, d: reopen(pk, u, d["reason"])),
], kind=CaseKind.DISPUTE, after_change=scheduling.cancel_when_closed)  # fmt: skip


def register_dispute(actor, *, parties, **fields) -> Dispute:
    """Intake: store the dispute with its parties, number it and open the acceptance deadline.

    ``parties`` is a list of (details, PartyRole), details as ``cases.forms.party_values`` gives
    them: they are kept on the case, and the register links the person (cases.people). Refused
    unless the actor may file cases in the region and holds a role that registers disputes.
    """
    from django.core.exceptions import PermissionDenied

    if not (actor.is_superuser or roles.has_role(actor, M, G, SUP)):
        raise PermissionDenied(_("Your role does not allow this action."))
    region = fields["region"]
    if not visible_regions(actor, Region.objects.filter(pk=region.pk)).exists():
        raise TransitionError(_("You can only register disputes in your own jurisdiction."))
    if not any(role == "applicant" for _p, role in parties) or not any(
        role == "respondent" for _p, role in parties
    ):
        raise TransitionError(_("A dispute needs at least one applicant and one respondent."))
    with transaction.atomic():
        dispute = _store_dispute(actor, actor.unit if actor.unit_id else None, parties, fields)
        if not (actor.is_superuser or roles.has_role(actor, M, SUP)):
            # A grid worker's report: the village committee or centre must accept it next. The
            # grid worker sits in the centre, the mediators who accept in the committee of the place.
            committees = Unit.objects.filter(
                region_id=region.pk, kind=UnitKind.MEDIATION_COMMITTEE, is_active=True
            ).exclude(pk=dispute.handling_unit_id or 0)
            handoffs.hand_off(
                dispute, actor, action="register", title=_("New dispute reported"),
                units=[dispute.handling_unit, *committees],
            )  # fmt: skip
    return dispute


def _store_dispute(actor, handling_unit, parties, fields, described=None) -> Dispute:
    """The intake every channel shares: number, parties linked through the register (repeat
    detection), timeline entry and the acceptance deadline from the day received."""
    dispute = Dispute(
        kind=CaseKind.DISPUTE,
        status=S.REGISTERED,
        opened_at=timezone.now(),
        handling_unit=handling_unit,
        reported_by=actor if actor is not None and actor.pk else None,
        **fields,
    )
    allocate_case_number(dispute)
    dispute.save()
    for position, (details, role) in enumerate(parties):
        people.add_party(dispute, details, role, position, entered_by=actor)
    described = described or _("Dispute registered")
    record(dispute, actor, "register", described, after={"status": dispute.status})
    deadlines.open_deadline(dispute, "dispute_accept", timezone.localdate(dispute.opened_at))
    return dispute


def register_public_dispute(*, unit, parties, sender, **fields) -> Dispute:
    """A citizen's own application (the public channel, app ``public``): no user acts. The same
    intake as a registration by staff, handled by ``unit`` (the mediation committee competent for
    the place), whose members are told at once. ``sender`` names the channel in the notice."""
    if not any(role == "applicant" for _p, role in parties) or not any(
        role == "respondent" for _p, role in parties
    ):
        raise TransitionError(_("A dispute needs at least one applicant and one respondent."))
    with transaction.atomic():
        dispute = _store_dispute(
            None, unit, parties, fields, _("Dispute registered from the applicant's online application")
        )
        handoffs.hand_off(
            dispute, None, action="register", title=_("New application from the public"),
            units=[unit], sender_unit=sender,
        )  # fmt: skip
    return dispute


def accept(dispute_id, actor):
    return perform(
        TRANSITIONS["accept"],
        Dispute,
        dispute_id,
        actor,
        lambda d: deadlines.close_open_deadline(d, "dispute_accept"),
    )


def decline(dispute_id, actor, reason: str):
    if not reason.strip():
        raise TransitionError(_("Give the reason for declining."))

    def apply(d):
        d.decline_reason = reason
        deadlines.close_open_deadline(d, "dispute_accept")

    return perform(TRANSITIONS["decline"], Dispute, dispute_id, actor, apply, details={"reason": reason})


def refer(dispute_id, actor, referred_to: str):
    if not referred_to.strip():
        raise TransitionError(_("Say where the dispute was referred."))

    def apply(d):
        d.referred_to = referred_to
        deadlines.close_open_deadline(d, "dispute_accept")

    return perform(
        TRANSITIONS["refer"], Dispute, dispute_id, actor, apply, details={"referred_to": referred_to}
    )


# 信访工作条例 §30: never hand a case to a unit it is withheld from (mediation.people).
_never_to_the_withheld = never_to_the_withheld


def assign(dispute_id, actor, *, handler=None, unit=None):
    """Assign to a mediator, or 交办 to another unit, which then sees the case (and nobody else)."""
    if handler is None and unit is None:
        raise TransitionError(_("Choose a mediator or a unit."))

    def apply(d):
        _never_to_the_withheld(d, unit, handler.unit_id if handler is not None else None)
        if unit is not None:
            d.handling_unit = unit
            grant_case_to_unit(d, unit)
        if handler is not None:
            d.handler = handler
            if handler.unit_id and (unit is None or handler.unit_id != unit.pk):
                grant_case_to_unit(d, handler.unit)

    return perform(
        TRANSITIONS["assign"],
        Dispute,
        dispute_id,
        actor,
        apply,
        watch=("handler", "handling_unit"),
    )


def add_party(dispute_id, actor, *, role, **details):
    """Another applicant, respondent, third party or agent; a person or an organisation.

    The details typed are kept on this case; the register identity is found again (ID number,
    credit code, or name + phone) or created inside the transition, so a refused step leaves no
    stray record. Nothing stored elsewhere is shown here, nor changed (cases.people).
    """

    def apply(d):
        person, _created = find_or_create_identity(details)
        if d.parties.filter(person=person, role=role).exists():
            raise TransitionError(_("This person is already a party in that role."))
        party_row(d.pk, person, details, role, d.parties.count(), entered_by=actor).save()

    # The timeline keeps the masked name only: it is shown to roles that see masked values.
    return perform(
        TRANSITIONS["add_party"], Dispute, dispute_id, actor, apply,
        description=_("Party added"), details={"role": role, "party": mask_name(details["name"])},
    )  # fmt: skip


def start_mediation(dispute_id, actor):
    def apply(d):
        if d.handler_id is None:
            d.handler = actor
        if d.status == S.ROUTE_RETURNED:  # back from a route: mediated again instead of followed up
            follow_up = deadlines.open_deadline_of(d, "follow_up")
            if follow_up is not None:
                deadlines.cancel_deadline(follow_up)
        deadlines.open_deadline(d, "mediation_period", timezone.localdate())

    return perform(TRANSITIONS["start_mediation"], Dispute, dispute_id, actor, apply)


def escalate(dispute_id, actor, *, unit, reason: str):
    """上报: hand the dispute up to the town or county centre, which gains access to it."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for escalating."))
    if actor.unit_id and unit.region.level >= actor.unit.region.level:
        raise TransitionError(_("Escalate to a unit at a higher level."))

    def apply(d):
        _never_to_the_withheld(d, unit)
        d.handling_unit = unit
        grant_case_to_unit(d, unit)

    return perform(
        TRANSITIONS["escalate"],
        Dispute,
        dispute_id,
        actor,
        apply,
        details={"reason": reason},
        watch=("handling_unit",),
    )


def archive(dispute_id, actor, *, prevented_criminal_case=False, prevented_mass_petition=False):
    """立卷归档. The two flags are statistics fields of the closure (domain.md 3.8: 防止民转刑,
    防止群体性上访), set when the file is closed."""

    def apply(d):
        for deadline in d.deadlines.filter(state=DeadlineState.OPEN).select_related("rule"):
            deadlines.cancel_deadline(deadline)
        d.closed_at = timezone.now()
        d.prevented_criminal_case = prevented_criminal_case
        d.prevented_mass_petition = prevented_mass_petition

    return perform(
        TRANSITIONS["archive"], Dispute, dispute_id, actor, apply,
        watch=("prevented_criminal_case", "prevented_mass_petition"),
    )  # fmt: skip


def reopen(dispute_id, actor, reason: str):
    if not reason.strip():
        raise TransitionError(_("Give the reason for reopening."))

    def apply(d):
        d.closed_at = None

    return perform(TRANSITIONS["reopen"], Dispute, dispute_id, actor, apply, details={"reason": reason})


# Corrections (mediation.corrections): the mediator handling the case or a supervisor of its unit
# or place (mediation.people.may_correct, the steps' guard) changes a saved record with a reason;
# the entry keeps each changed field's old value in ``before`` and the new one in ``after``.


def correct_session(dispute_id, actor, *, session_id, changes, reason):
    return fix.correct_session(
        TRANSITIONS["correct_session"],
        dispute_id,
        actor,
        session_id=session_id,
        changes=changes,
        reason=reason,
    )


def correct_agreement(dispute_id, actor, *, changes, reason):
    return fix.correct_agreement(
        TRANSITIONS["correct_agreement"], dispute_id, actor, changes=changes, reason=reason
    )


def correct_party(dispute_id, actor, *, party_id, changes, reason):
    return fix.correct_party(
        TRANSITIONS["correct_party"], dispute_id, actor, party_id=party_id, changes=changes, reason=reason
    )


__all__ = [
    "SessionOutcome",
    "apply_for_confirmation",
    "correct_agreement",
    "correct_party",
    "correct_session",
    "report_risk",
    "decide_confirmation",
    "extend_mediation",
    "record_agreement",
    "record_follow_up",
    "record_performance",
    "record_session",
    "remediate",
    "terminate",
]
