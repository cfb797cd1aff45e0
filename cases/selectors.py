"""Read-side queries of the case core. Every queryset passes through accounts.scoping."""

import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import sees_a_large_jurisdiction, visible_cases
from cases.models import Case, CaseParty

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


def parties_with_people():
    """A case's party links with their people: one query (a join) instead of two prefetches."""
    from django.db.models import Prefetch

    return Prefetch("parties", queryset=CaseParty.objects.select_related("person"))


# The case lists' two orders: (column, descending), then the primary key descending.
BY_DUE_DATE = (("next_due_at", False), ("opened_at", True))
NEWEST = (("opened_at", True),)


def list_order(user, columns) -> list:
    """ORDER BY expressions for a case list (ascending columns with nulls last), then newest id.

    A county or more is read in this order along the list-order indexes up to the page. For a
    smaller jurisdiction the same order is written as COALESCE(column, column), which no index
    matches, so PostgreSQL sorts the few thousand visible cases instead of walking an index past
    millions of others (a village: 250 ms -> 15 ms; docs/performance.md). The order is the same.
    """
    large = sees_a_large_jurisdiction(user)
    order = []
    for column, descending in columns:
        value = F(column) if large else Coalesce(column, column)
        # Exactly the indexes' orders: ascending with nulls last, descending with PostgreSQL's default.
        order.append(value.desc() if descending else value.asc(nulls_last=True))
    return [*order, F("pk").desc()]


def other_cases_of_parties(user, case) -> dict[int, list[dict]]:
    """Person id -> the other disputes and petitions of that party which ``user`` may see.

    One query whatever the number of parties; cases the user may not see are never named.
    """
    person_ids = [link.person_id for link in case.parties.all()]
    rows = (
        visible_cases(user, Case.objects.filter(parties__person_id__in=person_ids).exclude(pk=case.pk))
        .values("pk", "number", "kind", "status", "parties__person_id")
        .order_by("-opened_at", "pk")
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["parties__person_id"], []).append(row)
    return found
