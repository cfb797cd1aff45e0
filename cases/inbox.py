"""What the home inbox needs to know that only a case type knows, registered from its ``ready()``
(supervision, which draws the inbox, imports no case type).

``review_statuses``: the core ``Case.status`` values meaning "a review was asked for and must be
decided" (信访工作条例 §35: 复查, §36: 复核). ``review_queue(unit)``: the ids of the cases whose
pending review ``unit`` decides — the body one level above the one whose opinion is reviewed, never
the handler itself; ``unit`` is a unit id or an expression (OuterRef) for a count per user.
"""

from collections.abc import Callable

_REVIEW_STATUSES: set[str] = set()
_REVIEW_QUEUES: list[Callable] = []


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
