"""Background work of the jobs app (Celery): users' jobs and the worker heartbeat."""

import logging
import socket

from celery import shared_task
from django.utils import timezone

from jobs import runner
from jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@shared_task(name="jobs.tasks.heartbeat")
def heartbeat() -> str:
    """Prove that the worker and beat run: log a line and record the time."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name="celery", defaults={"last_seen": now, "hostname": socket.gethostname()}
    )
    logger.info("heartbeat: worker alive at %s", timezone.localtime(now).isoformat())
    return now.isoformat()


@shared_task(name=runner.RUN_JOB_TASK)
def run_job(job_id: int) -> str:
    """One user's background job (jobs.runner): an import, a batch of PDFs, a list export."""
    return runner.run_job(job_id)
