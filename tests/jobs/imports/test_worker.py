"""A large import through a real Celery worker on Redis, killed halfway through writing: nothing is
committed, and running the job again imports every row exactly once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Case, Person, TimelineEntry
from jobs.imports.jobs import store_upload
from jobs.models import Job, JobKind, JobStatus
from jobs.runner import run_job
from tests.jobs.imports.helpers import file_of, rows

ROOT = Path(__file__).resolve().parents[3]
QUEUE = f"import-test-{os.getpid()}"
ROWS = 1500


def start_worker(media):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "CELERY_RESULT_BACKEND": settings.REDIS_URL,
        "MEDIA_ROOT": str(media),
        "VAR_DIR": str(media.parent),
        # Batches of 100 (not 1,000): the kill lands with several batches in the open transaction.
        "IMPORT_WRITE_BATCH": "100",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-l", "INFO",
         "-Q", QUEUE, "-n", f"{QUEUE}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_writing_commits_nothing_and_a_rerun_imports_once(tmp_path, settings):
    from accounts.demo import seed_demo
    from accounts.models import User
    from config.celery import app

    seed_demo()
    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.get(username="zhuji_mediator")
    name, data = file_of(rows(n=ROWS))
    params = {
        "importer": "dispute",
        "filename": name,
        "path": store_upload(name, data),
        "language": "zh-hans",
    }
    job = Job.objects.create(kind=JobKind.IMPORT, owner=user, unit_id=user.unit_id, params=params)
    worker = start_worker(settings.MEDIA_ROOT)
    try:
        with app.connection_for_write(settings.REDIS_URL) as conn:
            app.send_task("jobs.tasks.run_job", args=[job.pk], queue=QUEUE, connection=conn)
        deadline = time.monotonic() + 120
        # Checking counts 0..ROWS, writing ROWS..2*ROWS: wait until a third of the rows are written.
        while time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            job.refresh_from_db()
            assert job.status != JobStatus.DONE, "the import finished before the kill; use more rows"
            if job.done > ROWS + ROWS // 3:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the worker never reached the writing phase")
    finally:
        worker.send_signal(signal.SIGKILL)
        output = worker.communicate()[0]
    assert "run_job" in output
    assert Case.objects.count() == 0 and Person.objects.count() == 0 and TimelineEntry.objects.count() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # as a redelivered message would find it
    # The redelivered message (here run directly) imports every row, once; a further one does nothing.
    assert run_job(job.pk) == "done"
    assert run_job(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report == {"created": ROWS}
    assert Case.objects.count() == ROWS == TimelineEntry.objects.filter(action="import").count()
    assert not (settings.MEDIA_ROOT / params["path"]).exists()
