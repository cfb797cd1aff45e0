"""Webhooks through a real Celery worker on Redis (not eager): the receiver is down while cases move,
the beat task hands the pairs out, and after the receiver is back every event arrives exactly once,
in order per case. The steps' own after-commit messages go to this process's in-memory broker and
are lost, as in a broker outage: the beat task alone finds the rows again."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hooks.models import Delivery, DeliveryStatus, Event, Subscription
from petitions import workflow as wf
from tests.hooks.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"hooks-test-{os.getpid()}"


def start_worker(tmp_path):
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "CELERY_RESULT_BACKEND": settings.REDIS_URL,
        "VAR_DIR": str(tmp_path),
        "HOOK_RETRY_BASE_SECONDS": "0.2",
        "HOOK_RETRY_MAX_SECONDS": "1",
        "HOOK_TIMEOUT_SECONDS": "2",
        "HOOK_SUBSCRIPTION_CACHE_SECONDS": "0",
    }
    # The beat task's deliver_pair messages go to the default queue: the worker takes both.
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-l", "INFO",
         "-Q", f"{QUEUE},celery", "-n", f"{QUEUE}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def beat_tick():
    from config.celery import app

    with app.connection_for_write(settings.REDIS_URL) as conn:
        app.send_task("hooks.tasks.deliver_due", queue=QUEUE, connection=conn)


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_every_event_once_in_order_after_an_outage(tmp_path):
    from accounts.demo import TOWNS, seed_demo
    from accounts.models import User
    from tests.petitions.helpers import new_petition

    seed_demo()
    receiver = Receiver("s3cret")
    Subscription.objects.create(
        name="12345平台", url=receiver.url, secret="s3cret", events=[e.value for e in Event]
    )
    clerk = User.objects.get(username="zhuji_petition_clerk")
    town = User.objects.get(username="fengqiao_handler")
    day = timezone.localdate() - datetime.timedelta(days=20)
    cases = []
    for _i in range(3):
        p = new_petition(clerk, region=TOWNS["fengqiao"], received_on=day)
        wf.forward(p.pk, clerk, town.unit)
        wf.accept(p.pk, town)
        cases.append(p.pk)
    total = Delivery.objects.count()
    assert total == 9
    worker = start_worker(tmp_path)
    try:
        # Down: each case's first event is tried, nothing later, nothing delivered.
        deadline = time.monotonic() + 60
        beat_tick()
        while Delivery.objects.filter(attempts__gt=0).count() < 3:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.3)
        assert not Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
        assert not Delivery.objects.filter(seq__gt=1, attempts__gt=0).exists()
        receiver.up()
        deadline = time.monotonic() + 90
        while Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() < total:
            assert time.monotonic() < deadline, list(Delivery.objects.values("seq", "status", "last_error"))
            assert worker.poll() is None
            beat_tick()
            time.sleep(1.5)
    finally:
        receiver.down()
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "deliver_due:" in output
    got = {}
    for document in receiver.accepted:
        got.setdefault(document["case"]["id"], []).append(document["sequence"])
    assert got == {pk: [1, 2, 3] for pk in cases}
    assert len(receiver.seen_ids) == len(receiver.accepted) == total
