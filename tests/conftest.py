"""Suite-wide fixtures, the service markers and the tier markers (tests/tiers.py).

``requires_postgres`` / ``requires_redis`` tests are skipped when the service does not answer
(config/settings_test.py probes 127.0.0.1), and the summary says how many were skipped and why.
"""

import gc

import pytest
from django.conf import settings

from tests import demo_database, fast_flush, figures
from tests.deep_stack import on_deep_stack
from tests.demo_database import DEMO_DATABASE, create_if_needed, pointed_for
from tests.template_database import copied_from_template
from tests.tiers import tiers_of

fast_flush.install()  # DELETE instead of TRUNCATE after transactional tests (tests/fast_flush.py)

SERVICE_SKIPS = {"requires_postgres": 0, "requires_redis": 0}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """pytest's own protocol for the test (``_pytest.runner``), made on a deep stack (tests.deep_stack):
    its set-up, call and tear-down never cross a chunk of CPython 3.11's frame stack back and forth."""
    from _pytest import runner

    return on_deep_stack(lambda: runner.pytest_runtest_protocol(item, nextitem))


def pytest_collection_finish(session):
    """What the process holds once the suite is collected (Django, the apps, pytest's items) frozen
    out of the garbage collector's way, as a served process freezes its loaded application
    (config/heap.py), and the youngest generation collected every 20,000 allocations instead of 700:
    a test of thousands of requests spent ~6 % of its time collecting, mostly walking those
    long-lived objects again (3 passing tests measured: 4.1 s of 72 -> 1.5 s, 430 MB at most)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def pytest_collection_modifyitems(config, items):
    available = {
        "requires_postgres": settings.POSTGRES_AVAILABLE,
        "requires_redis": settings.REDIS_AVAILABLE,
    }
    for item in items:
        for tier in tiers_of(item.path):  # fault, concurrency, hostile, matrix, browser (tests/tiers.py)
            item.add_marker(tier)
        for marker, ok in available.items():
            if item.get_closest_marker(marker) and not ok:
                SERVICE_SKIPS[marker] += 1
                item.add_marker(pytest.mark.skip(reason=f"{marker}: service not reachable"))


def pytest_terminal_summary(terminalreporter):
    db = "PostgreSQL" if settings.POSTGRES_AVAILABLE else "SQLite"
    redis = "Redis" if settings.REDIS_AVAILABLE else "no Redis"
    terminalreporter.write_line(
        f"services: {db}, {redis}; skipped for a missing service: "
        f"{SERVICE_SKIPS['requires_postgres']} need PostgreSQL, {SERVICE_SKIPS['requires_redis']} need Redis"
    )
    # Measured by the concurrency and fault tests (SECURITY.md quotes them).
    for line in figures.collected(terminalreporter.config):
        terminalreporter.write_line(line)


def pytest_sessionstart(session):
    figures.start(session.config)


def pytest_sessionfinish(session):
    figures.hand_over()  # a pytest-xdist process's figures, for the summary the main process prints


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database as pytest-django's own fixture makes it, but on PostgreSQL copied from the
    migrated template when one exists (tests/template_database.py), plus the demo county's copy
    (tests/demo_database.py). pytest-django's --reuse-db and --create-db are not used here."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        with copied_from_template() as copied:
            config = setup_databases(
                verbosity=verbosity, interactive=False, aliases=aliases,
                serialized_aliases=serialized_aliases, keepdb=copied,
            )  # fmt: skip
        create_if_needed(request.session)
    yield
    with django_db_blocker.unblock():
        demo_database.destroy()
        teardown_databases(config, verbosity=verbosity)


@pytest.fixture
def _demo_database_switch(request, django_db_setup):
    with pointed_for(request.node):
        yield


@pytest.fixture
def _django_db_helper(_demo_database_switch, _django_db_helper):
    """pytest-django's per-test database set-up, run after the connection has been pointed at the
    demo copy when the test asks for ``demo``, or at a database of its own when it is transactional
    (the switch must precede the test's transaction)."""
    yield


@pytest.fixture
def demo(db):
    """The demo county with its units and users (accounts.demo): {username: User}.

    Seeded once per session into a copy of the test database (tests/demo_database.py); seeded here
    when the test cannot use the copy (transactional tests, SQLite)."""
    from accounts.models import User

    if not DEMO_DATABASE.in_use():
        from accounts.demo import seed_demo

        seed_demo()
    return {u.username: u for u in User.objects.all()}


# Reference data that data migrations seed. On SQLite a transactional test flushes every table when
# it ends; the seed functions put it back right after that flush, so every test, whatever ran before
# it on its process (pytest-xdist's worksteal hands a process tests from anywhere in the order),
# finds the database as the migrations left it. On PostgreSQL a transactional test runs on a copy of
# its own, dropped afterwards, and nothing is flushed (tests/demo_database.py).
SEED_MIGRATIONS = [
    "accounts.migrations.0002_role_groups:create_roles",
    "cases.migrations.0002_seed_holidays:seed",
    "cases.migrations.0004_deadline_rules:seed",
    "cases.migrations.0006_dispute_seed:seed",
    "petitions.migrations.0002_categories:seed",
    "petitions.migrations.0009_review_followup:seed",
    "cases.migrations.0031_english_names:english",
    "mediation.migrations.0005_english_names:english",
    "mediation.migrations.0006_routes:seed",
    "petitions.migrations.0010_english_names:english",
    "analysis.migrations.0002_seed_rules:seed",
    "analysis.migrations.0003_overdue_counts:seed",
    "analysis.migrations.0004_people_rules:seed",
    "analysis.migrations.0006_overdue_rate_conversions_reminders:seed",
]


def _reseed_reference_data():
    import importlib

    from django.apps import apps

    for spec in SEED_MIGRATIONS:
        module, function = spec.split(":")
        getattr(importlib.import_module(module), function)(_AppsOfToday(apps), None)


def _install_reseed_after_flush():
    from django.db import transaction
    from django.test.testcases import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        if DEMO_DATABASE.on_own_copy():
            return  # the test's own database is dropped instead (tests/demo_database.py)
        flush(self)
        with transaction.atomic():
            _reseed_reference_data()

    TransactionTestCase._fixture_teardown = _fixture_teardown


_install_reseed_after_flush()


class _AppsOfToday:
    """The live app registry under the names a seed migration used when it was written: the dispute
    reference tables were "cases" models then and are "mediation" models now (cases/0025)."""

    MOVED = {("cases", "disputecategory"): "mediation", ("cases", "risklevel"): "mediation"}

    def __init__(self, apps):
        self.apps = apps

    def get_model(self, app_label, model_name):
        return self.apps.get_model(self.MOVED.get((app_label, model_name.lower()), app_label), model_name)
