"""Faults with exact counts, against a Redis server of the test's own (so the shared one is never
stopped): a worker SIGKILLed in the middle of delivering, and Redis stopped and started again."""

import datetime
import os
import shutil
import signal
import socket
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
from cases.models import Notification, Reminder, ScanRun
from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    def __init__(self, tmp_path):
        self.port, self.dir, self.proc = free_port(), tmp_path, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def worker(redis, tmp_path, batch):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": redis.url,
        "CELERY_RESULT_BACKEND": redis.url,
        "VAR_DIR": str(tmp_path),
        "REMINDER_SEND_FROM": "00:00",
        "REMINDER_SEND_UNTIL": "23:59:59",
        "REMINDER_WORKDAYS_ONLY": "false",
        "REMINDER_SEND_BATCH": str(batch),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def send_scan(redis):
    from config.celery import app

    with app.connection_for_write(redis.url) as conn:
        app.send_task("cases.tasks.scan_deadlines", connection=conn)


def seed(n):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    user = User.objects.get(username="xianjin_mediator")
    today = timezone.localdate()
    for _ in range(n):
        case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
        open_deadline(case, "performance", today, due_date=today + datetime.timedelta(days=1))
    return user


def wait_for(predicate, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def delivered(user):
    return Notification.reminders.through.objects.filter(notification__user=user)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_delivering_then_restarted(tmp_path):
    user = seed(600)
    redis = OwnRedis(tmp_path)
    redis.start()
    w = worker(redis, tmp_path, batch=5)
    try:
        send_scan(redis)
        # Kill it once some batches are committed and others are not.
        assert wait_for(lambda: Reminder.objects.filter(state="sent").exists())
        os.kill(w.pid, signal.SIGKILL)
        w.wait()
        partial = Reminder.objects.filter(state="sent").count()
        assert 0 < partial < 600, "the kill did not land mid-delivery"
        assert delivered(user).count() == partial  # committed batches only, nothing half-written
        w = worker(redis, tmp_path, batch=50)
        send_scan(redis)  # the next beat tick
        assert wait_for(lambda: not Reminder.objects.filter(state="pending").exists())
    finally:
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)
        redis.stop()
    assert Reminder.objects.count() == 600
    assert delivered(user).count() == 600
    assert delivered(user).values("reminder_id").distinct().count() == 600


@pytest.mark.django_db(transaction=True)
def test_redis_down_and_back_up(tmp_path):
    user = seed(50)
    redis = OwnRedis(tmp_path)
    redis.start()
    w = worker(redis, tmp_path, batch=500)
    try:
        redis.stop()  # the broker goes away; beat's ticks are lost, nothing else is
        with pytest.raises(Exception):  # noqa: B017 - any broker error will do
            from config.celery import app

            with app.connection_for_write(redis.url) as conn:
                conn.ensure_connection(max_retries=1)
        assert Reminder.objects.count() == 0
        redis.start()  # same port: the worker reconnects
        for _ in range(60):  # beat keeps ticking; the first tick after the reconnect runs the scan
            send_scan(redis)
            if wait_for(ScanRun.objects.exists, seconds=1):
                break
        assert ScanRun.objects.exists()
        assert wait_for(
            lambda: Reminder.objects.count() == 50 and not Reminder.objects.filter(state="pending").exists()
        )
        send_scan(redis)  # a second tick after recovery changes nothing
        assert wait_for(lambda: ScanRun.objects.filter(finished_at__isnull=False).count() >= 2)
    finally:
        w.send_signal(signal.SIGTERM)
        w.wait(timeout=30)
        redis.stop()
    assert delivered(user).count() == 50
    assert delivered(user).values("reminder_id").distinct().count() == 50
