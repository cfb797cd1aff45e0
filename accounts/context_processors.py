from accounts.roles import ROLE_LABELS, roles_of
from accounts.scoping import _unit


def current_user(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = sorted(roles_of(user))
    return {
        "current_unit": _unit(user),
        "current_roles": [ROLE_LABELS[r] for r in roles],
        "can_supervise": user.is_superuser
        or bool({"supervisor", "statistician", "administrator"} & set(roles)),
        "can_report": user.is_superuser or bool({"supervisor", "statistician"} & set(roles)),
        # The case pages offer "issue a 督办单" (supervision.orders checks the unit and direction).
        "can_issue_orders": user.is_superuser or "supervisor" in roles,
        # The session calendar (mediation.calendar) is for mediators and supervisors.
        "can_schedule": user.is_superuser or bool({"mediator", "supervisor"} & set(roles)),
        # The grids and their inspection ledger (grids app): grid workers on the bar, supervisors in
        # the supervision menu.
        "can_inspect": "grid_worker" in roles,
    }
