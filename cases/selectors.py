"""Read-side queries of the case core. Every queryset passes through accounts.scoping."""

import datetime

from django.utils import timezone

from accounts.scoping import visible_cases

from .models import Case

INBOX_SIZE = 10


def open_cases(user):
    return visible_cases(user, Case.objects.filter(closed_at__isnull=True)).select_related(
        "region", "handling_unit", "handler"
    )


def inbox(user) -> dict[str, list[Case]]:
    """What waits for a user on the home page: a fixed number of queries whatever the data size."""
    soon = timezone.now() + datetime.timedelta(days=3)
    mine = open_cases(user).filter(handler_id=user.pk).order_by("next_due_at", "pk")
    unit = (
        open_cases(user).filter(handling_unit_id=user.unit_id).order_by("next_due_at", "pk")
        if user.unit_id
        else Case.objects.none()
    )
    due_soon = open_cases(user).filter(next_due_at__lte=soon).order_by("next_due_at", "pk")
    return {
        "mine": list(mine[:INBOX_SIZE]),
        "unit": list(unit[:INBOX_SIZE]),
        "due_soon": list(due_soon[:INBOX_SIZE]),
    }
