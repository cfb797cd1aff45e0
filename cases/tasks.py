"""Background jobs of the case core (Celery). Each is also a management command or a plain function,
so the same code runs from beat, from cron, and in tests."""

import logging
import socket

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.heartbeat")
def heartbeat() -> str:
    """Prove that the worker and beat run: log a line and record the time."""
    from cases.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name="celery", defaults={"last_seen": now, "hostname": socket.gethostname()}
    )
    logger.info("heartbeat: worker alive at %s", timezone.localtime(now).isoformat())
    return now.isoformat()


@shared_task(name="cases.tasks.scan_deadlines")
def scan_deadlines() -> dict:
    """Decide and deliver reminders; safe to run often, twice, or from two workers at once."""
    from cases.reminders import scan, send

    decided = scan()
    delivered = send()
    logger.info("scan_deadlines: %d decided, %d delivered", decided, delivered)
    return {"decided": decided, "delivered": delivered}


@shared_task(name="cases.tasks.send_reminders")
def send_reminders() -> int:
    """Deliver pending reminders only (scan_deadlines also does this after each scan); for a
    deployment that wants delivery on its own schedule or queue. Same claims, so safe alongside."""
    from cases.reminders import send

    return send()


@shared_task(name="cases.tasks.recompute_deadlines")
def recompute_deadlines(year: int) -> int:
    from cases.recompute import recompute_open_deadlines

    return recompute_open_deadlines(year)


@shared_task(name="cases.tasks.supervisor_digest")
def supervisor_digest() -> int:
    from cases.reminders import supervisor_digest as run

    return run()


@shared_task(name="cases.tasks.run_job")
def run_job(job_id: int) -> str:
    """One user's background job (cases.jobs): an import, a batch of PDFs."""
    from cases.jobs import run_job as run

    return run(job_id)
