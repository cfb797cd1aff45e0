"""Passing a petition between units (信访工作条例 §§19-23): 转送 and 交办 with its 办结报告, the
receiving unit's objection and the sending office's check, a skip-level petition referred down.

Each step is declared here once (the TRANSITIONS table in petitions.workflow lists these steps) with
its guard — the viewer's relation to the case the step needs — so a button shows only to whoever may
take it now, and its hand-off — who must act next, told in the step's transaction.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import UnitKind
from accounts.scoping import grant_case_to_unit, revoke_case_from_unit
from cases import deadlines
from cases.calendar import working_days_between
from cases.handoffs import hand_off
from cases.transitions import TransitionError, perform, step
from petitions.forms import ReasonForm, UnitForm
from petitions.models import Petition, PetitionDocument, PetitionStatus
from petitions.routing_forms import AssignForm, ReferDownForm, ReportForm, SenderCheckForm, lower_units

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
# §22 binds the 信访部门 (a petition bureau; a governance centre hosts it in a town or village);
# any other body receiving a petition directly owes the §23 ¶2 written notice instead.
PETITION_DEPARTMENTS = frozenset({UnitKind.PETITION_OFFICE, UnitKind.GOVERNANCE_CENTRE})
# The limits a routing or a decision on receipt meets: §22 route, §23 notice, §23 ¶3 objection window.
RECEIPT_RULES = ("petition_route", "petition_notice", "petition_objection")
# 交办 result report (§22 ¶1(三)): the date is set by the assigning office.
REPORT_RULE = "petition_assigned_report"
# §23 ¶3: an objection within 5 working days of receipt.
OBJECTION_WORKING_DAYS = 5


def receipt_rule(unit) -> str:
    """The limit a registration opens: §22 (route within 15 days) for a 信访部门, §23 ¶2 (written
    notice within 15 days) for a competent body that received the petition directly."""
    if unit is None or unit.kind in PETITION_DEPARTMENTS:
        return "petition_route"
    return "petition_notice"


# Guards: guard(case, user) -> bool (cases.transitions.Step.guard; superusers pass).
def holds(case, user) -> bool:
    """The unit that holds the matter now: the receiving unit once it is forwarded or assigned,
    else the unit that registered it (or took it back). A supervisor of another unit does not."""
    return case.handling_unit_id is None or user.unit_id == case.handling_unit_id


def receives(case, user) -> bool:
    """The unit the matter was forwarded or assigned to (§23 ¶3)."""
    return case.target_unit_id is not None and user.unit_id == case.target_unit_id


def sent(case, user) -> bool:
    """The office that forwarded or assigned the matter (it checks an objection, §23 ¶3)."""
    return case.routed_by_id is not None and user.unit_id == case.routed_by_id


def owes_report(case, user) -> bool:
    """The assigned unit, while the 办结报告 of an assigned matter is outstanding (§22 ¶1(三))."""
    return receives(case, user) and case.report_due_on is not None and case.reported_on is None


def may_refer_down(case, user) -> bool:
    """A skip-level petition, on the page of the unit that holds it (§19)."""
    return case.is_skip_level and holds(case, user)


# Hand-offs: hands_to(case, actor) -> (units, users).
def to_target_unit(p, actor):
    """转送/交办: the receiving unit must act next."""
    return [p.target_unit], []


def to_sender(p, actor):
    """An objection or a completion report: the sending office must act next."""
    return [p.routed_by], []


FORWARD = step(
    "forward", _l("forward"), {S.REGISTERED}, S.FORWARDED, {CLERK, SUP}, UnitForm,
    lambda pk, u, d: forward(pk, u, d["unit"]), form_needs_case=True, hands_to=to_target_unit, guard=holds,
)  # fmt: skip
ASSIGN = step(
    "assign", _l("assign to a unit"), {S.REGISTERED}, S.ASSIGNED, {CLERK, SUP}, AssignForm,
    lambda pk, u, d: assign(pk, u, d["unit"], report_due_on=d["report_due_on"]),
    form_needs_case=True, hands_to=to_target_unit, guard=holds,
)  # fmt: skip
REFER_DOWN = step(
    "refer_down", _l("refer down to the competent level"), {S.REGISTERED}, S.FORWARDED, {CLERK, SUP},
    ReferDownForm, lambda pk, u, d: refer_down(pk, u, d["unit"], notice=d["notice"]),
    form_needs_case=True, hands_to=to_target_unit, guard=may_refer_down,
    documents=(PetitionDocument.REFERRAL,),
)  # fmt: skip
OBJECT = step(
    "object", _l("object: outside our remit"), {S.FORWARDED, S.ASSIGNED}, S.OBJECTED, {HANDLER, CLERK, SUP},
    ReasonForm, lambda pk, u, d: object_to_routing(pk, u, d["reason"]), hands_to=to_sender, guard=receives,
)  # fmt: skip
AGREE = step(
    "agree_objection", _l("agree to the objection and take the matter back"), {S.OBJECTED}, S.REGISTERED,
    {CLERK, SUP}, SenderCheckForm, lambda pk, u, d: agree_objection(pk, u, d["reason"]), guard=sent,
    confirm=_l("The matter returns to your office and the receiving unit no longer sees it. Continue?"),
)  # fmt: skip
DISAGREE = step(
    "disagree_objection", _l("reject the objection: the receiving unit keeps the matter"), {S.OBJECTED}, None,
    {CLERK, SUP}, ReasonForm, lambda pk, u, d: disagree_objection(pk, u, d["reason"]),
    hands_to=to_target_unit, guard=sent,
)  # fmt: skip
REPORT = step(
    "report_result", _l("file the completion report"),
    set(S.values) - {S.REGISTERED, S.FORWARDED, S.OBJECTED}, None, {HANDLER, CLERK, SUP}, ReportForm,
    lambda pk, u, d: report_result(pk, u, d["text"]), hands_to=to_sender, guard=owes_report,
    documents=(PetitionDocument.REPORT,),
)  # fmt: skip


def _route_to(transition, petition_id, actor, unit, *, report_due_on=None, check=None, details=None):
    def apply(p):
        if p.withheld_from_unit_id and unit.pk == p.withheld_from_unit_id:
            # 信访工作条例 §30: never pass an accusation to the accused.
            raise TransitionError(_("An accusation cannot be forwarded to the unit it accuses."))
        if unit.pk == p.handling_unit_id:
            raise TransitionError(_("The matter is already with this unit."))
        if check:
            check(p)
        p.routed_by = p.handling_unit or actor.unit
        p.target_unit = p.handling_unit = unit
        p.routed_on = timezone.localdate()
        p.objection_reason, p.report_due_on, p.report_text, p.reported_on = "", report_due_on, "", None
        grant_case_to_unit(p, unit)
        # Routing is the registering body's answer: §22, or §23 ¶1 (the petitioner is told where it went).
        for code in RECEIPT_RULES:
            deadlines.close_open_deadline(p, code)
        # §23 ¶3: the receiving organ notifies within 15 days, or objects within 5 working days.
        deadlines.open_deadline(p, "petition_notice", p.routed_on)
        deadlines.open_deadline(p, "petition_objection", p.routed_on)
        if report_due_on:
            # §22 ¶1(三): the result and a 办结报告 by the date the assigning office set.
            deadlines.open_deadline(p, REPORT_RULE, p.routed_on, due_date=report_due_on)

    return perform(
        transition, Petition, petition_id, actor, apply, details={"unit": str(unit), **(details or {})}
    )


def forward(petition_id, actor, unit):
    """转送 (§22 ¶1(一)(二))."""
    return _route_to(FORWARD, petition_id, actor, unit)


def assign(petition_id, actor, unit, *, report_due_on):
    """交办 (§22 ¶1(三)): with the date by which the receiving unit reports the result."""
    if report_due_on is None or report_due_on <= timezone.localdate():
        raise TransitionError(_("Set a reporting date after today."))
    return _route_to(
        ASSIGN, petition_id, actor, unit, report_due_on=report_due_on,
        details={"report_due_on": report_due_on.isoformat()},
    )  # fmt: skip


def refer_down(petition_id, actor, unit, *, notice):
    """A skip-level petition (越级, §19) goes down to the competent level, and the petitioner is told
    where it went (§23 ¶1). The lower unit then accepts or objects as for any 转送."""
    if not notice.strip():
        raise TransitionError(_("Write the notice to the petitioner."))

    def check(p):
        if not p.is_skip_level:
            raise TransitionError(_("Only a skip-level petition is referred down."))
        if not lower_units(p, p.handling_unit).filter(pk=unit.pk).exists():
            raise TransitionError(_("Choose a unit of a lower level that covers the place concerned."))

    return _route_to(REFER_DOWN, petition_id, actor, unit, check=check, details={"notice": notice})


def object_to_routing(petition_id, actor, reason: str):
    """§23 ¶3: a receiving unit outside its remit objects within 5 working days, with reasons; the
    matter goes back only once the sending office has checked and agreed."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for the objection."))

    def apply(p):
        if working_days_between(p.routed_on, timezone.localdate()) > OBJECTION_WORKING_DAYS:
            raise TransitionError(_("The 5 working days for an objection have passed."))
        if p.objection_reason:
            raise TransitionError(_("The sending office has already rejected an objection to this matter."))
        p.objection_reason = reason
        deadlines.close_open_deadline(p, "petition_objection")
        if p.routed_by_id:
            grant_case_to_unit(p, p.routed_by)  # the office that checks must be able to open it

    return perform(OBJECT, Petition, petition_id, actor, apply, details={"reason": reason})


def agree_objection(petition_id, actor, reason=""):
    """The sending office agrees (经核实同意): the matter and its grant return to it, and it routes
    the matter again (§22: within 15 days of its return)."""

    def apply(p):
        receiver = p.target_unit
        # Told while it may still open the case: its access ends below.
        hand_off(p, actor, action=AGREE.name, title=str(AGREE.label), units=[receiver])
        revoke_case_from_unit(p, receiver)
        p.handling_unit = p.routed_by or actor.unit
        p.target_unit, p.report_due_on = None, None
        for code in ("petition_notice", "petition_objection", REPORT_RULE):
            if d := deadlines.open_deadline_of(p, code):
                deadlines.cancel_deadline(d)
        deadlines.open_deadline(p, receipt_rule(p.handling_unit), timezone.localdate())

    return perform(
        AGREE, Petition, petition_id, actor, apply, details={"reason": reason},
        watch=("handling_unit", "target_unit"),
    )  # fmt: skip


def disagree_objection(petition_id, actor, reason: str):
    """The sending office does not agree: the receiving unit keeps the matter, told why; its
    §23 ¶3 notice limit runs on from its receipt."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for keeping the matter with the receiving unit."))

    def apply(p):
        p.status = S.ASSIGNED if p.report_due_on else S.FORWARDED

    return perform(DISAGREE, Petition, petition_id, actor, apply, details={"reason": reason})


def report_result(petition_id, actor, text: str):
    """§22 ¶1(三): the assigned unit reports the result (办结报告) to the assigning office."""
    if not text.strip():
        raise TransitionError(_("Write the completion report."))

    def apply(p):
        p.report_text, p.reported_on = text, timezone.localdate()
        deadlines.close_open_deadline(p, REPORT_RULE)

    return perform(REPORT, Petition, petition_id, actor, apply)


def meet_receipt_limits(p) -> None:
    """Accepting, or telling the petitioner to go elsewhere, is the written notice (§23). A matter
    decided where it was received, without forwarding (§23 ¶2), that has no notice limit yet gets
    one counted from its receipt, met now, so it counts in 按期受理率 like any other."""
    if p.status == S.REGISTERED and deadlines.open_deadline_of(p, "petition_notice") is None:
        deadlines.open_deadline(p, "petition_notice", p.received_on)
    for code in RECEIPT_RULES:
        deadlines.close_open_deadline(p, code)


def end_not_applicable(p) -> None:
    """A matter leaving the petition track (diverted, §31) meets its receipt limits (the petitioner
    is told the procedure) and ends its other limits as not applicable — never as met on time; a
    交办 report stays owed to the assigning office."""
    meet_receipt_limits(p)
    for d in p.deadlines.filter(state="open").exclude(rule__code=REPORT_RULE):
        deadlines.cancel_deadline(d)
