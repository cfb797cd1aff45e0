"""督办单: issued by a supervisor for a case in their jurisdiction, answered by the target unit
(信访工作条例 §39-40: 督办, and a written reply on whether the proposal was adopted).

Direction (§39, §40): an order goes down or sideways, from a 信访部门 or 综治中心 to a unit at its
own or a lower level inside its own region: never up (a village to a county department) and never
to another place. It grants nothing: the target must already see the case under the one rule
(accounts.scoping_pairs.units_seeing), so an order can neither hand a case to a unit outside the case's
reach nor to the unit it is withheld from (§30). Issuing tells the target unit at once, a reply
tells the issuer and the issuing unit (cases.handoffs.hand_off, in the same transaction).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.compiled import KeptQuery
from accounts.models import Unit, UnitKind
from accounts.scoping import VIEW_CASE, visible_cases
from accounts.scoping_pairs import units_seeing
from cases.calendar import add_working_days
from cases.handoffs import hand_off
from cases.models import Case, CaseGroupObjectPermission
from cases.timeline import record
from cases.transitions import TransitionError
from supervision.models import SupervisionOrder, SupervisionState
from supervision.numbering import number_orders

# 信访工作条例 §39: 信访部门 supervise (督办); the 综治中心 does so for the disputes it coordinates.
ISSUING_KINDS = frozenset({UnitKind.PETITION_OFFICE, UnitKind.GOVERNANCE_CENTRE})


def may_direct(issuing: Unit, target: Unit) -> bool:
    """Whether ``issuing`` may address an order to ``target`` (§39, §40): a 信访部门 or 综治中心,
    to another active unit whose region lies in its own region or below (down or sideways).
    A region's code starts with the prefix of every region above it, so this is one prefix test."""
    return (
        issuing is not None
        and issuing.kind in ISSUING_KINDS
        and target.is_active
        and target.pk != issuing.pk
        and target.region_id.startswith(issuing.region.prefix)
    )


def refusal(issuing: Unit | None, target: Unit, case: Case) -> str | None:
    """Why an order from ``issuing`` to ``target`` about ``case`` is refused, or None. Two queries."""
    if issuing is None or issuing.kind not in ISSUING_KINDS:
        return _(
            "Only a petition bureau or a social governance centre issues supervision orders "
            "(Regulations on Letters and Visits, Art. 39)."
        )
    if case.withheld_from_unit_id == target.pk:
        return _(
            "This case is withheld from that unit (Regulations on Letters and Visits, Art. 30); "
            "choose another unit."
        )
    if not may_direct(issuing, target):
        return _(
            "A supervision order goes to a unit at your own level or below, in your jurisdiction "
            "(Regulations on Letters and Visits, Art. 39, 40); %(unit)s is not one."
        ) % {"unit": target}
    if (target.pk, case.pk) not in units_seeing([(target, case.pk)]):
        return _(
            "%(unit)s cannot see this case, and a supervision order grants no access: forward or assign "
            "the case to it first, or address the unit that handles it."
        ) % {"unit": target}
    return None


def order_targets(issuer, case: Case) -> list[Unit]:
    """The units ``issuer`` may address an order about ``case`` to: ``may_direct`` from the issuer's
    unit and already seeing the case. Candidates are narrowed in SQL to units that could see it
    (a covering unit at or above the case's region, the handling unit, a unit granted the case),
    then the one rule decides (units_seeing): two or three queries, whatever the county's size."""
    issuing = issuer.unit if issuer.unit_id else None
    if issuing is None or issuing.kind not in ISSUING_KINDS:
        return []
    granted = CaseGroupObjectPermission.objects.filter(
        content_object_id=case.pk, permission__codename=VIEW_CASE
    ).values("group_id")
    reachable = Q(covers_region=True, region_id__in=case.region.codes_up())
    reachable |= Q(pk=case.handling_unit_id or 0) | Q(group_id__in=granted)
    candidates = [
        unit
        for unit in Unit.objects.filter(
            reachable, region__code__startswith=issuing.region.prefix, is_active=True
        )
        .exclude(pk=issuing.pk)
        .exclude(pk=case.withheld_from_unit_id or 0)
        .select_related("region")
        .order_by("region_id", "name")
        if may_direct(issuing, unit)
    ]
    seeing = units_seeing([(unit, case.pk) for unit in candidates])
    return [unit for unit in candidates if (unit.pk, case.pk) in seeing]


def issue_order(issuer, case_id, *, target_unit, required_action, target_date) -> SupervisionOrder:
    if not (issuer.is_superuser or roles.has_role(issuer, roles.SUPERVISOR)):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not required_action.strip():
        raise TransitionError(_("Say what the unit must do."))
    if target_date < timezone.localdate():
        raise TransitionError(_("The target date cannot be in the past."))
    with transaction.atomic():
        case = (
            visible_cases(issuer, Case.objects.select_for_update(of=("self",)))
            .select_related("region")
            .get(pk=case_id)
        )
        issuing = issuer.unit if issuer.unit_id else None
        reason = refusal(issuing, target_unit, case)
        if reason:
            raise TransitionError(reason)
        order = SupervisionOrder(
            case=case, issuer=issuer, issuing_unit=issuing, target_unit=target_unit,
            required_action=required_action, target_date=target_date,
        )  # fmt: skip
        number_orders([order])
        order.save()
        record(case, issuer, "supervise", _("Supervision order issued to %(unit)s") % {"unit": target_unit})
        hand_off(case, issuer, action="supervise", title=_("Supervision order"), units=[target_unit])
    return order


def orders_for(user):
    """Orders issued by the user's unit or addressed to it."""
    if not user.unit_id:
        return SupervisionOrder.objects.none()
    # Only orders about cases the user may see: an order about an accusation addressed to the
    # accused unit by mistake must not show it the case (信访工作条例 §30).
    return SupervisionOrder.objects.filter(
        Q(issuing_unit_id=user.unit_id) | Q(target_unit_id=user.unit_id),
        case_id__in=visible_cases(user, Case.objects.all()).values("pk"),
    )


def orders_on_case(user, case) -> list[SupervisionOrder]:
    """The orders about ``case`` (which the caller has shown the user may see) that the user's unit
    issued or must answer, for the case page: one query."""
    if not user.unit_id:
        return []
    return _ORDERS_ON_CASE(unit_id=user.unit_id, case_id=case.pk)


def _orders_on_case(unit_id, case_id):
    return (
        SupervisionOrder.objects.filter(case_id=case_id)
        .filter(Q(issuing_unit_id=unit_id) | Q(target_unit_id=unit_id))
        .select_related("issuing_unit", "target_unit", "deadline__rule")
        .order_by("-created_at", "-pk")
    )


# Compiled once per thread (accounts.compiled): building and compiling it was half its cost on the page.
_ORDERS_ON_CASE = KeptQuery(_orders_on_case, ("unit_id", "case_id"))


def awaiting_reply(user):
    """Open orders addressed to the user's unit, about cases the user may see (the inbox)."""
    if not user.unit_id:
        return SupervisionOrder.objects.none()
    return SupervisionOrder.objects.filter(
        target_unit_id=user.unit_id,
        state=SupervisionState.OPEN,
        case_id__in=visible_cases(user, Case.objects.all()).values("pk"),
    )


def reply_order(user, order_id, text: str) -> SupervisionOrder:
    if not text.strip():
        raise TransitionError(_("Write the reply."))
    with transaction.atomic():
        order = (
            SupervisionOrder.objects.select_for_update(of=("self",))
            .select_related("issuer", "issuing_unit")
            .get(pk=order_id)
        )
        if order.target_unit_id != user.unit_id and not user.is_superuser:
            raise PermissionDenied(_("Only the unit the order is addressed to can reply."))
        if not visible_cases(user, Case.objects.filter(pk=order.case_id)).exists():
            raise PermissionDenied(_("Only the unit the order is addressed to can reply."))
        if order.state != SupervisionState.OPEN:
            raise TransitionError(_("This order has already been answered."))
        order.reply, order.replied_by, order.replied_at = text, user, timezone.now()
        order.state = SupervisionState.REPLIED
        order.save()
        record(
            order.case,
            user,
            "supervise_reply",
            _("Reply to the supervision order: %(text)s") % {"text": text[:200]},
        )
        # §40: the issuer learns whether and how the order was carried out.
        hand_off(
            order.case, user, action="supervise_reply", title=_("Supervision order answered"),
            units=[order.issuing_unit], users=[order.issuer],
            link=reverse("supervision:reply", args=[order.pk]),  # the page that shows the answer
        )  # fmt: skip
    return order


def default_target_date() -> datetime.date:
    return add_working_days(timezone.localdate(), 3).date
