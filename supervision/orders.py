"""督办单: issued by a supervisor for a case in their jurisdiction, answered by the target unit
(信访工作条例 §39-40: 督办, and a written reply on whether the proposal was adopted)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.scoping import grant_case_to_unit, visible_cases
from cases.calendar import add_working_days
from cases.models import Case
from cases.timeline import record
from cases.transitions import TransitionError
from supervision.models import SupervisionOrder, SupervisionState


def issue_order(issuer, case_id, *, target_unit, required_action, target_date) -> SupervisionOrder:
    if not (issuer.is_superuser or roles.has_role(issuer, roles.SUPERVISOR)):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not required_action.strip():
        raise TransitionError(_("Say what the unit must do."))
    if target_date < timezone.localdate():
        raise TransitionError(_("The target date cannot be in the past."))
    with transaction.atomic():
        case = visible_cases(issuer, Case.objects.select_for_update()).get(pk=case_id)
        if case.withheld_from_unit_id == target_unit.pk:
            # The order grants the case to its target; the accused unit must never get it (§30).
            raise TransitionError(
                _("This case is withheld from that unit (信访工作条例 §30); choose another unit.")
            )
        order = SupervisionOrder.objects.create(
            case=case, issuer=issuer, issuing_unit=issuer.unit, target_unit=target_unit,
            required_action=required_action, target_date=target_date,
        )  # fmt: skip
        # The target unit must be able to open the case it is asked about.
        grant_case_to_unit(case, target_unit)
        record(case, issuer, "supervise", _("Supervision order issued to %(unit)s") % {"unit": target_unit})
    return order


def orders_for(user):
    """Orders issued by the user's unit or addressed to it."""
    from django.db.models import Q

    if not user.unit_id:
        return SupervisionOrder.objects.none()
    # Only orders about cases the user may see: an order about an accusation addressed to the
    # accused unit by mistake must not show it the case (信访工作条例 §30).
    return SupervisionOrder.objects.filter(
        Q(issuing_unit_id=user.unit_id) | Q(target_unit_id=user.unit_id),
        case_id__in=visible_cases(user, Case.objects.all()).values("pk"),
    )


def reply_order(user, order_id, text: str) -> SupervisionOrder:
    if not text.strip():
        raise TransitionError(_("Write the reply."))
    with transaction.atomic():
        order = SupervisionOrder.objects.select_for_update().get(pk=order_id)
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
    return order


def default_target_date() -> datetime.date:
    return add_working_days(timezone.localdate(), 3).date
