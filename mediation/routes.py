"""多元化解: a dispute sent to another channel and back, and joint mediation (联合调解).

- ``route``: the handling side sends the dispute, with the reason, to an industry or professional
  mediation committee (行业性专业性调委会), a court for pre-litigation mediation (诉前委派调解, with the
  court's case number), an administrative department (行政调解) or arbitration. A receiving unit with
  an account is granted the case (交办: accounts.scoping.grant_case_to_unit, the one scoping rule,
  no second one) and told at once (cases.handoffs); its mediation period is not the committee's own:
  the committee's period is cancelled and the route's limit opens (``dispute_route``; 15 days for a
  labour committee, 劳动争议调解仲裁法 §14).
- ``route_result``: the receiving unit (or, for a body outside the portal, the sending side) records
  the result — mediated, not mediated, ended otherwise — which returns the dispute to the unit that
  handles it (``route_returned``), told at once; the follow-up period opens.
- ``joint_mediation``: several units and mediators (lawyers and experts named beside them) mediate
  together; every named unit and every named mediator's unit is granted the case, so all of them see
  it and record its sessions (the ``record_session`` step, whose mediators are those who may see it).

Each step is declared once here and listed in mediation.workflow.TRANSITIONS.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import UnitKind
from accounts.scoping import grant_case_to_unit
from cases import deadlines
from cases.transitions import TransitionError, perform, step
from mediation.models import (
    Dispute,
    DisputeRoute,
    DisputeStatus,
    JointMediation,
    JointParticipant,
    RouteChannel,
    RouteField,
)
from mediation.people import may_arrange, may_correct, never_to_the_withheld
from mediation.route_forms import JointMediationForm, RouteForm, RouteResultForm

S = DisputeStatus
M, SUP, H = roles.MEDIATOR, roles.SUPERVISOR, roles.HANDLER
ROUTABLE = frozenset({S.ACCEPTED, S.ASSIGNED, S.MEDIATING, S.ROUTE_RETURNED})
# The channels whose receiving body must be a unit of the portal (a committee, a department).
NEEDS_UNIT = frozenset({RouteChannel.COMMITTEE, RouteChannel.ADMINISTRATIVE})
# The kinds of unit each channel may name: a committee mediates as a committee, an administrative
# mediation is a department's or a township government's.
UNIT_KINDS = {
    RouteChannel.COMMITTEE: {UnitKind.MEDIATION_COMMITTEE},
    RouteChannel.ADMINISTRATIVE: {UnitKind.DEPARTMENT, UnitKind.TOWNSHIP_GOVERNMENT},
}
ROUTE_DEADLINES = ("dispute_route", "dispute_route_labour")

# The keys these steps write on the timeline, with their labels (registered in MediationConfig.ready);
# the values of "channel" and "route_outcome" are codes shown by their labels.
TIMELINE_LABELS = {
    "channel": _l("Route to"),
    "to": _l("Receiving body"),
    "court_case_number": _l("Court case number"),
    "route_outcome": _l("Result"),
    "result": _l("What came back"),
    "result_on": _l("Date of the result"),
    "units": _l("Units mediating together"),
    "participants": _l("Lawyers and experts"),
    "ruling": _l("Court's ruling"),
}


def records_result(case, user) -> bool:
    """The receiving unit records the result; for a body outside the portal, those who answer for
    the case's records (mediation.people.may_correct)."""
    if case.route_unit_id:
        return user.unit_id == case.route_unit_id
    return may_correct(case, user)


def receiving_units(case_ids: list[int]) -> dict[int, int]:
    """The unit that must act within a route's limit (``ROUTE_DEADLINES``): the receiving unit of a
    dispute still out on its route, not the committee that handles it (cases.deadline_owners, read by
    supervision's reminders). A body outside the portal has no unit: the sending side answers. One query."""
    return dict(
        Dispute.objects.filter(pk__in=case_ids, status=S.ROUTED, route_unit__isnull=False).values_list(
            "pk", "route_unit_id"
        )
    )


def to_receiving_unit(d, actor):
    return ([d.route_unit] if d.route_unit_id else []), []


def back_to_sender(d, actor):
    units = [d.handling_unit] if d.handling_unit_id and d.handling_unit_id != actor.unit_id else []
    return units, [d.handler] if d.handler_id else []


def to_joint(d, actor):
    joint = d.joint_mediations.order_by("-pk").prefetch_related("units", "mediators").first()
    return (list(joint.units.all()), list(joint.mediators.all())) if joint else ([], [])


ROUTE = step(
    "route", _l("route to another channel"), ROUTABLE, S.ROUTED, {M, SUP}, RouteForm,
    lambda pk, u, d: route(pk, u, **d), form_needs_case=True, guard=may_arrange, hands_to=to_receiving_unit,
)  # fmt: skip
ROUTE_RESULT = step(
    "route_result", _l("record the result of the route"), {S.ROUTED}, S.ROUTE_RETURNED, {M, SUP, H},
    RouteResultForm, lambda pk, u, d: route_result(pk, u, **d), guard=records_result, hands_to=back_to_sender,
)  # fmt: skip
JOINT = step(
    "joint_mediation", _l("mediate jointly"), {S.MEDIATING}, None, {M, SUP}, JointMediationForm,
    lambda pk, u, d: joint_mediation(pk, u, **d), form_needs_case=True, guard=may_arrange, hands_to=to_joint,
)  # fmt: skip


def route(dispute_id, actor, *, channel, reason, unit=None, body_name="", field="", court_case_number=""):
    body_name, court_case_number = body_name.strip(), court_case_number.strip()
    if not reason.strip():
        raise TransitionError(_("Give the reason for the route."), field="reason")
    if channel not in RouteChannel.values:
        raise TransitionError(_("Choose where the dispute goes."), field="channel")
    if channel in NEEDS_UNIT and unit is None:
        raise TransitionError(
            _("Choose the committee or department that receives the dispute."), field="unit"
        )
    if unit is None and not body_name:
        raise TransitionError(_("Choose the receiving unit or name the body."), field="body_name")
    if channel == RouteChannel.COURT and not court_case_number:
        raise TransitionError(_("Record the court's case number."), field="court_case_number")
    if field and field not in RouteField.values:
        raise TransitionError(_("Choose the field of the committee."), field="field")
    if unit is not None and (not unit.is_active or unit.pk == actor.unit_id):
        raise TransitionError(_("Choose another unit than your own."), field="unit")
    if unit is not None and channel in UNIT_KINDS and unit.kind not in UNIT_KINDS[channel]:
        raise TransitionError(_("This unit does not mediate on that channel; choose another."), field="unit")
    today = timezone.localdate()

    def apply(d):
        never_to_the_withheld(d, unit)
        if unit is not None and (
            unit.pk == d.handling_unit_id or not unit.region_id.startswith(d.region_id[:6])
        ):
            raise TransitionError(_("Choose another unit of the county."), field="unit")
        DisputeRoute.objects.create(
            dispute=d, channel=channel, field=field, unit=unit, body_name=unit.name if unit else body_name,
            court_case_number=court_case_number, reason=reason, routed_on=today, routed_by=actor,
        )  # fmt: skip
        d.route_channel, d.route_unit, d.route_outcome, d.route_days = channel, unit, "", None
        if unit is not None:
            grant_case_to_unit(d, unit)
        # The committee's own mediation period ends here; the route has a limit of its own.
        for code in ("mediation_period", "follow_up"):  # follow-up: routed again after a result
            period = deadlines.open_deadline_of(d, code)
            if period is not None:
                deadlines.cancel_deadline(period)
        code = "dispute_route_labour" if field == RouteField.LABOUR else "dispute_route"
        deadlines.open_deadline(d, code, today)

    details = {"channel": channel, "to": unit.name if unit else body_name, "reason": reason}
    if court_case_number:
        details["court_case_number"] = court_case_number
    return perform(ROUTE, Dispute, dispute_id, actor, apply, details=details)


def route_result(dispute_id, actor, *, outcome, result, result_on, court_case_number=""):
    """The result comes back: recorded on the route, kept on the dispute for the statistics (how it
    ended, after how many days), and the dispute returns to the unit that handles it."""
    if not result.strip():
        raise TransitionError(_("Record what came back."), field="result")
    if result_on > timezone.localdate():
        raise TransitionError(_("The result cannot be dated in the future."), field="result_on")

    def apply(d):
        current = d.routes.filter(outcome="").order_by("-pk").first()
        if current is None:
            raise TransitionError(_("This dispute is not out on a route."))
        if result_on < current.routed_on:
            raise TransitionError(_("The result cannot be dated before the route."), field="result_on")
        current.outcome, current.result, current.result_on, current.result_by = (
            outcome,
            result,
            result_on,
            actor,
        )
        current.days = (result_on - current.routed_on).days
        if court_case_number.strip():
            current.court_case_number = court_case_number.strip()
        current.save()
        d.route_outcome, d.route_days = outcome, current.days
        for code in ROUTE_DEADLINES:
            deadlines.close_open_deadline(d, code)
        deadlines.open_deadline(d, "follow_up", result_on)

    return perform(
        ROUTE_RESULT, Dispute, dispute_id, actor, apply,
        details={"route_outcome": outcome, "result": result, "result_on": _shown(result_on)},
    )  # fmt: skip


def joint_mediation(dispute_id, actor, *, units, reason, mediators=(), participants=()):
    """联合调解: ``units`` and ``mediators`` of the county mediate with the handling unit;
    ``participants`` are (name, capacity, organisation) of lawyers, experts and others."""
    if not units:
        raise TransitionError(_("Name at least one other unit."), field="units")
    if not reason.strip():
        raise TransitionError(_("Give the reason for the joint mediation."), field="reason")

    def apply(d):
        granted = {u.pk: u for u in units}
        granted.update({m.unit_id: m.unit for m in mediators if m.unit_id})
        never_to_the_withheld(d, *granted)
        for unit in granted.values():
            if not unit.is_active or not unit.region_id.startswith(d.region_id[:6]):
                raise TransitionError(_("Choose another unit of the county."), field="units")
        joint = JointMediation.objects.create(
            dispute=d, reason=reason, started_on=timezone.localdate(), started_by=actor
        )
        joint.units.set(units)
        joint.mediators.set(mediators)
        JointParticipant.objects.bulk_create(
            JointParticipant(joint=joint, name=n, capacity=c, organisation=o) for n, c, o in participants
        )
        for unit in granted.values():
            grant_case_to_unit(d, unit)
        return joint

    details = {
        "units": "、".join(u.name for u in units),
        "mediators": "、".join(str(m) for m in mediators),
        "participants": "、".join(f"{n}（{o}）" if o else n for n, _c, o in participants),
        "reason": reason,
    }
    return perform(
        JOINT, Dispute, dispute_id, actor, apply, description=_("Joint mediation started"), details=details
    )


def _shown(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
