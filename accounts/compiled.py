"""Statements the ORM compiled once and runs again with other values: the request user's
(accounts.backends), a case page's (accounts.scoping_case), the visibility rule for many pairs
(accounts.scoping_pairs). Their rows become objects the way Django's ModelIterable makes them, and on
PostgreSQL they run as server-side prepared statements, prepared once per database session.

PREPARE is not transactional (a rollback keeps it) and goes through the raw cursor, so no request's
query count changes with whether its connection was new. Off with PREPARED_STATEMENTS=False, for a
pooler that shares sessions between clients (PgBouncer in transaction mode).
"""

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
