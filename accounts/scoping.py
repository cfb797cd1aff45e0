"""The one visibility rule. Every list, detail, export, report and API path passes through here.

A user sees a case when
  1. the case's region lies in the subtree of the user's unit's region, for units that cover
     their region (综治中心, 信访办, 调委会, 乡镇政府; not functional departments);
  2. the case is handled by the user's unit;
  3. the case was assigned (交办/转送) to the user's unit, or to the user, through a
     django-guardian object permission ``cases.view_case``;
  4. the user is the case's handler;
  5. for a user who holds a post (网格长, grid worker) on grids below the village and none on a
     village's 一级网格: rules 1 and 2 and the unit's grants narrow to the cases that arose in their
     grids (or a grid below them) and the cases they reported; rules 3 (to them) and 4 stay;
and never when the case is withheld from the user's unit (an accusation against that unit,
信访工作条例 §30), whichever rule above would let them see it.
Superusers see everything; inactive users and users without a unit see only rule 3-4 cases.

Region containment is a prefix match on the 12-digit code held in ``Case.region_id`` (indexed with
a pattern operator class), so no query joins or walks the region tree.

The rule works on ``cases.Case`` and on every case type that extends it (multi-table inheritance),
since those querysets expose the same fields and share the primary key. ``accounts`` sits below
``cases`` in the layering, so the case models are referenced by name only.
"""

from django.apps import apps
from django.db.models import BooleanField, Exists, F, Func, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import Grid, GridLevel, GridPost, Unit

VIEW_CASE = "view_case"


def _unit(user):
    """The user's unit with its region, loaded once per user object."""
    if not hasattr(user, "_jiefen_unit"):
        unit = None
        if user.unit_id:
            # Whether the user holds a grid post (rule 5) comes in the same query.
            held = Exists(GridPost.below_village().filter(user_id=user.pk or 0))
            unit = (
                Unit.objects.select_related("region")
                .annotate(_grid_post=held)
                .filter(pk=user.unit_id)
                .first()
            )
            if unit is not None and not hasattr(user, "_jiefen_grid_post"):
                user._jiefen_grid_post = unit._grid_post
        user._jiefen_unit = unit
    return user._jiefen_unit


def grid_scope(user) -> list[int] | None:
    """The ids of the grids whose cases ``user`` sees in place of their unit's (rule 5): the grids
    of their current posts and every grid below them, when none of those posts is on a 一级网格
    (the village itself, whose holder sees the village as its unit does); None otherwise.

    The request's user comes with ``_jiefen_grid_post`` (accounts.backends), any other user with the
    unit's query (``_unit``): whether any current post exists. Only the holders of a post pay for the
    two small queries, once per user object."""
    if hasattr(user, "_jiefen_grid_ids"):
        return user._jiefen_grid_ids
    _unit(user)  # loads the post flag with the unit, for a user not loaded by accounts.backends
    ids = None
    if user.pk and getattr(user, "_jiefen_grid_post", True):
        ids = grid_scopes([user.pk]).get(user.pk)
    user._jiefen_grid_ids = ids
    return ids


def grid_scopes(user_ids) -> dict[int, list[int]]:
    """Rule 5's grids for many users at once (two queries): user id -> grid ids, for the users
    whose current posts all lie below the 一级网格; the others are left out."""
    held: dict[int, list] = {}
    for post in GridPost.objects.filter(
        user_id__in=user_ids, ended_on=None, grid__is_active=True
    ).select_related("grid"):
        held.setdefault(post.user_id, []).append(post.grid)
    bound = {pk: grids for pk, grids in held.items() if all(g.level != GridLevel.FIRST for g in grids)}
    if not bound:
        return {}
    below = Q()
    for grid in {g.pk: g for grids in bound.values() for g in grids}.values():
        below |= grid.subtree_q()
    subtree = list(Grid.objects.filter(below).values_list("pk", "region_id", "code"))
    scopes = {}
    for pk, grids in bound.items():
        scopes[pk] = sorted(
            {gid for gid, region, code in subtree for g in grids
             if region == g.region_id and (not g.code or code == g.code or code.startswith(f"{g.code}-"))}
        )  # fmt: skip
    return scopes


class InIdList(Func):
    """``id = ANY(ARRAY(subquery))`` on PostgreSQL, ``id IN (subquery)`` elsewhere.

    The grant lists are short, but written as ``IN (subquery)`` inside the OR of the visibility rule
    they make PostgreSQL evaluate a hashed subplan for every row: a sequential scan of all cases. As
    an array computed once (an InitPlan) each branch of the OR is an index condition, and the whole
    rule becomes a BitmapOr of index scans (docs/performance.md).
    """

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra_context):
        # The first argument is a column of the core case table (cases_case); its alias names that
        # table in the query, whose "id" is compared. Filtering a case type by its own key
        # (cases_dispute.case_ptr_id, which Django substitutes for the parent's id) would put a
        # second table into the OR, and no BitmapOr could cover it.
        core = self.source_expressions[0]
        column = f"{compiler.quote_name_unless_alias(core.alias)}.{connection.ops.quote_name('id')}"
        subquery, params = compiler.compile(self.source_expressions[1])
        if not subquery.startswith("("):
            subquery = f"({subquery})"
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", params
        return f"{column} IN {subquery}", params


class AmongIds(Func):
    """``id = ANY(%s)`` with the ids as one array parameter on PostgreSQL, ``id IN (…)`` elsewhere:
    the cases a question is asked about. Django's ``pk__in`` prepares and sends every id as a
    parameter of its own, which cost more than the statements of a delivery run's visible_pairs."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids, field: str = "pk"):
        super().__init__(F(field))
        self.ids = ids if isinstance(ids, list) else sorted(ids)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", [*params, self.ids]
        if not self.ids:
            return "1 = 0", params
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]


def _among(ids) -> QuerySet:
    return apps.get_model("cases", "Case").objects.filter(AmongIds(ids))


def _granted(model, **lookup) -> InIdList:
    ids = model.objects.filter(permission__codename=VIEW_CASE, **lookup).values("content_object_id")
    return InIdList(F("handler_id"), Subquery(ids))


def case_visibility_q(user, *, region_branch: bool = True) -> Q | None:
    """The filter for cases ``user`` may see; None means every case (superuser). Without
    ``region_branch``, rule 1 is left out: what the user sees outside their unit's region
    (``visible_beyond_region``)."""
    if user.is_superuser and user.is_active:
        return None
    group_perms = apps.get_model("cases", "CaseGroupObjectPermission")
    user_perms = apps.get_model("cases", "CaseUserObjectPermission")
    q = Q(handler_id=user.pk) | Q(_granted(user_perms, user_id=user.pk))
    grids = grid_scope(user)
    if grids is not None:
        # Rule 5: a grid worker's or 网格长's cases are their grids' and their own reports.
        return q | Q(grid_id__in=grids) | Q(reported_by_id=user.pk)
    unit = _unit(user)
    if unit is not None and unit.is_active:
        if unit.covers_region and region_branch:
            q |= Q(region__code__startswith=unit.region.prefix)
        q |= Q(handling_unit_id=unit.pk)
        q |= Q(_granted(group_perms, group_id=unit.group_id))
    return q


def visible_cases(user, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset of ``Case`` (or a case type extending it) to what ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    q = case_visibility_q(user)
    if q is None:
        return queryset
    queryset = queryset.filter(q)
    if user.unit_id:
        # 信访工作条例 §30: an accusation is never shown to the accused unit, not even to its
        # handler or through a grant.
        queryset = queryset.exclude(withheld_from_unit_id=user.unit_id)
    return queryset


def visibility_flag(user):
    """``visible_cases`` as a boolean expression to annotate (True: ``user`` may see the case), for
    a query that reads cases of both kinds at once; the same rule, the §30 exclusion included."""
    from django.db.models import Case, Value, When

    if not user.is_authenticated or not user.is_active:
        return Value(False)
    q = case_visibility_q(user)
    if q is None:
        return Value(True)
    if user.unit_id:
        q &= ~Q(withheld_from_unit_id=user.unit_id)
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def own_cases_of_outer_user() -> Q:
    """Rules 2 and 4 of ``visible_cases`` (the user handles the case, or their active unit does),
    less the §30 exclusion, as a filter over an outer user row (``OuterRef``): a count per user
    inside the query that loads the request's user (the menu's "what waits", accounts.backends).
    Every such case is one ``visible_cases`` lets the user see; the home page lists them through
    ``visible_cases`` itself."""
    from django.db.models import OuterRef, Value
    from django.db.models.functions import Coalesce

    # Rule 5: a grid worker's unit does not speak for them (their grids' cases are counted on the
    # home page itself, through visible_cases).
    bound = Exists(GridPost.below_village().filter(user_id=OuterRef(OuterRef("pk"))))
    q = Q(handler_id=OuterRef("pk")) | (
        Q(handling_unit_id=OuterRef("unit_id"), handling_unit__is_active=True) & ~Q(bound)
    )
    # Coalesce: a user without a unit compares with 0, never with NULL (NOT NULL would drop the row).
    return q & ~Q(withheld_from_unit_id=Coalesce(OuterRef("unit_id"), Value(0)))


def countable_beyond_view(user) -> Q:
    """Which of the cases ``user`` may not see may still be counted for them (a register match:
    "2 more, handled by …", SECURITY.md "Personal data"): all but an accusation withheld from the
    user's unit, whose very existence the accused unit must not learn (信访工作条例 §30)."""
    if user.is_authenticated and user.unit_id:
        return ~Q(withheld_from_unit_id=user.unit_id)
    return Q()


def cases_beyond_view(user, queryset: QuerySet) -> QuerySet:
    """The cases of ``queryset`` that ``user`` may not see and may learn the existence of: the
    complement of ``visible_cases`` less ``countable_beyond_view``. Only counts and handling units
    are ever shown of them."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    q = case_visibility_q(user)
    if q is None:
        return queryset.none()
    return queryset.exclude(q).filter(countable_beyond_view(user))


def covering_unit(user):
    """The user's unit when it is active and covers its region (rule 1 applies), else None."""
    if grid_scope(user) is not None:
        return None  # rule 5 narrows rule 1 to the user's grids
    unit = _unit(user)
    return unit if unit is not None and unit.is_active and unit.covers_region else None


def get_visible_case_or_404(user, queryset: QuerySet, **lookup):
    """One case the user may see, or 404 — the same answer whether it exists or not."""
    try:
        return visible_cases(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def visible_warnings(user, queryset: QuerySet) -> QuerySet:
    """Early warnings (``analysis.EarlyWarning``) ``user`` may see: rules 1 and 2 of the case rule
    read on the warning — its place lies in the subtree of the user's covering unit, or the user's
    unit must act on it. A village sees its own; a county all of its own. No warning is built on a
    case withheld from a unit (§30), so no exclusion is needed here.

    Rule 5 holds here too: a grid worker or 网格长 below the 一级网格 sees the village's warnings
    only when one of a warning's evidence cases is one they may see (their grids' and their own
    reports): a warning names people and cases, and the rest of the village's are not theirs."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if grid_scope(user) is not None:
        cases = visible_cases(user, apps.get_model("cases", "Case").objects.all()).values("pk")
        return queryset.filter(pk__in=queryset.model.objects.filter(evidence__in=cases).values("pk"))
    q = _unit_or_below(user, "region__code")
    return queryset.none() if q is None else queryset.filter(q)


def _unit_or_below(user, region_field: str) -> Q | None:
    """The user's active unit (``unit_id``), or for a covering unit also anything whose
    ``region_field`` lies in its region's subtree (rules 1 and 2 of the case rule, read on rows that
    name a unit and a place); None without an active unit."""
    unit = _unit(user)
    if unit is None or not unit.is_active:
        return None
    q = Q(unit_id=unit.pk)
    if unit.covers_region:
        q |= Q(**{f"{region_field}__startswith": unit.region.prefix})
    return q


def get_visible_warning_or_404(user, queryset: QuerySet, **lookup):
    """One warning the user may see, or 404, as for cases."""
    try:
        return visible_warnings(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


# Who works with the key-person register (重点人员): supervisors and petition staff. Grid workers,
# mediators, handlers and statisticians never see it, whatever their unit.
KEY_PERSON_ROLES = ("supervisor", "petition_clerk")


def may_use_key_persons(user) -> bool:
    from accounts.roles import has_role

    return (
        user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, *KEY_PERSON_ROLES))
    )


def visible_key_persons(user, queryset: QuerySet) -> QuerySet:
    """Key persons (``analysis.KeyPerson``) ``user`` may see: of the register's roles only, those
    listed with the user's unit or with a unit in the subtree of the user's covering unit (the
    responsible unit and the units above it). Another village's key person is never shown."""
    if not may_use_key_persons(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    q = _unit_or_below(user, "unit__region__code")
    return queryset.none() if q is None else queryset.filter(q)


def visible_responsibilities(user, queryset: QuerySet) -> QuerySet:
    """包案 (``analysis.Responsibility``) ``user`` may see: their own (as leader or working staff),
    and, for supervisors, those of their unit or of a unit in their covering unit's subtree."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    q = Q(leader_id=user.pk) | Q(pk__in=queryset.model.staff.through.objects.filter(user_id=user.pk).values(
        "responsibility_id"))  # fmt: skip
    below = _unit_or_below(user, "unit__region__code") if may_use_key_persons(user) else None
    return queryset.filter(q if below is None else q | below)


def visible_regions(user, queryset: QuerySet) -> QuerySet:
    """Regions a user may file cases in: their unit's subtree (nothing for departments)."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    unit = _unit(user)
    if unit is None or not unit.covers_region:
        return queryset.none()
    return queryset.filter(code__startswith=unit.region.prefix, level__gte=unit.region.level)


def visible_units(user, queryset: QuerySet) -> QuerySet:
    """Units a user may manage (admin site): those in their unit's region subtree.

    A county administrator manages the county's units, not another county's; superusers all.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    unit = _unit(user)
    if unit is None or not unit.covers_region:
        return queryset.none()
    return queryset.filter(region__code__startswith=unit.region.prefix)


def visible_users(user, queryset: QuerySet) -> QuerySet:
    """User accounts a user may manage (admin site): members of the units they may manage."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    units = visible_units(user, apps.get_model("accounts", "Unit").objects.all())
    return queryset.filter(unit__in=units.values("pk"))


def _core(case):
    """Permissions are granted on the core ``Case`` row, whatever the case type."""
    core_model = apps.get_model("cases", "Case")
    return case if type(case) is core_model else core_model(pk=case.pk)


def grant_case_to_unit(case, unit) -> None:
    """Let ``unit`` see ``case`` (交办/转送). Only the unit's members gain access."""
    from guardian.shortcuts import assign_perm

    assign_perm(f"cases.{VIEW_CASE}", unit.group, _core(case))


def revoke_case_from_unit(case, unit) -> None:
    from guardian.shortcuts import remove_perm

    remove_perm(f"cases.{VIEW_CASE}", unit.group, _core(case))


def visible_grids(user, queryset: QuerySet) -> QuerySet:
    """Grids (``accounts.Grid``, and through them the inspection ledger) ``user`` may see: the case
    rule read on grids. A grid worker or 网格长 (rule 5) sees their grids and those below; a covering
    unit the grids of every village in its subtree (the village all of its own); nobody else any."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    grids = grid_scope(user)
    if grids is not None:
        return queryset.filter(pk__in=grids)
    unit = covering_unit(user)
    if unit is None:
        return queryset.none()
    return queryset.filter(region__code__startswith=unit.region.prefix)


def get_visible_grid_or_404(user, queryset: QuerySet, **lookup):
    try:
        return visible_grids(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
