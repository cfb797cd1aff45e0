"""config.heap: the web application, once loaded, is out of the garbage collector's way in the
process that serves it (config/wsgi.py, config/asgi.py), and so is each Celery worker process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_served_application_is_frozen_once_loaded(module):
    code = f"import gc, {module}; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) > 50_000  # Django and the apps: ~160,000 objects


def test_each_worker_process_freezes_what_it_loaded():
    from celery.signals import worker_process_init

    import config.celery

    assert config.celery._settle_heap in [r() for _key, r in worker_process_init.receivers]
