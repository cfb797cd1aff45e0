"""Background jobs of the case core."""

import logging
import socket

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.heartbeat")
def heartbeat() -> str:
    """Prove that the worker and beat run: log a line and record the time."""
    from .models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name="celery", defaults={"last_seen": now, "hostname": socket.gethostname()}
    )
    logger.info("heartbeat: worker alive at %s", timezone.localtime(now).isoformat())
    return now.isoformat()
