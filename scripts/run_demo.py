"""`make run`: the web server and an embedded Celery worker+beat, stopped together by Ctrl-C.

The worker uses kombu's filesystem transport under var/celery unless CELERY_BROKER_URL or
REDIS_URL is set, so the demo needs no server.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def demo_env(environ=os.environ) -> dict[str, str]:
    """The demo's environment: DEBUG off unless the developer asks (`make run DEBUG=1`), because a
    debug page shows any signed-in user a traceback with settings and SQL, and carries no CSP."""
    env = {**environ, "DEBUG": environ.get("DEBUG") or "0", "PYTHONUNBUFFERED": "1"}
    env.setdefault("HEARTBEAT_SECONDS", "30")
    # Text messages (a party told of a session, a mediator's reminder) are printed, not sent.
    env.setdefault("SMS_GATEWAY", "supervision.notify.ConsoleSmsGateway")
    return env


def main() -> int:
    port = os.environ.get("PORT", "8000")
    env = demo_env()
    var = Path(env.get("VAR_DIR", ROOT / "var"))
    for sub in ("celery/in", "celery/processed", "celery/results", "celery/control"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    python = sys.executable
    children = [
        subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env
        ),
        subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "-l",
                "INFO",
                "--concurrency",
                "1",
                "-s",
                str(var / "celery" / "beat-schedule"),
            ],
            cwd=ROOT,
            env=env,
        ),
    ]
    print(
        f"\n  解纷 Jiefen: http://127.0.0.1:{port}/  (Ctrl-C stops the server and the worker)\n", flush=True
    )

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        stop()
        return 0
    failed = [c.args[2] if len(c.args) > 2 else c.args for c in children if c.poll() not in (None, 0)]
    stop()
    if failed:
        print(f"stopped because a process exited: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
