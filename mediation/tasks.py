"""Background work of the mediation case type (Celery beat; config.settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from mediation import session_reminders

logger = logging.getLogger(__name__)


@shared_task(name="mediation.tasks.remind_sessions")
def remind_sessions() -> int:
    """The day-before reminders of scheduled sessions; safe to run often, twice, or side by side."""
    written = session_reminders.remind_tomorrow()
    logger.info("remind_sessions: %d notifications", written)
    return written
