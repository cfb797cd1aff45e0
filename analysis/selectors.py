"""Reads of warnings: every one passes accounts.scoping.visible_warnings (the one rule)."""

from django.db.models import Count, Q

from accounts.scoping import visible_cases, visible_warnings
from analysis.models import EarlyWarning, WarningStatus
from cases.models import Case

OPEN = (WarningStatus.RAISED, WarningStatus.SIGNED, WarningStatus.HANDLED)
PANEL_SIZE = 8


def warnings_for(user, *, status: str = "", mine: bool = False):
    queryset = EarlyWarning.objects.select_related("region", "unit", "rule")
    if status == "open":
        queryset = queryset.filter(status__in=OPEN)
    elif status in WarningStatus.values:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(unit_id=user.unit_id or 0)
    return visible_warnings(user, queryset).order_by("-raised_at", "-pk")


def status_counts(user) -> dict[str, int]:
    """Open warnings by status, of those the user sees (one query)."""
    counts = visible_warnings(user, EarlyWarning.objects.filter(status__in=OPEN)).aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in OPEN}
    )
    return {s: counts[s] for s in OPEN}


def cases_of(user, warning, relation: str) -> tuple[list, int]:
    """The cases behind (``evidence``) or linked to (``linked``) a warning that the user may see, and
    how many others there are (counted, never named)."""
    ids = list(getattr(warning, relation).values_list("pk", flat=True))
    shown = list(
        visible_cases(user, Case.objects.filter(pk__in=ids)).select_related("region").order_by("-opened_at")
    )
    return shown, len(ids) - len(shown)


def panel(user, *, mine: bool):
    """The home panel (``mine``: what the user's unit must act on) and the dashboard's (every open
    warning of the jurisdiction); None when there is nothing to show."""
    rows = warnings_for(user, status="open", mine=mine)
    shown = list(rows[: PANEL_SIZE + 1])
    if not shown:
        return None
    return {"warnings": shown[:PANEL_SIZE], "more": len(shown) > PANEL_SIZE, "mine": mine}
