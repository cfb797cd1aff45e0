"""The petition workflow (domain.md 1.7), one function per transition.

Limits come from DeadlineRule rows (cases/migrations/0004), so a province's stricter rules are
configuration. Every transition runs through cases.transitions.perform: visibility, role, state,
row lock, one timeline entry, next due date.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import Region, Unit
from accounts.scoping import visible_regions
from cases import deadlines, handoffs, people
from cases.models import CaseKind, PartyRole
from cases.numbering import allocate_case_number
from cases.timeline import record
from cases.transitions import TransitionError, Workflow, perform, perform_for_party, step
from petitions import conduct, corrections, delivery, followup, hearings, redo, review, routing
from petitions.forms import (
    AcceptForm,
    DivertForm,
    EvaluationForm,
    ReasonForm,
    VisitForm,
)
from petitions.models import (
    Evaluation,
    Petition,
    PetitionKind,
    PetitionStatus,
    Route,
    VisitBatch,
)
from petitions.routing import (
    agree_objection,
    assign,
    disagree_objection,
    forward,
    object_to_routing,
    refer_down,
    report_result,
)
from petitions.units import body_above

# Importable from here as before (tests and callers use petitions.workflow.forward …).
__all__ = [
    "TRANSITIONS", "agree_objection", "assign", "disagree_objection", "forward", "object_to_routing",
    "refer_down", "register_petition", "report_result",
]  # fmt: skip
from petitions.delivery import record_delivery  # noqa: F401 (importable from here too)
from petitions.followup import report_followup  # noqa: F401
from petitions.hearings import end_hearing, start_hearing  # noqa: F401
from petitions.redo import redo_opinion  # noqa: F401
from petitions.review import (  # noqa: F401 (the review path's functions, importable from here too)
    MAX_EXTENSION_DAYS,
    decide_rereview,
    decide_review,
    extend,
    finalize,
    reply,
    request_rereview,
    request_review,
)

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
# 信访工作条例 §20: a group elects at most 5 representatives.
MAX_REPRESENTATIVES = 5
CLOSED = frozenset({S.NOT_ACCEPTED, S.DIVERTED, S.FINALIZED})


def collective_threshold() -> int:
    """Head-count from which a visit counts as collective (集体访); 5 unless configured."""
    return getattr(settings, "PETITION_COLLECTIVE_THRESHOLD", 5)


TRANSITIONS = Workflow([
    # 转送, 交办, 越级 referral, objection and the sender's check: petitions.routing.
    routing.FORWARD, routing.ASSIGN, routing.REFER_DOWN, routing.OBJECT, routing.AGREE, routing.DISAGREE,
    step("accept", _l("accept and notify in writing"), {S.REGISTERED, S.FORWARDED, S.ASSIGNED}, S.ACCEPTED, {HANDLER, CLERK, SUP}, AcceptForm,
         lambda pk, u, d: accept(pk, u, route=d["route"]), guard=routing.holds, documents=("acceptance",)),
    step("not_accept", _l("tell the petitioner to go to the competent organ"), {S.REGISTERED, S.FORWARDED, S.ASSIGNED}, S.NOT_ACCEPTED,
         {HANDLER, CLERK, SUP}, ReasonForm, lambda pk, u, d: not_accept(pk, u, reason=d["reason"]),
         confirm=_l("Close this petition and tell the petitioner to go to the competent organ?"), guard=routing.holds,
         documents=("not_accepted",)),
    step("divert", _l("divert to a legal procedure"), {S.REGISTERED, S.FORWARDED, S.ASSIGNED, S.ACCEPTED}, S.DIVERTED, {HANDLER, CLERK, SUP},
         DivertForm, lambda pk, u, d: divert(pk, u, route=d["route"]), confirm=_l("Divert this petition out of the petition track?"),
         guard=routing.holds),
    step("add_visit", _l("record a further visit"), set(S.values) - CLOSED, None, {CLERK}, VisitForm, lambda pk, u, d: add_visit(pk, u, **d)),
    review.EXTEND, review.REPLY, routing.REPORT, delivery.RECORD_DELIVERY, review.REQUEST_REVIEW, review.DECIDE_REVIEW,
    review.REQUEST_REREVIEW, hearings.START_HEARING, hearings.END_HEARING, review.DECIDE_REREVIEW, redo.REDO_OPINION,
    followup.REPORT_FOLLOWUP,
    review.FINALIZE,
    step("evaluate", _l("record the petitioner's evaluation"), {S.REPLIED, S.REVIEWED, S.FINALIZED}, None, {CLERK, HANDLER, SUP}, EvaluationForm,
         lambda pk, u, d: evaluate(pk, u, **d)),
    # §25 major or urgent matter reported up; §28 ¶3 回避: petitions.conduct.
    conduct.MAJOR, conduct.RECUSE, corrections.CORRECT,
], kind="petition")  # fmt: skip


def _date(d: datetime.date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def register_petition(
    actor,
    *,
    petitioners,
    representatives=(),
    head_count=1,
    visited_on=None,
    repeat_of=None,
    **fields,
) -> Petition:
    """Intake by any channel. A visit records its batch (批) and head-count (人次).

    ``petitioners`` and ``representatives`` are details as typed (cases.people). ``repeat_of``
    links a repeat petition (重复信访); a matter finalised after 复核 is refused
    (信访工作条例 §36: the same facts and reasons are not accepted again).
    """
    if not (actor.is_superuser or roles.has_role(actor, CLERK, SUP)):
        raise PermissionDenied(_("Your role does not allow this action."))
    region = fields["region"]
    if not visible_regions(actor, Region.objects.filter(pk=region.pk)).exists():
        raise TransitionError(_("You can only register petitions in your own jurisdiction."))
    if not petitioners:
        raise TransitionError(_("A petition needs at least one petitioner."))
    if len(representatives) > MAX_REPRESENTATIVES:
        raise TransitionError(_("A group elects at most 5 representatives."))
    if repeat_of is not None and repeat_of.status == S.FINALIZED:
        raise TransitionError(
            _(
                "This matter was finalised on %(date)s after re-review; the same facts and reasons are "
                "not accepted again (Regulations on Letters and Visits, Art. 36)."
            )
            % {"date": _date(timezone.localdate(repeat_of.closed_at or repeat_of.updated_at))}
        )
    if fields.get("channel") == "visit" and head_count < 1:
        raise TransitionError(_("A visit needs a head-count of at least 1."))
    handling_unit = actor.unit if actor.unit_id else None
    passed_to = None
    if (
        fields.get("petition_kind") == PetitionKind.ACCUSATION
        and handling_unit is not None
        and getattr(fields.get("complained_unit"), "pk", None) == handling_unit.pk
    ):
        # 信访工作条例 §30: an accusation against the registering unit is never its case.
        passed_to = handling_unit = competent_unit_above(handling_unit)
    with transaction.atomic():
        petition = _store_petition(
            actor, handling_unit, petitioners, representatives, head_count, visited_on, repeat_of, fields
        )
        if passed_to is not None:
            record(petition, actor, "pass_up", passed_up_message(petition), after={"unit": str(passed_to)})
    return petition


def _store_petition(
    actor,
    handling_unit,
    petitioners,
    representatives,
    head_count,
    visited_on,
    repeat_of,
    fields,
    described=None,
):
    """The intake every channel shares: number, petitioners linked through the register (repeat
    detection), the visit batch, the timeline entry and the first limit from the day received."""
    petition = Petition(
        kind=CaseKind.PETITION,
        status=S.REGISTERED,
        opened_at=timezone.now(),
        handling_unit=handling_unit,
        repeat_of=repeat_of,
        # A visit by that many people, or a matter brought by that many petitioners (§20).
        is_collective=max(head_count if fields.get("channel") == "visit" else 0, len(petitioners))
        >= collective_threshold(),
        **fields,
    )
    if petition.petition_kind == PetitionKind.ACCUSATION and petition.complained_unit_id:
        petition.withheld_from_unit_id = petition.complained_unit_id
    allocate_case_number(petition)
    petition.save()
    # Each petitioner's details stay on this petition; the register only links them.
    for position, details in enumerate(petitioners):
        people.add_party(petition, details, PartyRole.PETITIONER, position, entered_by=actor)
    # §20: the representatives a group elected (at most 5), kept on the petition by any channel.
    for position, details in enumerate(representatives, start=len(petitioners)):
        people.add_party(petition, details, PartyRole.REPRESENTATIVE, position, entered_by=actor)
    if fields.get("channel") == "visit":
        _add_batch(petition, visited_on or petition.received_on, head_count, representatives)
    described = described or _("Petition registered")
    record(petition, actor, "register", described, after={"status": petition.status})
    # 信访工作条例 §22: register, then forward, assign or handle within 15 days.
    # §23 ¶2: a competent body that received it directly owes the written notice instead.
    deadlines.open_deadline(petition, routing.receipt_rule(handling_unit), petition.received_on)
    return petition


def register_public_petition(*, unit, petitioner, sender, **fields) -> Petition:
    """A petition submitted online by the petitioner (信访工作条例 §18, §21; the public channel, app
    ``public``): no user acts. The same intake as a registration by staff, received today by
    ``unit`` (the petition office or governance centre competent for the place), whose members are
    told at once. An accusation is not taken online (it must be routed past the accused unit, §30)."""
    if fields.get("petition_kind") == PetitionKind.ACCUSATION:
        raise TransitionError(_("Accusations are not taken online; bring them to the petition office."))
    fields = {"channel": "online", "received_on": timezone.localdate(), **fields}
    with transaction.atomic():
        petition = _store_petition(
            None,
            unit,
            [petitioner],
            (),
            1,
            None,
            None,
            fields,
            _("Petition registered from an online submission"),
        )
        handoffs.hand_off(
            petition, None, action="register", title=_("New petition from the public"),
            units=[unit], sender_unit=sender,
        )  # fmt: skip
    return petition


def competent_unit_above(accused: Unit) -> Unit:
    """Where an accusation against ``accused`` goes when ``accused`` registers it (信访工作条例 §30):
    the petition bureau, else the governance centre, of the nearest region above the accused unit's;
    above the highest region the portal holds units for (a county's own bureau accused, and no city
    units), the other of the two in the same region. Never the accused unit."""
    unit = body_above(accused)
    if unit is None:
        raise TransitionError(
            _(
                "No unit above yours can take this accusation (Regulations on Letters and Visits, Art. 30); pass it on on paper."
            )
        )
    return unit


def passed_up_message(petition) -> str:
    return _(
        "This accusation concerns %(accused)s, the unit that registered it. Under the Regulations on Letters and Visits, "
        "Art. 30, it was passed to %(unit)s at registration and is withheld from %(accused)s."
    ) % {"accused": petition.withheld_from_unit, "unit": petition.handling_unit}


def _add_batch(petition, visited_on, head_count, representatives):
    batch = VisitBatch.objects.create(petition=petition, visited_on=visited_on, head_count=head_count)
    if representatives:
        # The batch links the representatives' register identities (their details are not kept here).
        batch.representatives.set([people.find_or_create_identity(r)[0] for r in representatives])
    if head_count >= collective_threshold() and not petition.is_collective:
        Petition.objects.filter(pk=petition.pk).update(is_collective=True)
    return batch


def add_visit(petition_id, actor, *, visited_on, head_count, representatives=()):
    """A new visit on an open petition adds a batch instead of a new petition."""
    if head_count < 1:
        raise TransitionError(_("A visit needs a head-count of at least 1."))
    if len(representatives) > MAX_REPRESENTATIVES:
        raise TransitionError(_("A group elects at most 5 representatives."))
    return perform(
        TRANSITIONS["add_visit"], Petition, petition_id, actor,
        lambda p: _add_batch(p, visited_on, head_count, representatives),
        details={"head_count": head_count},
    )  # fmt: skip


def accept(petition_id, actor, *, route=Route.OPINION):
    """Accept with a written notice (§23, ≤15 days); a claim on route (6) starts the 60 days (§34)."""

    def apply(p):
        routing.meet_receipt_limits(p)
        p.route = route
        p.accepted_on = timezone.localdate()
        if p.petition_kind == PetitionKind.CLAIM and route == Route.OPINION:
            deadlines.open_deadline(p, "petition_handle", timezone.localdate())

    return perform(TRANSITIONS["accept"], Petition, petition_id, actor, apply, details={"route": route})


def not_accept(petition_id, actor, *, reason):
    if not reason.strip():
        raise TransitionError(_("Say which organ the petitioner should go to."))

    def apply(p):
        routing.meet_receipt_limits(p)
        p.closed_at = timezone.now()

    return perform(TRANSITIONS["not_accept"], Petition, petition_id, actor, apply, details={"reason": reason})


def divert(petition_id, actor, *, route):
    """§31 routes (1)-(4) leave the petition track; the route is recorded."""
    if route not in (Route.LEGAL, Route.ARBITRATION, Route.PARTY_APPEAL, Route.ADMINISTRATIVE):
        raise TransitionError(_("Choose a legal procedure to divert to."))

    def apply(p):
        p.route = route
        routing.end_not_applicable(p)  # never "met on time" (statistics: 按期办结)
        p.closed_at = timezone.now()

    return perform(TRANSITIONS["divert"], Petition, petition_id, actor, apply, details={"route": route})


def evaluate(petition_id, actor, *, value, given_on, way):
    def apply(p):
        return Evaluation.objects.create(petition=p, value=value, given_on=given_on, way=way)

    if actor is None:  # the petitioner's own evaluation, online (app public)
        return perform_for_party(
            TRANSITIONS["evaluate"], Petition, petition_id, apply, details={"value": value}
        )
    return perform(TRANSITIONS["evaluate"], Petition, petition_id, actor, apply, details={"value": value})
