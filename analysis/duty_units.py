"""Who stands where on a key person or a 包案, and whom an actor may name in their forms: units and
users of the actor's own unit and of the covering units below it (what the actor oversees)."""

from django.db.models import Q

from accounts import roles
from accounts.models import Unit, User
from accounts.scoping import KEY_PERSON_ROLES


def may_put_case_under_leader(user) -> bool:
    """Who may put a case they see under a leader (包案): supervisors. The case page's button and
    the POST (analysis.duties.assign, the 包案 page) both ask this."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or roles.has_role(user, roles.SUPERVISOR))
    )


def _own_unit(user):
    unit = getattr(user, "unit", None)
    return unit if unit is not None and unit.is_active else None


def listing_units(user):
    """The units ``user`` may make responsible: their own, and the covering units of their region's
    subtree when their unit covers one."""
    units = (
        Unit.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__level", "region_id", "name")
    )
    if user.is_superuser:
        return units
    unit = _own_unit(user)
    if unit is None:
        return units.none()
    q = Q(pk=unit.pk)
    if unit.covers_region:
        q |= Q(covers_region=True, region__code__startswith=unit.region.prefix)
    return units.filter(q)


def staff_choices(user, *, key_persons: bool = False):
    people = User.objects.filter(is_active=True, unit__in=listing_units(user)).order_by("unit_id", "username")
    if key_persons:
        people = people.filter(groups__name__in=KEY_PERSON_ROLES).distinct()
    return people


def leader_choices(user):
    return staff_choices(user).filter(groups__name=roles.SUPERVISOR).distinct()


def _covers(unit_region_code: str, user) -> bool:
    unit = _own_unit(user)
    return bool(unit and unit.covers_region and unit_region_code.startswith(unit.region.prefix))


def works_on_key_person(key_person, user) -> bool:
    """The responsible unit, or a unit covering it."""
    return user.unit_id == key_person.unit_id or _covers(key_person.unit.region_id, user)


def oversees_key_person(key_person, user) -> bool:
    """A unit covering the responsible unit (its own, when it covers a region, included)."""
    return _covers(key_person.unit.region_id, user)


def may_conclude(responsibility, user) -> bool:
    return responsibility.leader_id == user.pk or _covers(responsibility.unit.region_id, user)
