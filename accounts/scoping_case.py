"""One case a user may see, for the case pages and their action pages: ``get_visible_case_or_404``
with the statement compiled once per shape of user (accounts.scoping_shapes) instead of on every
request, and run as a server-side prepared statement.

A dispute page's case statement (the case with seven joined rows, the visibility rule, annotations
with subqueries) cost ~5 ms of Python to build and compile and ~1.7 ms of PostgreSQL planning for
0.25 ms of running it, on every request (docs/performance.md). The rule is not written again here:
the statement is Django's own compilation of ``visible_cases(user, build()).filter(pk=…)`` for a
stand-in of the user's shape, with the user's values and the case's id put where the stand-in's
were; rows become objects the way Django's ModelIterable makes them. A shape the sentinels cannot
explain, a superuser and an inactive user go through ``get_visible_case_or_404`` as before.
"""

import hashlib
import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.http import Http404
from django.utils.translation import get_language

from accounts.compiled import Rows, id_slots, prepare_with_holes
from accounts.scoping import _unit, get_visible_case_or_404, grid_scope, visible_cases
from accounts.scoping_shapes import SENTINELS, filled, shape, template

# (build, language, database, shape) -> _Statement, or None for a shape compiled per request.
# A compiler keeps the connection it compiled for, and each thread has its own: one cache a thread,
# as for the request user's statement (accounts.backends).
_local = threading.local()
_COMPILED_MAX = 1_000


class _Statement:
    """The compiled statement of one (build, language, shape) and how its row becomes the case."""

    def __init__(self, compiler, sql: str, params: tuple, slots: list):
        self.rows, self.sql, self.params, self.slots = Rows(compiler), sql, params, slots
        self.name = "jiefen_case_" + hashlib.sha256(sql.encode()).hexdigest()[:16]

    def _prepared_name(self, connection) -> str | None:
        """The server-side prepared statement's name on ``connection`` (accounts.compiled), or None
        where statements are not prepared: SQLite, or a pooler sharing sessions."""
        holes = [(i, "bigint" if after is None else "text") for i, _name, after in self.slots]
        return self.name if prepare_with_holes(connection, self.name, self.sql, self.params, holes) else None

    def fetch(self, connection, user, pk: int):
        params = filled(self.params, self.slots, user, connection, case_pk=pk)
        with connection.cursor() as cursor:
            name = self._prepared_name(connection)
            if name is None:
                cursor.execute(self.sql, params)
            else:
                values = [params[i] for i, _name, _after in self.slots]
                cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(values))})", values)
            row = cursor.fetchone()
        return None if row is None else self.rows.objects(connection, [row])[0]


class _Prefetch:
    """One prefetch of a case page (a reverse foreign key: the case's parties, deadlines, sessions…)
    compiled once: its queryset filtered on the case's id, with the id's places among the parameters
    found as for the case statement (two sentinel ids). The related rows are cached on the case as
    Django's prefetch_related_objects caches them, each row's case set to the case."""

    def __init__(self, name: str, field, compiled):
        self.name, self.field = name, field
        (compiler, self.sql, self.params, self.slots) = compiled
        self.rows = Rows(compiler)

    def run(self, connection, case, queryset) -> None:
        """``queryset``: this request's copy of the lookup's queryset (None for a plain name); the
        case's cached manager queryset is built from it, so later filters stay the case's."""
        params = list(self.params)
        for slot in self.slots:
            params[slot] = case.pk
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            related = self.rows.objects(connection, cursor.fetchall())
        for obj in related:
            self.field.set_cached_value(obj, case)
        manager = getattr(case, self.name)
        qs = manager.get_queryset() if queryset is None else manager._apply_rel_filters(queryset)
        qs._result_cache, qs._prefetch_done = related, True
        if not hasattr(case, "_prefetched_objects_cache"):
            case._prefetched_objects_cache = {}
        case._prefetched_objects_cache[self.field.remote_field.cache_name] = qs


def _compiled_prefetch(model, lookup_for, connection) -> "_Prefetch | None":
    """A _Prefetch for the lookup ``lookup_for(case_pk)`` of ``model`` when it is one Django would
    run as a single filtered statement (a reverse foreign key, one level, no to_attr, no prefetch of
    its own, no slice); None for any other, which goes through prefetch_related_objects. The lookup
    may name the case itself (the case page's timeline: its latest entries); every parameter that
    holds the case's id is found, as for the case statement, from two sentinel ids."""
    compiled = []
    for values in SENTINELS:
        lookup = lookup_for(values["case_pk"])
        name = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        queryset = lookup.queryset if isinstance(lookup, Prefetch) else None
        if "__" in name or (isinstance(lookup, Prefetch) and lookup.to_attr):
            return None
        descriptor = getattr(model, name, None)
        if not isinstance(descriptor, ReverseManyToOneDescriptor):
            return None
        field = descriptor.rel.field
        base = queryset if queryset is not None else field.model._default_manager.all()
        if base._prefetch_related_lookups or base.query.is_sliced:
            return None
        compiler = base.filter(**{field.attname: values["case_pk"]}).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        compiled.append((compiler, sql, list(params)))
    (compiler, sql, a), (_other, other_sql, b) = compiled
    first, second = (values["case_pk"] for values in SENTINELS)
    slots = id_slots(a, b, {first: ("case_pk", second)}) if sql == other_sql else None
    if not slots:
        return None
    return _Prefetch(name, field, (compiler, sql, tuple(a), [position for position, _name in slots]))


def _compiled() -> dict:
    """This thread's compiled statements: (what, language, database, shape) -> statement or None."""
    cache = getattr(_local, "compiled", None)
    if cache is None or len(cache) >= _COMPILED_MAX:
        cache = _local.compiled = {}
    return cache


def _prefetch(build, case, lookups, connection) -> None:
    """The build's prefetches on ``case``: the compiled ones run as such, the rest by Django."""
    key = (build, get_language(), connection.alias, "prefetches")
    cache = _compiled()
    if key not in cache:
        cache[key] = [
            _compiled_prefetch(type(case), lambda _pk, lookup=lookup: lookup, connection)
            for lookup in lookups
        ]
    rest = []
    for compiled, lookup in zip(cache[key], lookups, strict=True):
        if compiled is None:
            rest.append(lookup)
        else:
            compiled.run(connection, case, lookup.queryset if isinstance(lookup, Prefetch) else None)
    if rest:
        prefetch_related_objects([case], *rest)


def _prefetch_per_case(per_case, case, connection) -> None:
    """``per_case``: (function, keyword arguments as pairs); ``function(case_pk, **kwargs)`` is a
    lookup that names the case itself, compiled once per function, arguments and language."""
    make, kwargs = per_case[0], dict(per_case[1])
    lookup = make(case.pk, **kwargs)
    key = (make, per_case[1], get_language(), connection.alias, "per case")
    cache = _compiled()
    if key not in cache:
        cache[key] = _compiled_prefetch(type(case), lambda pk: make(pk, **kwargs), connection)
    compiled = cache[key]
    if compiled is None:
        prefetch_related_objects([case], lookup)
    else:
        compiled.run(connection, case, lookup.queryset if isinstance(lookup, Prefetch) else None)


def _built(build) -> tuple:
    """What a request needs of ``build()`` once its statement is compiled: the database and the
    prefetch lookups, kept per thread and language (building the page's queryset again, with its
    annotations, cost a dispute page ~1.5 ms of Python)."""
    key = (build, get_language(), "built")
    cache = _compiled()
    if key not in cache:
        queryset = build()
        cache[key] = (queryset.db, queryset._prefetch_related_lookups)
    db, lookups = cache[key]
    return db, _fresh(lookups)


def _fresh(lookups) -> tuple:
    """Copies of the lookups' querysets, as cases.built_once copies them: a request's prefetch adds
    its case to the queryset's hints, which must not reach the next request."""
    return tuple(
        Prefetch(lookup.prefetch_through, queryset=_with_fresh(lookup.queryset), to_attr=lookup.to_attr)
        if isinstance(lookup, Prefetch) and lookup.queryset is not None
        else lookup
        for lookup in lookups
    )


def _with_fresh(queryset):
    fresh = queryset.all()
    fresh._prefetch_related_lookups = _fresh(queryset._prefetch_related_lookups)
    return fresh


def _statement(build, user, connection) -> "_Statement | None":
    key = (build, get_language(), connection.alias, shape(user))
    cache = _compiled()
    if key not in cache:
        compilers = []

        def compile_for(who, values):
            queryset = visible_cases(who, build()).filter(pk=values["case_pk"]).order_by()
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            compilers.append(compiler)
            return sql, params, None

        compiled = template(user, compile_for)
        cache[key] = None if compiled is None else _Statement(compilers[0], *compiled[:2], compiled[3])
    return cache[key]


def visible_case_or_404(user, build, pk, *, prefetch=(), per_case=None):
    """``get_visible_case_or_404(user, build(), pk=pk)``, its prefetches and ``prefetch`` done.
    ``build``: a function of no arguments returning the case queryset (the same one on every call:
    it is the statement's key), without the rows of one case. ``per_case``: (function, ((keyword,
    value), …)), a prefetch of the rows of this case only, ``function(pk, **keywords)``, compiled
    once per function and keywords (the case page's folded timeline)."""
    if user.is_superuser or not user.is_active:
        return get_visible_case_or_404(user, build().prefetch_related(*prefetch, *_made(per_case, pk)), pk=pk)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 0 < pk < 2**63:  # ids are positive bigints: no row, and no statement for PostgreSQL to refuse
        raise Http404
    db, lookups = _built(build)
    connection = connections[db]
    _unit(user), grid_scope(user)  # what the shape reads, loaded once per user object
    statement = _statement(build, user, connection)
    if statement is None:
        return get_visible_case_or_404(user, build().prefetch_related(*prefetch, *_made(per_case, pk)), pk=pk)
    case = statement.fetch(connection, user, pk)
    if case is None:
        raise Http404
    _prefetch(build, case, lookups, connection)
    if per_case is not None:
        _prefetch_per_case(per_case, case, connection)
    if prefetch:
        prefetch_related_objects([case], *prefetch)
    return case


def _made(per_case, pk) -> list:
    return [] if per_case is None else [per_case[0](pk, **dict(per_case[1]))]


def visible_values(user, query, ids: list, case_pk: int) -> list[dict]:
    """The rows of ``query(user, ids, case_pk)``, a ``values()`` queryset about cases that reads the
    visibility rule for ``user`` (``visibility_flag``, ``countable_beyond_view``), a list of ids
    (one ``AmongIds`` array parameter) and a case id, with the statement compiled once per (query
    function, shape of user) on PostgreSQL: the case page's register matches compiled the rule into a
    ``CASE`` on every request (~4 ms). Elsewhere, and for a superuser, an inactive user or a shape
    the sentinels cannot explain, the queryset is built and run as usual."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or user.is_superuser or not user.is_active:
        return list(query(user, ids, case_pk))
    _unit(user), grid_scope(user)
    key = (query, get_language(), connection.alias, shape(user))
    cache = _compiled()
    if key not in cache:
        compilers = []

        def compile_for(who, values, asked=None):
            marker = [] if asked is None else asked
            queryset = query(who, marker, values["case_pk"])
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            compilers.append((compiler, queryset.query))
            return sql, params, next((i for i, p in enumerate(params) if p is marker), None)

        compiled = template(user, compile_for)
        cache[key] = None if compiled is None or compiled[2] is None else (compilers[0], compiled)
    entry = cache[key]
    if entry is None:
        return list(query(user, ids, case_pk))
    (compiler, q), (sql, params, at, slots) = entry
    params = filled(params, slots, user, connection, case_pk=case_pk)
    params[at] = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = [*q.extra_select, *q.values_select, *q.annotation_select]
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[rows])]
