"""Suite-wide fixtures and the service markers.

``requires_postgres`` / ``requires_redis`` tests are skipped when the service does not answer
(config/settings_test.py probes 127.0.0.1), and the summary says how many were skipped and why.
"""

import pytest
from django.conf import settings

SERVICE_SKIPS = {"requires_postgres": 0, "requires_redis": 0}


def pytest_collection_modifyitems(config, items):
    available = {
        "requires_postgres": settings.POSTGRES_AVAILABLE,
        "requires_redis": settings.REDIS_AVAILABLE,
    }
    for item in items:
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
    from tests.services import FIGURES

    for line in FIGURES:  # measured by the concurrency and fault tests (SECURITY.md quotes them)
        terminalreporter.write_line(line)


@pytest.fixture
def demo(db):
    """The demo county with its units and users (accounts.demo)."""
    from accounts.demo import seed_demo

    seed_demo()
    from accounts.models import User

    return {u.username: u for u in User.objects.all()}


# Reference data that data migrations seed. A transactional test flushes every table when it ends,
# so the next transactional test gets it back from the same seed functions.
SEED_MIGRATIONS = [
    "accounts.migrations.0002_role_groups:create_roles",
    "cases.migrations.0002_seed_holidays:seed",
    "cases.migrations.0004_deadline_rules:seed",
    "cases.migrations.0006_dispute_seed:seed",
    "petitions.migrations.0002_categories:seed",
]


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for spec in SEED_MIGRATIONS:
        module, function = spec.split(":")
        getattr(importlib.import_module(module), function)(_AppsOfToday(apps), None)


class _AppsOfToday:
    """The live app registry under the names a seed migration used when it was written: the dispute
    reference tables were "cases" models then and are "mediation" models now (cases/0025)."""

    MOVED = {("cases", "disputecategory"): "mediation", ("cases", "risklevel"): "mediation"}

    def __init__(self, apps):
        self.apps = apps

    def get_model(self, app_label, model_name):
        return self.apps.get_model(self.MOVED.get((app_label, model_name.lower()), app_label), model_name)
