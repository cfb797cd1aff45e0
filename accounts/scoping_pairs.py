"""The one visibility rule (accounts.scoping.visible_cases) asked for many (user, case) pairs at once:
a delivery batch's recipients, a hand-off's receivers, the units an order may pass between. Each
asking is ``visible_cases`` itself, compiled once per stand-in user and run as a few UNION ALL
statements over the asked ids, never a second copy of the rule.
"""

import hashlib
from itertools import repeat

from accounts.compiled import may_prepare, prepare
from accounts.models import Unit
from accounts.scoping import _among, grid_scopes, visible_cases
from accounts.scoping_shapes import filled, shape, template
from accounts.scoping_shapes import stand_in as _stand_in

# No user has this id: a unit's stand-in member with it holds no personal rule (handler, grant).
NOBODY = -1
# Case ids per statement of visible_pairs: each branch of its UNION lists the ids it asks about.
PAIRS_PER_STATEMENT = 5000
# Branches of one shape (the same compiled rule, other values) run as one server-side prepared
# statement of this many: a delivery batch at province scale asks ~890 units at once, and PostgreSQL
# took 475 ms to plan their UNION for 140 ms of running it, every batch (docs/performance.md).
PREPARED_BRANCHES = 64


# Compiled statements of visible_cases, by the shape of the stand-in it is asked for
# (accounts.scoping_shapes): the rule is the same Python for every unit of one kind, and building and
# compiling its queryset cost more than running it (~1 ms each, ~1,000 units in a province's delivery
# run). Only values change: the asked ids (one array parameter, AmongIds) and what the rule reads of
# the stand-in. A shape the sentinels cannot explain is compiled for each stand-in, as before.
_COMPILED: dict[tuple, tuple | None] = {}
_COMPILED_MAX = 10_000


def _asked(stand_in, ids) -> tuple[str, list]:
    """``visible_cases(stand_in, <the cases of ids>)`` as (SQL, params) of a SELECT of their ids."""
    from django.db import connection

    def compile_for(who, _values=None, asked=None):
        marker = [] if asked is None else asked
        queryset = visible_cases(who, _among(marker)).values_list("pk").order_by()
        sql, params = queryset.query.sql_with_params()
        return sql, params, next((i for i, p in enumerate(params) if p is marker), None)

    ids = sorted(ids)
    if connection.vendor != "postgresql":
        sql, params, _at = compile_for(stand_in, asked=ids)
        return sql, list(params)
    key = shape(stand_in)
    if key not in _COMPILED:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = template(stand_in, compile_for)
    compiled = _COMPILED[key]
    if compiled is None:
        sql, params, _at = compile_for(stand_in, asked=ids)
        return sql, list(params)
    sql, params, at, slots = compiled
    params = filled(params, slots, stand_in, connection)
    params[at] = ids
    return sql, params


def _union_pairs(branches) -> set[tuple[int, int]]:
    """(key, case id) for branches of (key, stand-in, case ids asked about), read as UNION ALL
    statements of at most PAIRS_PER_STATEMENT ids each: a few statements per batch, whatever the
    number of keys (SQLite caps a compound SELECT at 500 terms)."""
    from django.db import connection

    found, group, size = set(), [], 0
    limit = 400 if connection.vendor == "sqlite" else None

    def flush():
        rest = _run_prepared(connection, group, found) if may_prepare(connection) else group
        if rest:
            # Each part is SQL Django compiled from the rule; every value is a parameter.
            sql = " UNION ALL ".join(f"SELECT %s, q.* FROM ({part}) q" for _key, part, _params in rest)  # noqa: S608
            with connection.cursor() as cur:
                cur.execute(sql, [param for key, _part, params in rest for param in (key, *params)])
                found.update(cur.fetchall())

    for key, stand_in, ids in branches:
        group.append((key, *_asked(stand_in, ids)))
        size += len(ids)
        if size >= PAIRS_PER_STATEMENT or (limit and len(group) >= limit):
            flush()
            group, size = [], 0
    flush()
    return found


def _run_prepared(connection, group, found: set) -> list:
    """Run every whole PREPARED_BRANCHES of branches that share a shape as one prepared statement,
    adding what they return to ``found``; returns the branches left for the plain UNION (a shape's
    last few, and every shape asked fewer times: a workflow step's hand-off asks a handful)."""
    by_shape: dict[str, list] = {}
    for branch in group:
        by_shape.setdefault(branch[1], []).append(branch)
    rest = []
    for part, branches in by_shape.items():
        whole = len(branches) - len(branches) % PREPARED_BRANCHES
        for at in range(0, whole, PREPARED_BRANCHES):
            chunk = branches[at : at + PREPARED_BRANCHES]
            name = _prepare(connection, part, len(chunk[0][2]))
            params = [param for key, _part, branch_params in chunk for param in (key, *branch_params)]
            with connection.cursor() as cur:
                cur.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
                found.update(cur.fetchall())
        rest.extend(branches[whole:])
    return rest


def _prepare(connection, part: str, count: int) -> str:
    """The name of the prepared UNION of PREPARED_BRANCHES copies of ``part`` (``count`` parameters
    each, after the branch's key), preparing it on first use in this database session. The text is
    Django's compiled rule with its placeholders numbered; no value is ever written into it."""
    from psycopg2.extensions import AsIs

    name = "jiefen_pairs_" + hashlib.sha256(f"{PREPARED_BRANCHES}:{part}".encode()).hexdigest()[:16]
    width = count + 1

    def text_of(cursor):
        branches = []
        for b in range(PREPARED_BRANCHES):
            numbered = [AsIs(f"${b * width + 2 + i}") for i in range(count)]
            body = cursor.mogrify(part, numbered).decode()
            branches.append(f"SELECT ${b * width + 1}::bigint, q.* FROM ({body}) q")  # noqa: S608 - compiled rule, numbered placeholders
        return f" AS {' UNION ALL '.join(branches)}"

    prepare(connection, name, text_of)
    return name


def visible_pairs(pairs) -> set[tuple[int, int]]:
    """The (user id, case id) of ``pairs`` — (user, case id), users as loaded objects — such that
    the user may see the case: ``visible_cases`` answered for many recipients at once (reminders,
    digests, orders), in a few statements per batch however many pairs, never one per pair.

    The rule is not written again here. ``visible_cases`` for a user is (personal rules OR unit
    rules) minus the §30 exclusion, and is run as such: once per unit, for a stand-in member with
    no personal rule (``NOBODY``), and once per user, for a stand-in with the user's id and unit id
    but no unit rules; a pair is visible when either run returns it. Superusers see everything and
    inactive users nothing, as in ``visible_cases``. tests/accounts/test_scoping.py compares the
    answer with ``visible_cases`` for every demo user.
    """
    wanted: dict[int, set[int]] = {}
    users: dict[int, object] = {}
    for user, case_id in pairs:
        if user.is_active and user.is_authenticated:
            pk = user.id  # not .pk, a property: this loop runs once per (recipient, reminder)
            if pk not in users:
                users[pk] = user
                wanted[pk] = {case_id}
            else:
                wanted[pk].add(case_id)
    visible: set[tuple[int, int]] = set()
    for pk, seen in _visible_by_user(users, wanted).items():
        visible.update(zip(repeat(pk), seen))
    return visible


def visible_by_user(groups, units: dict | None = None) -> dict[int, set[int]]:
    """``visible_pairs`` asked by groups: ``groups`` of (users, case ids) — every user of a group
    about every case of it — answered as user id -> the asked case ids the user may see. For many
    users asked about the same cases (the members of a unit about its reminders) without a Python
    step per (user, case). ``units``: units (with their region) by id that the caller keeps for a
    run of many askings (a delivery run's batches); those it lacks are read into it."""
    wanted: dict[int, set[int]] = {}
    users: dict[int, object] = {}
    for members, case_ids in groups:
        for user in members:
            if user.is_active and user.is_authenticated:
                pk = user.id
                if pk not in users:
                    users[pk] = user
                    wanted[pk] = set(case_ids)
                else:
                    wanted[pk] |= case_ids
    return _visible_by_user(users, wanted, units)


def _units(ids, known: dict | None) -> dict:
    """The units of ``ids`` with their region: from ``known`` (filled with those it lacks), or read."""
    known = {} if known is None else known
    missing = set(ids) - known.keys()
    if missing:
        known.update(Unit.objects.select_related("region").in_bulk(list(missing)))
    return known


def _visible_by_user(users: dict, wanted: dict[int, set[int]], known_units=None) -> dict[int, set[int]]:
    """The rule for active users (id -> user) asked about case ids (id -> set): see visible_pairs."""
    visible: dict[int, set[int]] = {}
    for pk in [pk for pk, user in users.items() if user.is_superuser]:
        visible[pk] = wanted.pop(pk)
    if not wanted:
        return visible
    # Rule 5: a grid worker's unit does not speak for them; they are asked on their own, with their
    # grids (one query for the posts held, one for the grids below them when anyone is bound).
    grids = grid_scopes(list(wanted))
    bound = set(grids)
    by_unit: dict[int, set[int]] = {}
    for pk, case_ids in wanted.items():
        if users[pk].unit_id and pk not in bound:
            by_unit.setdefault(users[pk].unit_id, set()).update(case_ids)
    units = _units(by_unit, known_units)
    unit_seen = _union_pairs(
        (unit_id, _stand_in(NOBODY, unit_id, units.get(unit_id)), ids) for unit_id, ids in by_unit.items()
    )
    # A pair the unit's run returned is visible whatever the personal rules say: only what it left
    # out is asked again per user (a member of a covering unit on a case of their jurisdiction costs
    # no statement of their own; building one per user cost ~2.5 ms each, most of a delivery run).
    by_unit_seen: dict[int, set[int]] = {}
    for unit_id, case_id in unit_seen:
        by_unit_seen.setdefault(unit_id, set()).add(case_id)
    nothing: set[int] = set()
    remaining = {
        pk: ids if pk in bound else ids - by_unit_seen.get(users[pk].unit_id, nothing)
        for pk, ids in wanted.items()
    }
    own_seen = _union_pairs(
        (pk, _stand_in(pk, users[pk].unit_id, None, grids.get(pk)), ids)
        for pk, ids in remaining.items()
        if ids
    )
    by_user_seen: dict[int, set[int]] = {}
    for pk, case_id in own_seen:
        by_user_seen.setdefault(pk, set()).add(case_id)
    for pk, case_ids in wanted.items():
        visible[pk] = (case_ids - remaining[pk]) | (case_ids & by_user_seen.get(pk, nothing))
    return visible


def units_seeing(pairs, units: dict | None = None) -> set[tuple[int, int]]:
    """The (unit id, case id) of ``pairs`` — (unit, case id) — such that a member of the unit with
    no personal rule may see the case: whom an order can be addressed to or issued by. ``units``:
    as for visible_by_user."""
    by_unit: dict[int, set[int]] = {}
    for unit, case_id in pairs:
        by_unit.setdefault(unit.pk, set()).add(case_id)
    if not by_unit:
        return set()
    loaded = _units(by_unit, units)
    return _union_pairs((pk, _stand_in(NOBODY, pk, loaded.get(pk)), ids) for pk, ids in by_unit.items())
