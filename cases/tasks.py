"""Background work of the case core (Celery)."""

from celery import shared_task

from cases.recompute import recompute_open_deadlines
from cases.tally import fold


@shared_task(name="cases.tasks.recompute_deadlines")
def recompute_deadlines(year: int) -> int:
    """A calendar edit moved working days of ``year``: recompute the open deadlines (cases.signals)."""
    return recompute_open_deadlines(year)


@shared_task(name="cases.tasks.fold_open_tally")
def fold_open_tally() -> int:
    """Keep the open-case tally about one row per key (cases.tally.fold)."""
    return fold()
