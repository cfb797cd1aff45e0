"""Writing the append-only case timeline."""

from cases.models import TimelineEntry


def record(case, actor, action: str, description: str = "", *, before=None, after=None) -> TimelineEntry:
    """One timeline entry; ``actor`` is None for automatic changes (the scanner, a calendar edit)."""
    return TimelineEntry.objects.create(
        case_id=case.pk,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        description=description,
        before=before,
        after=after,
    )
