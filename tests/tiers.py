"""The slow tiers of the suite, marked by test file so that ``make test-fast`` can leave them out
(``make test`` runs everything). A file is named here rather than marked inside, so a tier is read
in one place; tests/test_tiers.py fails when a name here matches no test file any more.

  fault        real processes started, killed and restarted: Celery worker/beat, Redis, PostgreSQL
  concurrency  many threads on their own database connections
  hostile      every hostile payload through every form (tests/security/test_hostile_*)
  matrix       the access matrix: every URL × role × place (tests/security/test_access_matrix),
               every state × role × relation: shown equals allowed (tests/test_step_walk.py), and
               every API operation against its OpenAPI schema (tests/api/test_schemathesis.py)
  browser      headless Chromium (tests/browser; marked in the files themselves)
"""

from fnmatch import fnmatch
from pathlib import Path

TIERS = {
    "fault": (
        "tests/*/test_faults_*.py",
        "tests/*/test_reminder_worker.py",
        "tests/jobs/test_worker.py",
        "tests/jobs/imports/test_worker.py",
        "tests/jobs/imports/test_command_killed.py",
        "tests/hooks/test_worker.py",
    ),
    "concurrency": ("tests/*/test_concurrency_*.py", "tests/*/test_dispute_concurrency.py"),
    "hostile": ("tests/security/test_hostile_*.py", "tests/grids/test_hostile_*.py"),
    "matrix": (
        "tests/security/test_access_matrix.py",
        "tests/test_step_walk.py",
        "tests/api/test_schemathesis.py",  # every API operation against its schema, live server
    ),
    "browser": ("tests/browser/test_*.py",),
}
ROOT = Path(__file__).resolve().parents[1]


def tiers_of(path) -> list[str]:
    relative = Path(path).resolve().relative_to(ROOT).as_posix()
    return [tier for tier, patterns in TIERS.items() if any(fnmatch(relative, p) for p in patterns)]
