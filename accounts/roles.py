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
        "analysis.view_warningrule",
        "analysis.change_warningrule",
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


def role_choices(*, may_grant_administrator: bool = True) -> list[tuple[str, str]]:
    """(group name, Chinese label) for the role checkboxes. Only a superuser grants the administrator
    role, as only a superuser sets staff status (accounts.admin)."""
    return [(r, label) for r, label in ROLE_LABELS.items() if may_grant_administrator or r != ADMINISTRATOR]


def role_labels(names) -> list[str]:
    """The translated labels of role group names, in the fixed order of ROLE_LABELS."""
    names = set(names)
    return [str(label) for role, label in ROLE_LABELS.items() if role in names]


def set_roles(user, names, *, keep=()) -> None:
    """Give ``user`` exactly the roles ``names`` (unit and other groups untouched); roles in ``keep``
    stay as they are (those the editor may not grant or take away)."""
    groups = ensure_role_groups()
    held = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    wanted = (set(names) & set(ALL_ROLES) - set(keep)) | (held & set(keep))
    user.groups.remove(*[groups[r] for r in held - wanted])
    user.groups.add(*[groups[r] for r in wanted - held])
    user.__dict__.pop("_jiefen_roles", None)
