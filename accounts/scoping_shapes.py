"""The visibility rule (accounts.scoping.visible_cases) compiled once per *shape* of user instead of
once per user: the statement Django compiles for a user depends on a few facts about them (whether
they have a unit, that unit's activity, coverage, level and group, a grid worker's grids) and
otherwise only on values it compares (their id, unit id, group id, region prefix). Building and
compiling the rule's queryset cost more Python than PostgreSQL took to run it (~1 ms for the bare
rule, ~5 ms for a case page's joined and annotated queryset: docs/performance.md).

A shape is compiled twice, for two stand-ins holding values no real row has (``SENTINELS``), and the
parameters that differ between the two compilations are where each user's own values go. A shape
whose two compilations differ in any other way, or whose parameters hold a date or a time (a value
that would go stale in a kept statement), gets no template: its callers compile for each user.
"""

import datetime

from accounts.models import Region, Unit, User

# Values no row has: two of each, so that a parameter that differs between the two compilations can
# be told apart from one that happens to equal a sentinel.
SENTINELS = (
    {"pk": -1_000_000_001, "unit_id": -1_000_000_002, "unit_pk": -1_000_000_003, "group_id": -1_000_000_004,
     "case_pk": -1_000_000_005, "code": "qaqaqaqaqaqa"},
    {"pk": -2_000_000_001, "unit_id": -2_000_000_002, "unit_pk": -2_000_000_003, "group_id": -2_000_000_004,
     "case_pk": -2_000_000_005, "code": "qbqbqbqbqbqb"},
)  # fmt: skip
_INT_NAMES = ("pk", "unit_id", "unit_pk", "group_id", "case_pk")


def stand_in(pk: int, unit_id, unit, grids=None):
    """An unsaved user for ``visible_cases``: ``pk`` for the personal rules, ``unit`` for the unit's
    (None leaves them out), ``unit_id`` for the §30 exclusion, ``grids`` for rule 5 (a grid worker's
    grids in place of the unit's rules)."""
    user = User(pk=pk, unit_id=unit_id, is_active=True, is_superuser=False)
    user._jiefen_unit = unit
    user._jiefen_grid_ids = grids
    return user


def shape(user) -> tuple:
    """What the rule's SQL depends on beyond the values it compares, for a user whose unit
    (``_jiefen_unit``) and grids (``_jiefen_grid_ids``) are loaded (accounts.scoping._unit and
    grid_scope load them; a stand-in holds them)."""
    unit = user._jiefen_unit
    grids = user._jiefen_grid_ids
    return (user.unit_id is None, unit and (unit.is_active, unit.covers_region, unit.region.level,
            unit.group_id is None), grids and tuple(grids))  # fmt: skip


def sentinel(user, values: dict):
    """A stand-in of ``user``'s shape holding ``values`` (one of SENTINELS) instead of its own."""
    unit = user._jiefen_unit
    fake = None
    if unit is not None:
        fake = Unit(pk=values["unit_pk"], is_active=unit.is_active, covers_region=unit.covers_region,
                    group_id=None if unit.group_id is None else values["group_id"])  # fmt: skip
        fake.region = Region(code=values["code"], level=unit.region.level)
    unit_id = None if user.unit_id is None else values["unit_id"]
    return stand_in(values["pk"], unit_id, fake, user._jiefen_grid_ids)


def template(user, compile_for) -> tuple | None:
    """(SQL, params, where the asked ids go, [(position, value name, text after a prefix)]) of the
    shape of ``user``, from ``compile_for(stand_in, values)`` -> (SQL, params, position of the asked
    ids or None), called once per SENTINELS entry; None when the two compilations differ other than
    by the sentinel values, or hold a date or a time."""
    (sql, a, at), (other_sql, b, other_at) = (compile_for(sentinel(user, v), v) for v in SENTINELS)
    if sql != other_sql or at != other_at or len(a) != len(b):
        return None
    first, second = SENTINELS
    names = {first[k]: (k, second[k]) for k in _INT_NAMES}
    slots = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if i == at:
            continue
        if isinstance(x, datetime.date):
            return None
        if x == y:
            continue
        if type(x) is int and x in names and names[x][1] == y:
            slots.append((i, names[x][0], None))
        elif isinstance(x, str) and isinstance(y, str) and (prefix := _sentinel_prefix(x, y)) is not None:
            slots.append((i, "prefix", x[prefix:]))
        else:
            return None
    return sql, tuple(a), at, slots


def _sentinel_prefix(x: str, y: str) -> int | None:
    """The length of the region prefix that starts ``x`` (first sentinel) and ``y`` (second), when
    both are the same text after it (a LIKE pattern: prefix then ``%``)."""
    for n in range(len(SENTINELS[0]["code"]), 0, -1):
        if x.startswith(SENTINELS[0]["code"][:n]) and y.startswith(SENTINELS[1]["code"][:n]):
            return n if x[n:] == y[n:] else None
    return None


def filled(params, slots, user, connection, case_pk=None) -> list:
    """``params`` of a template with ``user``'s own values (and ``case_pk``) in its slots."""
    params = list(params)
    if slots:
        unit = user._jiefen_unit
        real = {"pk": user.pk, "unit_id": user.unit_id, "unit_pk": unit and unit.pk,
                "group_id": unit and unit.group_id, "case_pk": case_pk}  # fmt: skip
        for i, name, after in slots:
            if after is None:
                params[i] = real[name]
            else:  # the pattern of rule 1: the unit's region prefix, escaped as Django escapes it
                params[i] = connection.ops.prep_for_like_query(unit.region.prefix) + after
    return params
