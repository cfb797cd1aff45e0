"""The scan through a real Celery worker on Redis (not eager): run twice, worker killed and
restarted, and every due reminder delivered in-app exactly once."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.demo import VILLAGES
from cases.deadlines import open_deadline
from supervision.models import Notification, Reminder, ScanRun, named_reminder_ids
from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"scan-test-{os.getpid()}"


def start_worker(tmp_path):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "CELERY_RESULT_BACKEND": settings.REDIS_URL,
        "VAR_DIR": str(tmp_path),
        # Deliver whatever the wall clock says, so the test does not depend on when CI runs.
        "REMINDER_SEND_FROM": "00:00",
        "REMINDER_SEND_UNTIL": "23:59:59",
        "REMINDER_WORKDAYS_ONLY": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-l", "INFO",
         "-Q", QUEUE, "-n", f"{QUEUE}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def run_task(worker):
    """Send the task through Redis and wait until the worker has finished one more scan run."""
    from config.celery import app

    done_before = ScanRun.objects.filter(finished_at__isnull=False).count()
    with app.connection_for_write(settings.REDIS_URL) as conn:
        app.send_task("supervision.tasks.scan_deadlines", queue=QUEUE, connection=conn)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.stdout.read()
        if ScanRun.objects.filter(finished_at__isnull=False).count() > done_before:
            # The scan is done; delivery follows in the same task: wait for the outbox to drain.
            time.sleep(1)
            if not Reminder.objects.filter(state="pending").exists():
                return
        time.sleep(0.3)
    raise AssertionError("the worker did not finish the scan")


def stop(worker, sig=signal.SIGTERM):
    worker.send_signal(sig)
    try:
        return worker.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate()[0]


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_scans_twice_and_after_a_kill_delivers_each_reminder_once(tmp_path):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    user = User.objects.get(username="xianjin_mediator")
    today = timezone.localdate()
    for i in range(40):
        case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
        open_deadline(case, "performance", today, due_date=today + datetime.timedelta(days=i % 2))
    worker = start_worker(tmp_path)
    try:
        run_task(worker)
        after_first = Notification.objects.count()
        run_task(worker)
    finally:
        stop(worker, signal.SIGKILL)  # killed, as a crash would
    assert Notification.objects.count() == after_first
    worker = start_worker(tmp_path)
    try:
        run_task(worker)
    finally:
        output = stop(worker)
    assert "scan_deadlines:" in output
    assert Notification.objects.count() == after_first
    assert Reminder.objects.count() == 40 and Reminder.objects.filter(state="sent").count() == 40
    linked = named_reminder_ids(Notification.objects.filter(user=user))
    assert len(linked) == 40 and len(set(linked)) == 40
