"""The Celery application.

Broker and result backend come from settings (``CELERY_*``): Redis when ``REDIS_URL`` or
``CELERY_BROKER_URL`` is set, otherwise kombu's filesystem transport under ``var/celery`` so that
``make run`` needs no server.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jiefen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _settle_heap(**_kwargs):
    """Each worker process, once it has loaded the tasks: its long-lived objects out of the
    collector's way (config/heap.py), as the web server's are."""
    from config import heap

    heap.settle()
