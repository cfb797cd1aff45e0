"""The migrated test database, made once per set of migrations and copied for every test process.

Running the migrations costs 20-30 s of CPU (Django renders the project's models again after most of
the ~100 operations); every pytest process used to pay it for its own test database: both processes
of ``make test``'s xdist run, the process of the ``separate`` tests beside it, every run of the edit loop. On PostgreSQL
the first process to need it now migrates its test database as before and keeps a copy of it,
``jiefen_tpl_<key>`` (``CREATE DATABASE … TEMPLATE``); every later process, this run's or a later
one's, creates its test database as a copy of that (~1 s) and lets Django check it (``migrate`` on a
migrated database does nothing).

The key is a digest of everything a migration's result depends on: the migration files, the modules
they import from the project (ID encryption, the people register's digests, models), the settings and
Django's version. A change to any of them gives a new key and so a freshly migrated copy; older
copies beyond the newest few are dropped. A PostgreSQL advisory lock makes the processes of one run
(and concurrent runs) take turns: the second process waits for the first one's copy instead of
migrating too.
"""

import hashlib
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "jiefen_tpl_"
KEEP = 3  # copies kept for other checkouts of the project on the same server (older keys)
LOCK = 0x6A6965666E  # pg_advisory_lock key shared by every run on the server
# Project modules the migrations import, besides models (a seed that encrypts ID numbers, digests).
IMPORTED = ("cases/idcrypt.py", "cases/people.py", "config/settings.py", "config/settings_test.py")


def inputs(root: Path = ROOT) -> list[Path]:
    """The files whose content decides what ``migrate`` makes, in a fixed order."""
    skip = {".venv", "node_modules", "tests", "var", ".git"}
    found = set()
    for pattern in ("*/migrations/*.py", "*/models.py", "*/models/*.py"):
        found.update(p for p in root.glob(pattern) if p.relative_to(root).parts[0] not in skip)
    found.update(root / name for name in IMPORTED if (root / name).exists())
    return sorted(found)


def key(root: Path = ROOT) -> str:
    import django

    digest = hashlib.sha256(django.get_version().encode())
    for path in inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def template_name() -> str:
    return PREFIX + key()


class _Server:
    """A connection of its own to the server's maintenance database, outside Django's connections
    (it holds the advisory lock while Django's connection migrates, and creates databases)."""

    def __init__(self):
        import psycopg2
        from django.db import connections

        params = connections["default"].get_connection_params()
        params["dbname"] = "postgres"
        params.pop("options", None)
        self.conn = psycopg2.connect(**params)
        self.conn.autocommit = True

    def run(self, sql, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def exists(self, name) -> bool:
        return bool(self.run("SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    def drop(self, name, *, force=False):
        from psycopg2 import sql

        # FORCE ends the sessions still open on it (PostgreSQL 13 and later).
        statement = "DROP DATABASE IF EXISTS {} WITH (FORCE)" if force else "DROP DATABASE IF EXISTS {}"
        self.run(sql.SQL(statement).format(sql.Identifier(name)))

    def copy(self, source, target):
        from psycopg2 import sql

        self.drop(target)
        self.run(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source))
        )

    def drop_old_templates(self, keep: str):
        rows = self.run(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s ORDER BY oid DESC",
            [PREFIX + "%", keep],
        )
        for (name,) in rows[KEEP - 1 :]:
            # In use by another run: it stays until a later run drops it.
            with suppress(Exception):
                self.drop(name)

    def close(self):
        self.conn.close()


@contextmanager
def copied_from_template():
    """Yields True when the test database has been created as a copy of the migrated template (Django
    is to keep it and only check its migrations), False when Django is to create and migrate it; in
    that case the migrated database becomes the template when the block ends."""
    from django.conf import settings
    from django.db import connections

    if not settings.POSTGRES_AVAILABLE:
        yield False
        return
    connection = connections["default"]
    test_name = connection.creation._get_test_db_name()
    template = template_name()
    server = _Server()
    try:
        server.run("SELECT pg_advisory_lock(%s)", [LOCK])
        if server.exists(template):
            server.copy(template, test_name)
            server.run("SELECT pg_advisory_unlock(%s)", [LOCK])
            yield True
            return
        yield False  # the lock is held while Django migrates: the other processes wait for the copy
        connection.close()  # a template must have no other session
        server.copy(test_name, template)
        server.drop_old_templates(keep=template)
    finally:
        server.close()  # ends the session, and with it the advisory lock if still held


@contextmanager
def scratch_copy():
    """Django's connection pointed, for the block, at a copy of the migrated template of its own,
    dropped afterwards: a test that migrates backwards (cases/0026-0027) need not migrate the test
    database forward again to leave it as the next tests expect (~40 % of such a test)."""
    from django.db import connections

    from tests.demo_database import point_at

    base = connections["default"].settings_dict["NAME"]
    name = f"{base}_scratch"
    server = _Server()
    try:
        server.copy(template_name(), name)
        point_at(name)
        try:
            yield
        finally:
            point_at(base)
            server.drop(name)
    finally:
        server.close()
