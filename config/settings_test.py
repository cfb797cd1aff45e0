"""Settings for the test suite.

PostgreSQL and Redis on 127.0.0.1 are used when they answer (``DATABASE_URL`` and ``REDIS_URL``
override the addresses); otherwise the suite runs on SQLite and the tests marked
``requires_postgres`` / ``requires_redis`` are skipped and counted (see tests/conftest.py).
"""

import os
import socket
from urllib.parse import urlparse


def _answers(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), 1):
            return True
    except OSError:
        return False


_pg_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiefen")
POSTGRES_AVAILABLE = _pg_url.startswith("postgres") and _answers(_pg_url, 5432)
if POSTGRES_AVAILABLE:
    os.environ["DATABASE_URL"] = _pg_url
else:
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "test.sqlite3"
    )

_redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1 … under `make test` (pytest-xdist)
if _worker.startswith("gw") and _redis_url.rsplit("/", 1)[-1].isdigit():
    # Each process its own Redis database, as each has its own PostgreSQL test databases.
    _base, _db = _redis_url.rsplit("/", 1)
    _redis_url = f"{_base}/{(int(_db) + 1 + int(_worker[2:])) % 16}"
REDIS_AVAILABLE = _answers(_redis_url, 6379)
os.environ["REDIS_URL"] = _redis_url if REDIS_AVAILABLE else ""
# The suite itself never needs a broker: tests that exercise Celery start a real worker on Redis.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("CELERY_RESULT_BACKEND", "cache+memory://")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Subscriptions are read once per process (saving one clears it): a step's query count stays the same.
HOOK_SUBSCRIPTION_CACHE_SECONDS = 10**9

if POSTGRES_AVAILABLE:
    # The audit tables refuse TRUNCATE (cases migration 0012) unless the session sets this. Only
    # the test suite does, for the flush after each transactional test; UPDATE and DELETE stay
    # refused here too, so the tests exercise the same triggers as production.
    # The suite's own connections also commit without waiting for the WAL to reach the disk: a
    # crash of the shared test server loses nothing the suite needs, and a transactional test's
    # commits no longer wait on a busy disk. Celery workers started by the fault tier use
    # config.settings, so the crash tests still see durable commits.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c jiefen.allow_audit_truncate=on -c synchronous_commit=off"
    )

# Tests check figures right after changing data: the dashboard's short cache (supervision.dashboard.cached)
# is off unless a test switches it on.
DASHBOARD_CACHE_SECONDS = 0
# The same for the filter forms' reference lists (cases.choices): tests that count queries switch
# it on; elsewhere a table seeded again after a transactional test is read as it is.
REFERENCE_CACHE_SECONDS = 0

# The access matrix and schemathesis call the API thousands of times; tests/api/test_throttle.py
# sets a low rate of its own. Throttle counters in memory, not in the shared Redis.
API_THROTTLE_RATE = "1000000/minute"
CACHES = {**CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}}  # noqa: F405
