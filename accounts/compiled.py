"""Statements the ORM compiled once and runs again with other values: the request user's
(accounts.backends), a case page's (accounts.scoping_case), the visibility rule for many pairs
(accounts.scoping_pairs). Their rows become objects the way Django's ModelIterable makes them, and on
PostgreSQL they run as server-side prepared statements, prepared once per database session.

PREPARE is not transactional (a rollback keeps it) and goes through the raw cursor, so no request's
query count changes with whether its connection was new. Off with PREPARED_STATEMENTS=False, for a
pooler that shares sessions between clients (PgBouncer in transaction mode).
"""

import datetime
import hashlib
import threading
import weakref

from django.conf import settings
from django.db.models.query import get_related_populators

# Raw database connection -> names of the statements prepared in its session (a new connection
# after a reconnect starts empty; a closed one drops out).
_prepared: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class Rows:
    """Rows of a compiled statement as model instances, the way Django's ModelIterable makes them:
    the model's own columns, the joined rows (select_related) and the annotations, through the
    compiler's converters."""

    def __init__(self, compiler):
        self.compiler, self.model = compiler, compiler.query.model
        klass_info, select = compiler.klass_info, compiler.select
        self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, compiler.using)
        self.annotations = dict(compiler.annotation_col_map)

    def objects(self, connection, rows) -> list:
        made = []
        for row in self.compiler.results_iter(results=[rows]):
            obj = self.model.from_db(connection.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            made.append(obj)
        return made


def may_prepare(connection) -> bool:
    return connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS


def prepare(connection, name: str, text_of) -> None:
    """PREPARE ``name`` in ``connection``'s database session unless it is there already;
    ``text_of(raw_cursor)`` gives what follows the name ("(types) AS statement")."""
    connection.ensure_connection()
    raw = connection.connection
    names = _prepared.setdefault(raw, set())
    if name not in names:
        with raw.cursor() as cursor:
            cursor.execute(f"PREPARE {name}{text_of(cursor)}")
        names.add(name)


def prepare_with_holes(connection, name: str, sql: str, params, holes) -> bool:
    """Whether ``sql`` runs as the prepared statement ``name`` on ``connection`` (preparing it on
    first use): ``holes`` are (position among ``params``, type) of the values each run passes, as
    $1, $2 … in that order; every other parameter is written into the statement."""
    if not may_prepare(connection):
        return False
    from psycopg2.extensions import AsIs

    def text_of(cursor):
        numbered = list(params)
        for n, (position, _type) in enumerate(holes, start=1):
            numbered[position] = AsIs(f"${n}")
        return f"({', '.join(t for _p, t in holes)}) AS {cursor.mogrify(sql, numbered).decode()}"

    prepare(connection, name, text_of)
    return True


def id_slots(a, b, pairs: dict) -> list[tuple[int, str]] | None:
    """Where two compilations' parameters ``a`` and ``b`` differ, each position with the name of the
    id put there: ``pairs`` maps each first sentinel to (name, second sentinel). None when anything
    else differs (an id inside an array parameter cannot be filled) or a date or a time is among
    the parameters (it would go stale in a kept statement). accounts.scoping_shapes.template does
    the same for a user's shape, region prefixes included."""
    if len(a) != len(b) or any(isinstance(x, datetime.date) for x in a):
        return None
    slots = []
    for position, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        if type(x) is not int or x not in pairs or pairs[x][1] != y:
            return None
        slots.append((position, pairs[x][0]))
    return slots


class KeptQuery:
    """A queryset of model rows built from a few ids (``build(**ids)``), compiled once per thread,
    language and database and run again with other ids (prepared on PostgreSQL): a case page's small
    queries cost more to compile than to run. The ids' places among the parameters are found from
    two compilations with ids no row has; a build those cannot explain (an id written into the SQL,
    a date among the parameters) is built and run per call, as Django would."""

    SENTINELS = (-1_000_000_101, -2_000_000_101)

    def __init__(self, build, names: tuple[str, ...]):
        self.build, self.names = build, names
        self._local = threading.local()

    def __call__(self, **ids) -> list:
        from django.db import connections
        from django.utils.translation import get_language

        connection = connections["default"]
        kept = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = {}
        key = (get_language(), connection.alias)
        if key not in kept:
            kept[key] = self._compile(connection)
        entry = kept[key]
        if entry is None:
            return list(self.build(**ids))
        rows, sql, params, slots, name = entry
        values = list(params)
        for position, id_name in slots:
            values[position] = ids[id_name]
        with connection.cursor() as cursor:
            if prepare_with_holes(connection, name, sql, params, [(p, "bigint") for p, _n in slots]):
                holes = ", ".join(["%s"] * len(slots))
                cursor.execute(f"EXECUTE {name}({holes})", [values[p] for p, _n in slots])
            else:
                cursor.execute(sql, values)
            return rows.objects(connection, cursor.fetchall())

    def _compile(self, connection):
        compiled = []
        for sentinel in self.SENTINELS:
            compiler = self.build(
                **{name: sentinel - i for i, name in enumerate(self.names)}
            ).query.get_compiler(connection=connection)
            compiled.append((compiler, *compiler.as_sql()))
        (compiler, sql, a), (_other, other_sql, b) = compiled
        first, second = self.SENTINELS
        pairs = {first - i: (name, second - i) for i, name in enumerate(self.names)}
        slots = id_slots(list(a), list(b), pairs) if sql == other_sql else None
        if slots is None:
            return None
        if {name for _p, name in slots} != set(self.names) or compiler.query.is_sliced:
            return None
        name = "jiefen_kept_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
        return Rows(compiler), sql, tuple(a), slots, name
