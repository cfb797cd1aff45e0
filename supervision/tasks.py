"""Background work of supervision (Celery). Each is also a management command or a plain function,
so the same code runs from beat, from cron, and in tests."""

import logging

from celery import shared_task

from supervision import reminders

logger = logging.getLogger(__name__)


@shared_task(name="supervision.tasks.scan_deadlines")
def scan_deadlines() -> dict:
    """Decide and deliver reminders; safe to run often, twice, or from two workers at once."""
    decided = reminders.scan()
    delivered = reminders.send()
    logger.info("scan_deadlines: %d decided, %d delivered", decided, delivered)
    return {"decided": decided, "delivered": delivered}


@shared_task(name="supervision.tasks.send_reminders")
def send_reminders() -> int:
    """Deliver pending reminders only (scan_deadlines also does this after each scan); for a
    deployment that wants delivery on its own schedule or queue. Same claims, so safe alongside."""
    return reminders.send()


@shared_task(name="supervision.tasks.supervisor_digest")
def supervisor_digest() -> int:
    return reminders.supervisor_digest()
