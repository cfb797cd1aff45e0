"""The dispute workflow (domain.md 3.6) up to the start of mediation, plus escalation, archiving
and reopening. Mediation itself (sessions, agreement, termination, performance, judicial
confirmation, follow-up) lives in mediation.services, which uses the same transition table.

Each transition is one function: permission, validation, state change, timeline entry and
deadline update in one transaction with the core row locked (cases.transitions.perform).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from accounts.scoping import grant_case_to_unit, visible_regions

from . import deadlines, people
from .models import CaseKind, DeadlineState, Dispute, DisputeStatus
from .numbering import allocate_case_number
from .timeline import record
from .transitions import Transition, TransitionError, perform

S = DisputeStatus
M, G, SUP = roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR
OPEN_STATES = frozenset(
    {S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING, S.AGREED, S.TERMINATED, S.PERFORMED, S.FOLLOWED_UP}
)


def t(name, label, sources, target, *who):
    return Transition(name, label, frozenset(sources), target, frozenset(who))


TRANSITIONS = {
    tr.name: tr
    for tr in [
        t("accept", gettext_lazy("accept"), {S.REGISTERED}, S.ACCEPTED, M, SUP),
        t("decline", gettext_lazy("decline"), {S.REGISTERED}, S.DECLINED, M, SUP),
        t("refer", gettext_lazy("refer elsewhere"), {S.REGISTERED, S.ACCEPTED}, S.REFERRED, M, SUP),
        t("assign", gettext_lazy("assign"), {S.ACCEPTED, S.ASSIGNED}, S.ASSIGNED, M, SUP),
        t("start_mediation", gettext_lazy("start mediation"), {S.ACCEPTED, S.ASSIGNED}, S.MEDIATING, M),
        t("record_session", gettext_lazy("record a session"), {S.MEDIATING}, None, M),
        t("agree", gettext_lazy("record the agreement"), {S.MEDIATING}, S.AGREED, M),
        t("terminate", gettext_lazy("terminate mediation"), {S.MEDIATING}, S.TERMINATED, M),
        t("extend_mediation", gettext_lazy("extend the mediation period"), {S.MEDIATING}, None, M),
        t("remediate", gettext_lazy("mediate again"), {S.AGREED, S.PERFORMED}, S.MEDIATING, M),
        t("record_performance", gettext_lazy("record performance"), {S.AGREED}, S.PERFORMED, M),
        t("confirmation", gettext_lazy("judicial confirmation"), {S.AGREED, S.PERFORMED}, None, M),
        t("follow_up", gettext_lazy("follow up"), {S.AGREED, S.PERFORMED, S.TERMINATED}, S.FOLLOWED_UP, M, G),
        t("archive", gettext_lazy("archive"), {S.FOLLOWED_UP, S.DECLINED, S.REFERRED}, S.ARCHIVED, M, SUP),
        t("escalate", gettext_lazy("escalate"), OPEN_STATES, None, M, G, SUP),
        t("add_party", gettext_lazy("add a party"), OPEN_STATES, None, M, G, SUP),
        t("reopen", gettext_lazy("reopen"), {S.ARCHIVED, S.TERMINATED, S.DECLINED}, S.ACCEPTED, SUP),
    ]
}


def available_transitions(dispute, user) -> list[Transition]:
    """The transitions the page offers this user now (the functions check again on submit)."""
    return [
        tr
        for tr in TRANSITIONS.values()
        if tr.allows(dispute.status) and (user.is_superuser or roles.has_role(user, *tr.roles))
    ]


def register_dispute(actor, *, parties, **fields) -> Dispute:
    """Intake: store the dispute with its parties, number it and open the acceptance deadline.

    ``parties`` is a list of (details, PartyRole), details as ``cases.forms.party_values`` gives
    them: they are kept on the case, and the register links the person (cases.people). Refused
    unless the actor may file cases in the region and holds a role that registers disputes.
    """
    from django.core.exceptions import PermissionDenied

    from accounts.models import Region

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
        dispute = Dispute(
            kind=CaseKind.DISPUTE,
            status=S.REGISTERED,
            opened_at=timezone.now(),
            handling_unit=actor.unit if actor.unit_id else None,
            **fields,
        )
        allocate_case_number(dispute)
        dispute.save()
        for position, (details, role) in enumerate(parties):
            people.add_party(dispute, details, role, position)
        record(dispute, actor, "register", _("Dispute registered"), after={"status": dispute.status})
        deadlines.open_deadline(dispute, "dispute_accept", timezone.localdate(dispute.opened_at))
    return dispute


def _close(case, code, when=None):
    deadline = deadlines.open_deadline_of(case, code)
    if deadline:
        deadlines.close_deadline(deadline, when)


def accept(dispute_id, actor):
    return perform(TRANSITIONS["accept"], Dispute, dispute_id, actor, lambda d: _close(d, "dispute_accept"))


def decline(dispute_id, actor, reason: str):
    if not reason.strip():
        raise TransitionError(_("Give the reason for declining."))

    def apply(d):
        d.decline_reason = reason
        _close(d, "dispute_accept")

    return perform(TRANSITIONS["decline"], Dispute, dispute_id, actor, apply, details={"reason": reason})


def refer(dispute_id, actor, referred_to: str):
    if not referred_to.strip():
        raise TransitionError(_("Say where the dispute was referred."))

    def apply(d):
        d.referred_to = referred_to
        _close(d, "dispute_accept")

    return perform(
        TRANSITIONS["refer"], Dispute, dispute_id, actor, apply, details={"referred_to": referred_to}
    )


def assign(dispute_id, actor, *, handler=None, unit=None):
    """Assign to a mediator, or 交办 to another unit, which then sees the case (and nobody else)."""
    if handler is None and unit is None:
        raise TransitionError(_("Choose a mediator or a unit."))

    def apply(d):
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
    from .idnumbers import mask_name
    from .people import find_or_create_identity, party_row

    def apply(d):
        person, _created = find_or_create_identity(details)
        if d.parties.filter(person=person, role=role).exists():
            raise TransitionError(_("This person is already a party in that role."))
        party_row(d.pk, person, details, role, d.parties.count()).save()

    # The timeline keeps the masked name only: it is shown to roles that see masked values.
    return perform(
        TRANSITIONS["add_party"], Dispute, dispute_id, actor, apply,
        description=_("Party added"), details={"role": role, "party": mask_name(details["name"])},
    )  # fmt: skip


def start_mediation(dispute_id, actor):
    def apply(d):
        if d.handler_id is None:
            d.handler = actor
        deadlines.open_deadline(d, "mediation_period", timezone.localdate())

    return perform(TRANSITIONS["start_mediation"], Dispute, dispute_id, actor, apply)


def escalate(dispute_id, actor, *, unit, reason: str):
    """上报: hand the dispute up to the town or county centre, which gains access to it."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for escalating."))
    if actor.unit_id and unit.region.level >= actor.unit.region.level:
        raise TransitionError(_("Escalate to a unit at a higher level."))

    def apply(d):
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
