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

Everything else is as before: a transactional test (``transaction=True``, ``live_server``) seeds
the demo in the ordinary database and the flush at its end removes it; on SQLite (no PostgreSQL)
every ``demo`` test seeds it in its own transaction; a test whose connection is already inside a
transaction opened by a wider fixture (a module-scoped world) seeds it there too.

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

    def destroy(self):
        if self.ready:
            self.point_at(self.base)
            connections["default"].creation.destroy_test_db(verbosity=0, suffix=SUFFIX)
            self.name = None

    def point_at(self, name):
        point_at(name)

    def in_use(self) -> bool:
        return self.ready and connections["default"].settings_dict["NAME"] == self.name


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
    from django.conf import settings

    if settings.POSTGRES_AVAILABLE and any(wants_demo_database(item) for item in session.items):
        DEMO_DATABASE.create()


@contextmanager
def pointed_for(item):
    """The connection pointed at the demo copy for the duration, if ``item`` can use it."""
    connection = connections["default"]
    if not (DEMO_DATABASE.ready and wants_demo_database(item)) or connection.in_atomic_block:
        yield
        return
    DEMO_DATABASE.point_at(DEMO_DATABASE.name)
    try:
        yield
    finally:
        DEMO_DATABASE.point_at(DEMO_DATABASE.base)
