"""``manage.py import_cases`` SIGKILLed when half of a good file's rows are written: 0 rows committed
(shared/reliability.md §1 row 6). The worker path is tests/jobs/imports/test_worker.py."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from cases.models import Case, CaseNumberCounter, CaseParty, Deadline, Person, TimelineEntry
from tests.jobs.imports.helpers import file_of, rows
from tests.services import FIGURES, celery_env

ROOT = Path(__file__).resolve().parents[3]
ROWS = 1000
BATCH = 100  # the writer's batch (IMPORT_WRITE_BATCH): the kill lands between two of its statements


def ids_taken(start: int) -> int:
    """Case ids drawn since ``start``. Sequences are not transactional, so another connection sees
    how many rows the import has inserted in its still-open transaction."""
    with connection.cursor() as cur:
        cur.execute("SELECT last_value, is_called FROM cases_case_id_seq")
        last, called = cur.fetchone()
    return (last if called else last - 1) - start


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_import_command_killed_halfway_through_writing_commits_nothing(tmp_path):
    from accounts.demo import seed_demo

    seed_demo()
    name, data = file_of(rows(n=ROWS))
    path = tmp_path / name
    path.write_bytes(data)
    start = ids_taken(0)
    env = celery_env(broker="memory://", var_dir=tmp_path, IMPORT_WRITE_BATCH=BATCH)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_cases", str(path), "--user", "zhuji_mediator"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and ids_taken(start) < ROWS // 2:
            time.sleep(0.01)
        written = ids_taken(start)
    finally:
        proc.send_signal(signal.SIGKILL)
        output = proc.communicate()[0]
    assert proc.returncode == -signal.SIGKILL, output  # killed, not finished or failed
    assert ROWS // 2 <= written < ROWS, f"the kill landed at {written} of {ROWS} rows written"
    counts = {
        model.__name__: model.objects.count() for model in (Case, CaseParty, Person, TimelineEntry, Deadline)
    }
    assert counts == dict.fromkeys(counts, 0), counts
    assert not CaseNumberCounter.objects.filter(last__gt=0).exists()
    FIGURES.append(
        f"faults: import_cases SIGKILLed with {written} of {ROWS} rows inserted in its transaction: "
        f"{sum(counts.values())} rows committed ({', '.join(f'{k} {v}' for k, v in counts.items())})"
    )
