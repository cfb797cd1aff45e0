"""What the home inbox needs to know that only a case type knows, registered from its ``ready()``
(supervision, which draws the inbox, imports no case type).

``review_statuses``: the core ``Case.status`` values meaning "a review was asked for and the
handling unit must decide it" (信访工作条例 §35: 复查, §36: 复核).
"""

_REVIEW_STATUSES: set[str] = set()


def register_review_statuses(*statuses: str) -> None:
    _REVIEW_STATUSES.update(statuses)


def review_statuses() -> frozenset[str]:
    return frozenset(_REVIEW_STATUSES)
