"""10,000 due deadlines through the faults of shared/reliability.md §1 row 7: the scan run twice, two
scanners at once, a worker SIGKILLed mid-batch, Redis down, beat down, PostgreSQL restarted.

Each time: expected (deadlines due) = created (Reminder rows) = delivered (in-app notifications that
carry the reminder), 0 lost, 0 duplicated, and after the fault ends everything is delivered within
two scan intervals. Real processes throughout: a Celery worker and beat on a Redis server of the
test's own, and for the restart a PostgreSQL cluster of the test's own (never the shared servers).

Time is compressed: beat scans every ``INTERVAL`` seconds here (production: SCAN_DEADLINES_SECONDS,
300 s), and each outage lasts longer than one interval, so at least one beat tick falls into it (lost
with Redis down, never sent with beat down, a failed task with PostgreSQL down). The catch-up time is
measured from the moment the failed part is back (restart, or the server answering again).

The interval is long enough for the bar to hold on a busy machine: `make test` runs these two tests
in a pytest process of their own beside the rest of the suite (marker ``separate``), where their
Celery worker shares the two cores with the suite's processes. A catch-up is the wait for beat's next
tick (up to one interval) plus the scan and delivery of 10,000 (~8 s on a quiet machine, 2-3× that
beside the suite) plus, after a kill, the worker's start.
"""

import datetime
import os
import signal
import threading
import time
from dataclasses import dataclass

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.demo import VILLAGES
from cases.deadlines import open_deadline
from cases.models import Case, Deadline
from supervision.models import Notification, Reminder, ScanRun, named_reminder_ids
from tests.factories import CaseFactory
from tests.services import (
    FIGURES,
    OwnPostgres,
    OwnRedis,
    celery_env,
    celery_process,
    postgres_bin,
    stop_process,
    wait_for,
)

N = 10_000
INTERVAL = 45.0  # beat's scan interval in these tests, seconds (production: 300 s; the docstring says why 45)
LOST_TICK = "Couldn't apply scheduled task scan-deadlines"  # what beat logs when a send fails
BATCH = 500  # REMINDER_SEND_BATCH in these tests (default 20,000): reminders per delivery transaction

pytestmark = [pytest.mark.requires_postgres, pytest.mark.requires_redis]


def mediator():
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    return User.objects.get(username="xianjin_mediator")


def seed_due(n, user, tag):
    """``n`` open cases handled by ``user``, each with one deadline due tomorrow (so exactly one
    reminder each: "due tomorrow"). One case is made the ordinary way; the rest are copies of it
    made by two INSERT … SELECT statements (10,000 ORM saves would take longer than the faults)."""
    today = timezone.localdate()
    case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit, summary=tag)
    deadline = open_deadline(case, "performance", today, due_date=today + datetime.timedelta(days=1))
    case_cols = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
    deadline_cols = [f.column for f in Deadline._meta.concrete_fields if f.column not in ("id", "case_id")]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO cases_case ({', '.join(case_cols)}) SELECT {', '.join(case_cols)} "  # noqa: S608 - column names from the model
            "FROM cases_case, generate_series(2, %s) WHERE id = %s",
            [n, case.pk],
        )
        cur.execute(
            f"INSERT INTO cases_deadline (case_id, {', '.join(deadline_cols)}) "  # noqa: S608
            f"SELECT c.id, {', '.join('d.' + c for c in deadline_cols)} FROM cases_case c, cases_deadline d "
            "WHERE d.id = %s AND c.summary = %s AND c.id <> %s",
            [deadline.pk, tag, case.pk],
        )
    assert Deadline.objects.filter(case__summary=tag, state="open").count() == n


@dataclass
class Tally:
    expected: int
    created: int
    delivered: int
    lost: int
    duplicated: int
    reminded_twice: int  # deadlines with more than one reminder row

    def line(self):
        return (
            f"expected {self.expected}, created {self.created}, delivered {self.delivered}, "
            f"lost {self.lost}, duplicated {self.duplicated}"
        )


def tally(tag) -> Tally:
    expected = Deadline.objects.filter(case__summary=tag).count()
    reminders = Reminder.objects.filter(deadline__case__summary=tag)
    links = _links(tag)
    delivered = len(set(links))
    twice = reminders.values("deadline_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return Tally(expected, reminders.count(), delivered, expected - delivered, len(links) - delivered, twice)


def _links(tag) -> list[int]:
    """The reminder ids of the tag's cases named by a digest, once per naming."""
    ids = set(Reminder.objects.filter(deadline__case__summary=tag).values_list("pk", flat=True))
    return [r for r in named_reminder_ids(Notification.objects.filter(kind="reminder")) if r in ids]


def assert_exact(t: Tally):
    assert t == Tally(N, N, N, 0, 0, 0), t


def delivered_count(tag) -> int:
    return len(_links(tag))


def caught_up(tag, since, limit=2 * INTERVAL) -> float:
    """Seconds from ``since`` until every reminder of ``tag`` is delivered (polled every 0.25 s);
    fails beyond two scan intervals, the bar of shared/reliability.md."""
    assert wait_for(lambda: delivered_count(tag) >= N, seconds=limit, every=0.25), tally(tag)
    return time.monotonic() - since


def deliver_anytime(settings):
    settings.REMINDER_SEND_FROM, settings.REMINDER_SEND_UNTIL = "00:00", "23:59:59"
    settings.REMINDER_WORKDAYS_ONLY = False


# --- the scan run twice, and two scanners at once (plain functions, as beat and cron call them) ---


@pytest.mark.django_db
def test_scan_run_twice(settings):
    from supervision.tasks import scan_deadlines

    deliver_anytime(settings)
    seed_due(N, mediator(), "twice")
    started = time.perf_counter()
    first = scan_deadlines()
    elapsed = time.perf_counter() - started
    second = scan_deadlines()
    assert first == {"decided": N, "delivered": N} and second == {"decided": 0, "delivered": 0}
    t = tally("twice")
    assert_exact(t)
    FIGURES.append(f"faults: scan run twice: {t.line()}; first run {elapsed:.1f} s, second decided 0")


@pytest.mark.django_db(transaction=True)
def test_two_scanners_at_once(settings):
    from supervision.tasks import scan_deadlines

    deliver_anytime(settings)
    seed_due(N, mediator(), "two")
    start = threading.Barrier(2)
    results: list = [None, None]

    def run(i):
        try:
            connection.ensure_connection()
            start.wait()
            results[i] = scan_deadlines()
        except Exception as exc:  # noqa: BLE001 - asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["delivered"] for r in results) == N  # SKIP LOCKED: each batch went to one of them
    t = tally("two")
    assert_exact(t)
    split = " + ".join(str(r["delivered"]) for r in results)
    FIGURES.append(f"faults: two scanners at once (own connections): {t.line()}; delivered {split}")


# --- worker, beat and Redis as real processes ---------------------------------------------------


class Cluster:
    """Redis, a worker and beat of the test's own, pointed at the test database (or another)."""

    def __init__(self, tmp_path, database_url=None):
        self.tmp = tmp_path
        self.redis = OwnRedis(tmp_path)
        self.database_url = database_url
        self.worker = self.beat = None

    def env(self):
        return celery_env(
            broker=self.redis.url, database_url=self.database_url, var_dir=self.tmp,
            SCAN_DEADLINES_SECONDS=INTERVAL, HEARTBEAT_SECONDS=3600, REMINDER_SEND_BATCH=BATCH,
        )  # fmt: skip

    def start_worker(self):
        self.worker = celery_process("worker", self.env(), self.tmp / "worker.log")

    def start_beat(self):
        self.beat = celery_process("beat", self.env(), self.tmp / "beat.log")

    def tick(self):
        """What beat sends on each tick (used to start a run at once instead of after one interval)."""
        from config.celery import app

        with app.connection_for_write(self.redis.url) as conn:
            app.send_task("supervision.tasks.scan_deadlines", connection=conn)

    def queued(self) -> int:
        """Messages waiting in the default queue (a list in Redis)."""
        import redis

        return redis.Redis.from_url(self.redis.url).llen("celery")

    def log(self, name):
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self):
        for proc in (self.beat, self.worker):
            if proc is not None:
                stop_process(proc)
        self.redis.stop()


def worker_in_transaction() -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return cur.fetchone()[0] > 0


def worker_idle() -> bool:
    """No other connection to the test database did anything in the last second: the worker has
    finished the task it was running (it holds at most one message: prefetch 1, acks late)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
            "AND (state <> 'idle' OR state_change > now() - interval '1 second')"
        )
        return cur.fetchone()[0] == 0


def sent_count(tag):
    return Reminder.objects.filter(deadline__case__summary=tag, state="sent").count()


@pytest.mark.separate
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_beat_down_redis_down(tmp_path):
    """Three faults in a row on one set of processes, each with its own 10,000 deadlines."""
    user = mediator()
    cluster = Cluster(tmp_path)
    cluster.redis.start()
    seed_due(N, user, "kill")
    cluster.start_worker()
    cluster.start_beat()
    try:
        # 1. The worker is SIGKILLed while it delivers; the batch in flight leaves nothing behind.
        cluster.tick()
        assert wait_for(lambda: sent_count("kill") > 0, seconds=60), cluster.log("worker")
        assert wait_for(worker_in_transaction, seconds=10)  # kill it inside a batch, not between two
        os.kill(cluster.worker.pid, signal.SIGKILL)
        cluster.worker.wait()
        partial = sent_count("kill")
        assert 0 < partial < N, "the kill did not land mid-delivery"
        assert partial % BATCH == 0 and delivered_count("kill") == partial  # whole batches only
        restarted = time.monotonic()
        cluster.start_worker()  # beat's next tick finds the rest pending
        kill_catch_up = caught_up("kill", restarted)
        assert_exact(tally("kill"))
        kill = tally("kill")

        # 2. Beat is down for more than an interval: nothing is scanned; back up, it catches up.
        stop_process(cluster.beat)
        # Ticks beat sent before it stopped may still be queued: let the worker run them first.
        assert wait_for(lambda: cluster.queued() == 0 and worker_idle(), seconds=60)
        quiet = timezone.now()
        seed_due(N, user, "beat")
        time.sleep(INTERVAL + 1)  # the tick due within one interval of the stop is missed
        assert not ScanRun.objects.filter(started_at__gte=quiet).exists()
        assert not Reminder.objects.filter(deadline__case__summary="beat").exists()
        restarted = time.monotonic()
        cluster.start_beat()
        beat_catch_up = caught_up("beat", restarted)
        assert_exact(tally("beat"))
        beat = tally("beat")

        # 3. Redis is down for more than an interval: beat's ticks in it are lost (it only logs).
        failed_before = cluster.log("beat").count(LOST_TICK)
        cluster.redis.stop()
        down = time.monotonic()
        assert wait_for(worker_idle, seconds=60)  # a task it was running when Redis went finishes
        quiet = timezone.now()
        seed_due(N, user, "redis")
        time.sleep(max(0.0, INTERVAL + 1 - (time.monotonic() - down)))
        assert not ScanRun.objects.filter(started_at__gte=quiet).exists()
        assert not Reminder.objects.filter(deadline__case__summary="redis").exists()
        cluster.redis.start()  # same port: worker and beat reconnect on their own
        restarted = time.monotonic()
        redis_catch_up = caught_up("redis", restarted)
        lost_ticks = cluster.log("beat").count(LOST_TICK) - failed_before
        assert_exact(tally("redis"))
        redis = tally("redis")
    finally:
        cluster.stop()
    assert "scan-deadlines" in cluster.log("beat")
    # Across the three sets: one link per reminder, no notification shared between two deliveries.
    links = named_reminder_ids(Notification.objects.filter(user=user))
    assert len(links) == len(set(links)) == 3 * N
    FIGURES.extend(
        [
            f"faults: worker SIGKILLed mid-batch after {partial} sent ({partial // BATCH} whole batches of {BATCH}), "
            f"restarted: {kill.line()}; caught up {kill_catch_up:.1f} s after the restart (2 intervals = {2 * INTERVAL:.0f} s)",
            f"faults: beat down {INTERVAL + 1:.0f} s (0 scans started), restarted: {beat.line()}; caught up "
            f"{beat_catch_up:.1f} s after the restart",
            f"faults: Redis down {restarted - down:.0f} s ({lost_ticks} beat tick(s) logged as lost), back: {redis.line()}; caught up "
            f"{redis_catch_up:.1f} s after Redis answered",
        ]
    )


@pytest.mark.skipif(
    postgres_bin() is None, reason="initdb is not installed: no private PostgreSQL to restart"
)
@pytest.mark.separate
@pytest.mark.django_db(transaction=True)
def test_postgres_restarted_mid_delivery(tmp_path):
    """The database crashes (immediate shutdown) while the worker delivers, and comes back."""
    user = mediator()
    seed_due(N, user, "pg")
    pg = OwnPostgres(max_connections=50)
    pg.start()
    try:
        pg.clone_test_database()
        cluster = Cluster(tmp_path, database_url=pg.url())
        cluster.redis.start()
        cluster.start_worker()
        cluster.start_beat()
        try:
            with pg.serving_django():
                cluster.tick()
                assert wait_for(lambda: sent_count("pg") > 0, seconds=60), cluster.log("worker")
                partial = sent_count("pg")
            pg.stop("immediate")  # no checkpoint, no goodbye to clients: a crash of the server
            down = time.monotonic()
            time.sleep(INTERVAL + 1)  # the scan beat sends meanwhile fails in the worker
            pg.start()  # crash recovery replays the WAL
            restarted = time.monotonic()
            with pg.serving_django():
                assert sent_count("pg") >= partial  # committed batches survived the crash
                catch_up = caught_up("pg", restarted)
                t = tally("pg")
                links = named_reminder_ids(Notification.objects.filter(user_id=user.pk))
                assert len(links) == len(set(links)) == N
        finally:
            cluster.stop()
        failed = cluster.log("worker").count("raised unexpected: OperationalError")
    finally:
        pg.remove()
    assert_exact(t)
    assert 0 < partial < N, "the crash did not land mid-delivery"
    FIGURES.append(
        f"faults: PostgreSQL crashed (immediate stop) mid-delivery after {partial} sent, down "
        f"{restarted - down:.0f} s ({failed} scan task(s) failed on it), restarted: {t.line()}; caught up {catch_up:.1f} s after it accepted connections"
    )
