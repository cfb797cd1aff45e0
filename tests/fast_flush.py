"""A cheaper flush after each transactional test on PostgreSQL.

Django empties the database after a transactional test (``transaction=True``, ``live_server``)
with one ``TRUNCATE`` of every table. TRUNCATE gives each of the ~60 tables and their indexes new
files, which costs 1 s on a quiet machine and 3 s or more on a busy disk, while the tables hold a
handful of rows. Here the same flush deletes the rows instead (every foreign key is DEFERRABLE, so
the order does not matter; they are checked at the commit, when nothing is left). TRUNCATE stays
for the tables that refuse DELETE (the append-only audit tables, cases migration 0012, whose
TRUNCATE the test settings allow) and for tables that a test filled with thousands of rows, where
TRUNCATE is the cheaper of the two. The flush leaves the same thing as before: every table empty,
sequences where they were, then Django's post_migrate refill.
"""

from django.db.backends.postgresql.operations import DatabaseOperations

BIG = 2000  # rows; above this a table is truncated, below it its rows are deleted
# Written by triggers when cases, petitions, visits and deadlines are deleted (cases/migrations/0035,
# reporting/migrations/0005-0008): emptied after them.
LAST = (
    "cases_open_tally",
    "reporting_petition_received_tally",
    "reporting_petition_handled_tally",
    "reporting_petition_visit_tally",
    "reporting_petition_deadline_months",
    "reporting_petition_deadline_tally",
    "reporting_case_opened_tally",
)

# Checked by triggers instead of a deferred key (supervision migration 0011): a deadline still named
# by a reminder is not deleted, so the reminders go first.
FIRST = ("cases_reminder",)

_original_sql_flush = DatabaseOperations.sql_flush


def _tables_to_truncate(connection, tables) -> set[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Tables with a row trigger refusing DELETE (the audit tables: BEFORE DELETE), and tables
        # with more than BIG rows. The tallies' AFTER DELETE triggers count the rows out, into
        # tables emptied last; they must not make their tables (the cases, and every table that
        # refers to them) truncated.
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND t.tgtype & 10 = 10",  # BEFORE, DELETE
            [list(tables)],
        )
        refusing = {row[0] for row in cursor.fetchall()}
        probe = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(t)} OFFSET {BIG})"  # noqa: S608 - table names from Django
            for t in tables
        )
        cursor.execute(probe, list(tables))
        big = {row[0] for row in cursor.fetchall()}
        # TRUNCATE wants every table that references a truncated one in the same statement.
        cursor.execute(
            "SELECT DISTINCT src.relname, dst.relname FROM pg_constraint k "
            "JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid "
            "WHERE k.contype = 'f'"
        )
        referenced_by = {}
        for src, dst in cursor.fetchall():
            referenced_by.setdefault(dst, set()).add(src)
    truncate, todo = set(), list(refusing | big)
    while todo:
        table = todo.pop()
        if table in truncate:
            continue
        truncate.add(table)
        todo.extend(referenced_by.get(table, ()))
    return truncate & set(tables)


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if not tables or reset_sequences or allow_cascade:
        return _original_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    last = [t for t in tables if t in LAST]
    truncate = _tables_to_truncate(self.connection, tables)
    tables = sorted((t for t in tables if t not in LAST), key=lambda t: t not in FIRST)
    sql = ["SET CONSTRAINTS ALL DEFERRED;"]
    if truncate - set(last):
        sql.append(f"TRUNCATE {', '.join(self.quote_name(t) for t in sorted(truncate - set(last)))};")
    sql += [f"DELETE FROM {self.quote_name(t)};" for t in tables if t not in truncate]  # noqa: S608 - Django's tables
    sql += [
        f"{'TRUNCATE' if t in truncate else 'DELETE FROM'} {self.quote_name(t)};"  # noqa: S608 - Django's tables
        for t in last
    ]
    return sql


def install():
    DatabaseOperations.sql_flush = sql_flush
