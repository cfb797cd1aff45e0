"""When administrators edit the holiday table, open deadlines that depend on the edited year are
recomputed in the background, and each case's timeline says so. Closed deadlines keep their
frozen on-time values: history is never rewritten."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from cases.calendar import WorkCalendar
from cases.deadlines import announce_change, compute_due, end_of_day, refresh_next_due
from cases.models import Deadline, DeadlineState
from cases.timeline import record

logger = logging.getLogger(__name__)


def recompute_open_deadlines(year: int) -> int:
    """Recompute every open, rule-computed deadline whose period touches ``year``; returns changes."""
    return recompute_counting(year)[0]


def recompute_counting(year: int) -> tuple[int, int]:
    """As ``recompute_open_deadlines``: (deadlines changed, of which the due date moved); the rest
    only stopped (or started) being estimated."""
    calendar = WorkCalendar()
    changed = moved = 0
    touching = Deadline.objects.filter(state=DeadlineState.OPEN, rule__amount__gt=0).filter(
        Q(start_date__year__lte=year) & Q(due_date__year__gte=year)
    )
    for deadline in touching.select_related("rule", "case").iterator(chunk_size=500):
        due, text = compute_due(
            deadline.rule,
            deadline.start_date,
            extra_days=deadline.extended_days,
            paused_days=deadline.paused_days,
            calendar=calendar,
        )
        if due.date == deadline.due_date and due.estimated == deadline.estimated:
            continue
        with transaction.atomic():
            old = deadline.due_date
            deadline.due_date, deadline.due_at = due.date, end_of_day(due.date)
            deadline.estimated, deadline.computation = due.estimated, text[:300]
            deadline.save(update_fields=["due_date", "due_at", "estimated", "computation"])
            announce_change(deadline)
            refresh_next_due(deadline.case)
            record(
                deadline.case,
                None,
                "deadline_recomputed",
                _("Holiday calendar changed: %(rule)s moves from %(old)s to %(new)s")
                % {
                    "rule": deadline.rule.label,
                    "old": formats.date_format(old, "DATE_FORMAT"),
                    "new": formats.date_format(due.date, "DATE_FORMAT"),
                },
                before={"due_date": old.isoformat()},
                after={"due_date": due.date.isoformat()},
            )
        changed += 1
        moved += old != due.date
    logger.info("recompute_open_deadlines(%s): %d changed, %d moved", year, changed, moved)
    return changed, moved
