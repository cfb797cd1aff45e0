"""Roles are Django groups with fixed names; a user may hold several.

The group names are stable identifiers (code and tests refer to them); the labels are translated.
"""

from django.utils.translation import gettext_lazy as _

MEDIATOR = "mediator"
GRID_WORKER = "grid_worker"
PETITION_CLERK = "petition_clerk"
HANDLER = "handler"
SUPERVISOR = "supervisor"
STATISTICIAN = "statistician"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    MEDIATOR: _("mediator"),
    GRID_WORKER: _("grid worker"),
    PETITION_CLERK: _("petition clerk"),
    HANDLER: _("handler"),
    SUPERVISOR: _("supervisor"),
    STATISTICIAN: _("statistician"),
    ADMINISTRATOR: _("administrator"),
}
ALL_ROLES = tuple(ROLE_LABELS)


# Model permissions (for the admin site) that come with a role. Case access never comes from
# these: it comes from accounts.scoping.
ROLE_MODEL_PERMISSIONS = {
    ADMINISTRATOR: [
        "accounts.view_region",
        "accounts.add_region",
        "accounts.change_region",
        "accounts.view_unit",
        "accounts.add_unit",
        "accounts.change_unit",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "cases.view_calendaryear",
        "cases.add_calendaryear",
        "cases.change_calendaryear",
        "cases.view_calendarday",
        "cases.add_calendarday",
        "cases.change_calendarday",
        "cases.delete_calendarday",
        "jobs.view_workerheartbeat",
        "cases.view_deadlinerule",
        "cases.add_deadlinerule",
        "cases.change_deadlinerule",
        "mediation.view_disputecategory",
        "mediation.add_disputecategory",
        "mediation.change_disputecategory",
        "mediation.view_risklevel",
        "mediation.change_risklevel",
        "petitions.view_petitioncategory",
        "petitions.add_petitioncategory",
        "petitions.change_petitioncategory",
    ],
}


def ensure_role_groups():
    """Create the role groups and their model permissions if missing; returns {role: Group}."""
    from django.contrib.auth.models import Group, Permission

    groups = {role: Group.objects.get_or_create(name=role)[0] for role in ALL_ROLES}
    for role, perms in ROLE_MODEL_PERMISSIONS.items():
        wanted = Permission.objects.none()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        groups[role].permissions.add(*wanted)
    return groups


def roles_of(user) -> set[str]:
    """The role names a user holds (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_jiefen_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._jiefen_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
