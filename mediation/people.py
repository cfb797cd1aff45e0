"""Who mediates a dispute and who may correct its records: the mediators a session may name and
the people entitled to a correction. Shared by the forms (choices, buttons) and the workflow
(the refusal), so a form, an import and an API answer the same."""

from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.scoping_pairs import visible_pairs
from cases.transitions import TransitionError


def _mediators_seeing(case, only=None) -> list:
    """Active mediators of the county who may see the case, by unit region and id; ``only``: of
    these users' ids alone."""
    candidates = User.objects.filter(
        is_active=True, groups__name=roles.MEDIATOR, unit__region__code__startswith=case.region_id[:6]
    )
    if only is not None:
        candidates = candidates.filter(pk__in=only)
    candidates = list(candidates.select_related("unit").order_by("unit__region__code", "pk").distinct())
    seen = visible_pairs([(user, case.pk) for user in candidates])
    return [user for user in candidates if (user.pk, case.pk) in seen]


def eligible_mediators(case):
    """Active mediators of the county who may see the case (the units that handle it, were handed
    it or cover its place): the people a session record may name as having mediated. The forms
    offer these; the steps check only the ones named (``eligible_among``)."""
    return _mediators_seeing(case)


def eligible_among(case, users) -> set[int]:
    """The ids of ``users`` who are ``eligible_mediators`` of the case, read again under the step's
    lock: the same rule asked about the few people a form named, not every mediator of the county
    (the form already loaded those to offer them; twice was ~110 ms of a schedule POST)."""
    ids = {user.pk for user in users}
    if not ids:
        return set()
    return {user.pk for user in _mediators_seeing(case, only=ids)}


def may_correct(case, user) -> bool:
    """A saved record is corrected by the mediator handling the case (while nobody is named, the
    mediators of the handling unit) or by a supervisor of the handling unit or of a unit covering
    the case's place; nobody else, whatever else they may see or do."""
    if user.is_superuser:
        return True
    if roles.has_role(user, roles.MEDIATOR):
        if case.handler_id == user.pk:
            return True
        if case.handler_id is None and user.unit_id and user.unit_id == case.handling_unit_id:
            return True
    if roles.has_role(user, roles.SUPERVISOR) and user.unit_id:
        if user.unit_id == case.handling_unit_id:
            return True
        unit = user.unit
        return bool(unit.covers_region and case.region_id.startswith(unit.region.prefix))
    return False


def may_arrange(case, user) -> bool:
    """Who arranges, moves and cancels a case's sessions and records the parties' notice: the people
    who answer for its records (``may_correct``: the handling mediator, or the handling unit's
    mediators while none is named, or a supervisor of the handling unit or of the place)."""
    return may_correct(case, user)


def not_the_returning_unit(case, user) -> bool:
    """Once a route's result is back (``route_returned``), what follows — follow-up, mediating again —
    is the handling side's: the unit that received the route keeps seeing the case, not acting on it."""
    return case.status != "route_returned" or not user.unit_id or user.unit_id != case.route_unit_id


def never_to_the_withheld(case, *units) -> None:
    """A case withheld from a unit (信访工作条例 §30) is never handed to it or to one of its members:
    they could not open it, and every reminder about it would name it to them."""
    ids = {getattr(u, "pk", u) for u in units if u is not None}
    if case.withheld_from_unit_id and case.withheld_from_unit_id in ids:
        raise TransitionError(
            _(
                "This case is withheld from that unit (Regulations on Letters and Visits, Art. 30); "
                "choose another unit."
            )
        )
