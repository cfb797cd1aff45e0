"""The scoping rule narrowed to a region (accounts.scoping holds the rule itself).

When a user's unit covers a region (rule 1), every case under its prefix is one they may see but
for the accusations withheld from the unit (§30); these functions use that to read a region's
cases by its prefix alone, which PostgreSQL estimates right, instead of through the OR of the
whole rule. Each is compared with ``visible_cases`` for every demo user in
tests/accounts/test_scoping.py.
"""

from django.db.models import QuerySet

from accounts.models import RegionLevel
from accounts.scoping import case_visibility_q, covering_unit, visible_cases


def visible_cases_in_region(user, queryset: QuerySet, prefix: str) -> QuerySet:
    """The cases of ``queryset`` that ``user`` may see and whose region lies under ``prefix``
    (statistics for one region of the user's jurisdiction).

    When the user's unit covers a region containing ``prefix`` (a county supervisor reporting on
    the county or one of its towns), rule 1 admits every case there, so the rule reduces to the
    region prefix and the §30 exclusion: the same rows as ``visible_cases`` narrowed to the
    prefix, without the OR of the other rules, which makes PostgreSQL misjudge a county's 40,000
    cases as a few hundred and read them one by one (docs/performance.md). Otherwise the whole rule.
    """
    narrowed = queryset.filter(region__code__startswith=prefix)
    unit = covering_unit(user) if user.is_authenticated and user.is_active and not user.is_superuser else None
    if unit is not None and prefix.startswith(unit.region.prefix):
        return narrowed.exclude(withheld_from_unit_id=user.unit_id)
    return visible_cases(user, narrowed)


def region_wholly_visible(user) -> tuple[str, int | None] | None:
    """(prefix, unit id) when the cases ``user`` may see under ``prefix`` are every case there less
    the accusations withheld from that unit (§30; None: nothing withheld), as in
    ``visible_cases_in_region``: ("", None) for a superuser, the unit's region for a user whose unit
    covers it (rule 1). None when the whole rule must be asked (rule 5's grid workers, departments)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return "", None
    unit = covering_unit(user)
    return (unit.region.prefix, user.unit_id) if unit is not None else None


def wholly_visible_within(user, prefix: str) -> tuple[int | None] | None:
    """(the unit whose withheld cases to leave out, or None) when the cases ``user`` may see under
    ``prefix`` are every case there less those withheld from that unit (§30), as
    ``region_wholly_visible`` finds it; None when the whole rule must be asked. For a count read
    from a tally kept per place and withheld-from unit."""
    whole = region_wholly_visible(user)
    if whole is None or not prefix.startswith(whole[0]):
        return None
    return (whole[1],)


def visible_beyond_region(user, queryset: QuerySet, prefix: str) -> QuerySet:
    """The cases of ``queryset`` that ``user`` may see outside ``prefix``, for a ``prefix`` given by
    ``region_wholly_visible``: the same rows as ``visible_cases`` narrowed to the cases outside it.
    Rule 1 only admits cases under the prefix, so it is left out of the filter, where PostgreSQL
    would read every case of the region to find none (the province: 0.1 s)."""
    outside = queryset.exclude(region__code__startswith=prefix)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return outside
    outside = outside.filter(case_visibility_q(user, region_branch=False))
    return outside.exclude(withheld_from_unit_id=user.unit_id) if user.unit_id else outside


def sees_a_large_jurisdiction(user) -> bool:
    """Whether the cases ``user`` may see are a large share of all cases: a county or more.

    The case lists read such a jurisdiction in list order along an index up to the page; for a
    town or a village (a few thousand cases of millions, or fewer) walking that index would pass
    millions of other cases, and sorting the visible ones is what is fast (docs/performance.md).
    """

    if user.is_superuser:
        return True
    unit = covering_unit(user)
    return unit is not None and unit.region.level <= RegionLevel.COUNTY
