"""Handing (subscription, case) pairs to the worker. The task is named, not imported: hooks.tasks
imports the modules that call this."""

import logging

from celery import current_app

logger = logging.getLogger(__name__)
DELIVER_PAIR = "hooks.tasks.deliver_pair"


def kick(pairs) -> None:
    """One task per pair. Called after the commit (``on_commit(…, robust=True)``): a broker that is
    down must not turn a committed step into an error; the beat finds the rows again."""
    for subscription_id, case_id in dict.fromkeys(pairs):
        try:
            current_app.signature(DELIVER_PAIR, args=(subscription_id, case_id)).delay()
        except Exception:
            logger.exception("webhook pair %s/%s not queued; the beat will send it", subscription_id, case_id)
