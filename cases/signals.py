"""Calendar edits queue a recomputation of the open deadlines of that year (after commit)."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cases.models import CalendarDay, CalendarYear
from cases.tasks import recompute_deadlines

logger = logging.getLogger(__name__)


def _queue(year: int) -> None:
    def send():
        try:
            recompute_deadlines.delay(year)
        except Exception:  # noqa: BLE001 - the broker may be down; the admin's edit must still succeed
            logger.exception("could not queue the deadline recomputation for %s; run it by hand", year)

    transaction.on_commit(send)


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_day_changed(sender, instance, **kwargs):
    _queue(instance.date.year)


@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_year_changed(sender, instance, **kwargs):
    _queue(instance.year)
