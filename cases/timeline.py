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


# Keys of a timeline entry's before/after that a case type names on the case page, with their
# labels (a case type registers its own in its AppConfig.ready; cases.templatetags shows them).
FIELD_LABELS: dict = {}


def label_fields(labels: dict) -> None:
    FIELD_LABELS.update(labels)


# Keys whose recorded value is a code (a session's outcome "agreed", a report's recipient "police"):
# the case page shows the code's label, not the code (a case type registers its choices).
VALUE_LABELS: dict = {}


def label_values(choices: dict) -> None:
    """``choices``: {key: TextChoices class or (code, label) pairs}."""
    for key, options in choices.items():
        pairs = options.choices if hasattr(options, "choices") else options
        VALUE_LABELS.setdefault(key, {}).update(dict(pairs))
