"""The demo county, seeded once per test session instead of once per test.

Seeding ``accounts.demo.seed_demo`` costs about 350 queries (0.3-0.5 s); more than 300 tests ask
for it. On PostgreSQL the session therefore keeps two databases made from the same migrations:

  test_<name>        the ordinary test database: migrations only (what a test without ``demo`` sees)
  test_<name>_demo   a copy of it (``CREATE DATABASE … TEMPLATE``) with the demo county committed

A test that asks for ``demo`` and runs in a rolled-back transaction (``django_db`` without
``transaction=True``, the usual case) is pointed at the demo copy before its transaction opens and
back at the ordinary database when it has been rolled back. Nothing is ever committed there (the
test's transaction is rolled back), so the copy stays exactly as seeded for the whole session and
every such test starts from migrations + demo, the same state as when it seeded the demo itself.

A transactional test (``transaction=True``, ``live_server``) commits, so on PostgreSQL it runs on a
database of its own, dropped when the test ends: a copy (``CREATE DATABASE … TEMPLATE``) of the demo
copy when it asks for ``demo``, of the ordinary test database otherwise, each as it was at the start
of the session (``…_pristine``, copied then: the rolled-back writes of later tests leave the files
of those two databases two or three times larger, and a copy costs by the size). It used to seed the
demo into the ordinary database and flush every table afterwards, then seed the reference data
again (~0.8 s a test, ~100 such tests); now neither the demo copy nor the ordinary database ever
holds what a transactional test wrote. On SQLite (no PostgreSQL) every ``demo`` test seeds it in its
own transaction and a transactional test is flushed as Django does it; a test whose connection is
already inside a transaction opened by a wider fixture (a module-scoped world) seeds it there too.

Switching is a change of the connection's NAME: Django builds every connection, also those of
threads a test starts, from that one settings dict. Content types are cached per process by id and
a transactional test's flush gives them new ids in the ordinary database, so the cache is cleared
at each switch.
"""

from contextlib import contextmanager

from django.db import connections

SUFFIX = "demo"


class DemoDatabase:
    def __init__(self):
        self.name = None  # the demo copy's name once it exists
        self.base = None  # the ordinary test database's name
        self.own = None  # the database of the transactional test running now, if any
        self.pristine_base = None  # the ordinary test database as the session found it
        self.own_has_demo = False

    @property
    def ready(self) -> bool:
        return self.name is not None

    def create(self):
        """Copy the freshly migrated test database and seed the demo county into the copy."""
        from django.db import transaction

        from accounts.demo import seed_demo

        connection = connections["default"]
        self.base = connection.settings_dict["NAME"]
        # CREATE DATABASE … TEMPLATE: a file copy; it closes the connection to the template first.
        connection.creation.clone_test_db(suffix=SUFFIX, verbosity=0)
        self.name = connection.creation.get_test_db_clone_settings(SUFFIX)["NAME"]
        self.point_at(self.name)
        try:
            with transaction.atomic():
                seed_demo()
        finally:
            self.point_at(self.base)
        _server().copy(self.name, pristine(self.name))

    def destroy(self):
        if self.ready:
            self.point_at(self.base)
            _server().drop(pristine(self.name))
            connections["default"].creation.destroy_test_db(verbosity=0, suffix=SUFFIX)
            self.name = None

    def point_at(self, name):
        point_at(name)

    def in_use(self) -> bool:
        """The connection's database holds the demo county already (the seeded copy, or a
        transactional test's own copy of it)."""
        name = connections["default"].settings_dict["NAME"]
        return (self.ready and name == self.name) or (name == self.own and self.own_has_demo)

    def on_own_copy(self) -> bool:
        return self.own is not None and connections["default"].settings_dict["NAME"] == self.own


def point_at(name):
    """Django's connection to database ``name`` from now on (the module docstring says why so)."""
    connection = connections["default"]
    if connection.settings_dict["NAME"] == name:
        return
    from django.contrib.contenttypes.models import ContentType

    connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


DEMO_DATABASE = DemoDatabase()


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    return transactional or bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


def wants_demo_database(item) -> bool:
    return "demo" in item.fixturenames and not is_transactional(item)


def create_if_needed(session):
    """The demo copy, when a test of the session asks for ``demo`` (a transactional one copies it),
    and the ordinary database's pristine copy when a test is transactional."""
    from django.conf import settings

    if not settings.POSTGRES_AVAILABLE:
        return
    base = connections["default"].settings_dict["NAME"]
    if any(is_transactional(item) for item in session.items):
        connections["default"].close()  # a template database must have no session open
        _server().copy(base, pristine(base))
        DEMO_DATABASE.pristine_base = pristine(base)
    if any("demo" in item.fixturenames for item in session.items):
        DEMO_DATABASE.create()


def destroy():
    DEMO_DATABASE.destroy()
    if DEMO_DATABASE.pristine_base:
        _server().drop(DEMO_DATABASE.pristine_base)
        DEMO_DATABASE.pristine_base = None
    global _SERVER
    if _SERVER is not None:
        _SERVER.close()
        _SERVER = None


def pristine(name: str) -> str:
    return f"{name}_pristine"


@contextmanager
def pointed_for(item):
    """The connection pointed, for the duration, at the demo copy if ``item`` can use it, or at a
    database of the test's own if it is transactional (PostgreSQL only)."""
    from django.conf import settings

    connection = connections["default"]
    if connection.in_atomic_block or not settings.POSTGRES_AVAILABLE:
        yield
    elif is_transactional(item) and DEMO_DATABASE.pristine_base:
        with own_copy(with_demo="demo" in item.fixturenames and DEMO_DATABASE.ready):
            yield
    elif DEMO_DATABASE.ready and wants_demo_database(item):
        DEMO_DATABASE.point_at(DEMO_DATABASE.name)
        try:
            yield
        finally:
            DEMO_DATABASE.point_at(DEMO_DATABASE.base)
    else:
        yield


_SERVER = None  # tests.template_database._Server, made once per process when a copy is first needed


def _server():
    from tests.template_database import _Server

    global _SERVER
    if _SERVER is None:
        _SERVER = _Server()
    return _SERVER


@contextmanager
def own_copy(*, with_demo: bool):
    """A copy of the pristine demo copy (or of the pristine ordinary test database) for one
    transactional test, dropped afterwards with whatever sessions the test left open on it (its
    Celery workers)."""
    base = connections["default"].settings_dict["NAME"]
    name = f"{base}_own"
    _server().copy(pristine(DEMO_DATABASE.name) if with_demo else DEMO_DATABASE.pristine_base, name)
    DEMO_DATABASE.own, DEMO_DATABASE.own_has_demo = name, with_demo
    point_at(name)
    try:
        yield
    finally:
        point_at(base)
        DEMO_DATABASE.own, DEMO_DATABASE.own_has_demo = None, False
        _server().drop(name, force=True)
