"""A real Celery worker against Redis runs the heartbeat task (no eager mode)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from jobs.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_on_redis_runs_the_heartbeat(tmp_path):
    db = settings.DATABASES["default"]
    broker = settings.REDIS_URL
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The worker writes to the test database this test created.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-l",
            "INFO",
            "-Q",
            f"heartbeat-test-{os.getpid()}",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        from config.celery import app

        with app.connection_for_write(broker) as conn:
            result = app.send_task(
                "jobs.tasks.heartbeat", queue=f"heartbeat-test-{os.getpid()}", connection=conn
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(name="celery").exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.3)
        assert WorkerHeartbeat.objects.filter(name="celery").exists(), "the worker never ran the task"
        assert result.id
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "heartbeat: worker alive" in output
