"""Webhook work for the Celery worker; each is a plain function too (hooks.sender, hooks.events)."""

import logging

from celery import shared_task

from hooks import events, sender

logger = logging.getLogger(__name__)


@shared_task(name="hooks.tasks.deliver_pair")
def deliver_pair(subscription_id: int, case_id: int) -> int:
    return sender.deliver_pair(subscription_id, case_id)


@shared_task(name="hooks.tasks.deliver_due")
def deliver_due() -> dict:
    """Beat: overdue deadlines become events, and every pair whose head is due is handed out, one
    task per pair, so a dead receiver holds up only its own."""
    collected = events.collect_overdue()
    pairs = sender.due_pairs()
    for subscription_id, case_id in pairs:
        deliver_pair.delay(subscription_id, case_id)
    logger.info("deliver_due: %d reminders read, %d pairs handed out", collected, len(pairs))
    return {"reminders": collected, "pairs": len(pairs)}
