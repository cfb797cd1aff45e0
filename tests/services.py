"""Private services for fault and concurrency tests: a Redis server and a PostgreSQL cluster of the
test's own, on free ports, so that a test may kill, restart or flood them without touching the shared
servers on 127.0.0.1 that other test runs use. Plus Celery worker/beat processes pointed at them."""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[1]
# Figures the fault and concurrency tests measured; tests/conftest.py prints them after the run.
FIGURES: list[str] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds=60, every=0.05) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return False


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


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
        if not wait_for(lambda: _answers(self.port), seconds=5, every=0.1):
            raise AssertionError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def postgres_bin() -> Path | None:
    """The newest installed server binaries, or None when a private cluster cannot be made (no
    initdb, or running as root without a ``postgres`` user to run it as)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        return None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None
    return Path(found[-1]).parent


class OwnPostgres:
    """A throw-away cluster made by initdb, on a free port, with room for hundreds of connections.

    initdb and the server refuse to run as root, so as root they run as the ``postgres`` system user.
    fsync is off: nothing here survives the test, and an immediate shutdown (a crash of the server
    process, not of the machine) still finds every committed transaction's WAL in the OS cache on
    restart. synchronous_commit stays on: with it off, a crash would lose commits clients were told
    about, which is not the server a deployment runs.
    """

    def __init__(self, max_connections=300):
        self.bin = postgres_bin()
        self.port = free_port()
        self.max_connections = max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="jiefen-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args, **kwargs):
        return subprocess.run(
            [*self.as_postgres, *args], check=True, capture_output=True, text=True, **kwargs
        )

    def start(self):
        if not (self.data / "PG_VERSION").exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync",
                      "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
            f"-c max_connections={self.max_connections} -c fsync=off -c shared_buffers=64MB"
        )
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o", options,
                  "start")  # fmt: skip

    def stop(self, mode="fast"):
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self):
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name=None) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name or connection.settings_dict['NAME']}"

    def clone_test_database(self):
        """Copy the test database as it is now (schema and committed rows) into this cluster."""
        db = settings.DATABASES["default"]
        name = connection.settings_dict["NAME"]
        psql = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                "-v", "ON_ERROR_STOP=1"]  # fmt: skip
        subprocess.run([*psql, "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', "-c",
                        f'CREATE DATABASE "{name}"'], check=True, capture_output=True)  # fmt: skip
        dump = subprocess.Popen(
            [str(self.bin / "pg_dump"), "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres",
             "--no-owner", "--no-privileges", name],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        subprocess.run([*psql, "-d", name], stdin=dump.stdout, check=True, capture_output=True)
        assert dump.wait() == 0

    @contextmanager
    def serving_django(self):
        """Point Django's default alias at this cluster for the block. Every thread's connection is
        built from the same settings dict, so threads started inside the block use it too."""
        settings_dict = connections.settings["default"]
        connections["default"].close()
        saved = settings_dict["HOST"], settings_dict["PORT"]
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(self.port)
        try:
            yield
        finally:
            connections["default"].close()
            settings_dict["HOST"], settings_dict["PORT"] = saved


def celery_env(*, broker: str, database_url: str | None = None, var_dir, **extra) -> dict:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url
        or f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "VAR_DIR": str(var_dir),
        # Deliver whatever the wall clock says, so the tests do not depend on when CI runs.
        "REMINDER_SEND_FROM": "00:00",
        "REMINDER_SEND_UNTIL": "23:59:59",
        "REMINDER_WORKDAYS_ONLY": "false",
        **{k: str(v) for k, v in extra.items()},
    }


def celery_process(role: str, env: dict, log_path) -> subprocess.Popen:
    """``role`` is "worker" (solo pool: one task at a time in the main process, so SIGKILL hits the
    process doing the work) or "beat" (PersistentScheduler, schedule file under VAR_DIR)."""
    args = (
        ["worker", "--pool", "solo"]
        if role == "worker"
        else ["beat", "-s", f"{env['VAR_DIR']}/beat-schedule"]
    )
    log = open(log_path, "ab")  # noqa: SIM115 - the child keeps it; closed with the process
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args, "-l", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    finally:
        log.close()


def stop_process(proc: subprocess.Popen, sig=signal.SIGTERM, timeout=30) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def waiting_on_advisory_lock(key: int) -> bool:
    """Whether exactly one backend waits for the transaction-level advisory lock ``key`` (a number
    that fits 32 bits: pg_locks gives it as objid)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s", [key]
        )
        return cur.fetchone()[0] == 1
