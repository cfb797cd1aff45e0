"""What the home inbox needs to know that only a case type knows, registered from its ``ready()``
(supervision, which draws the inbox, imports no case type).

``review_statuses``: the core ``Case.status`` values meaning "a review was asked for and must be
decided" (信访工作条例 §35: 复查, §36: 复核). ``review_queue(unit)``: the ids of the cases whose
pending review ``unit`` decides — the body one level above the one whose opinion is reviewed, never
the handler itself; ``unit`` is a unit id or an expression (OuterRef) for a count per user.
``due_after_closure_statuses``: the statuses of a closed case that can still owe something by a
date (a petition finalised by 复核 whose decision revoked or varied the opinion: the original unit
still reports by its ``petition_review_followup`` limit, 信访工作条例 §36), so the inbox's overdue
and due-soon lists keep such a case while it has an open deadline (``due_q``).
"""

from collections.abc import Callable

_REVIEW_STATUSES: set[str] = set()
_REVIEW_QUEUES: list[Callable] = []
_DUE_AFTER_CLOSURE: set[str] = set()


def register_review_statuses(*statuses: str) -> None:
    _REVIEW_STATUSES.update(statuses)


def register_review_queue(queue: Callable) -> None:
    """``queue(unit)`` -> a values() queryset of case ids awaiting a review decision by ``unit``."""
    if queue not in _REVIEW_QUEUES:
        _REVIEW_QUEUES.append(queue)


def review_statuses() -> frozenset[str]:
    return frozenset(_REVIEW_STATUSES)


def review_q(unit):
    """The filter of cases whose pending review ``unit`` decides (nothing when no type registered)."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for queue in _REVIEW_QUEUES:
        q |= Q(pk__in=queue(unit))
    return q


def register_due_after_closure(*statuses: str) -> None:
    _DUE_AFTER_CLOSURE.update(statuses)


def due_q():
    """The cases that can be due: open ones, and closed ones in a status registered above (which are
    due only while ``next_due_at`` is set, i.e. a deadline is open). A filter on ``cases_case``
    columns alone: the status branch reads the (handling_unit, status) index, no subquery."""
    from django.db.models import Q

    q = Q(closed_at__isnull=True)
    if _DUE_AFTER_CLOSURE:
        q |= Q(status__in=sorted(_DUE_AFTER_CLOSURE), next_due_at__isnull=False)
    return q
