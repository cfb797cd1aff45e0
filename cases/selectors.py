"""Read-side queries of the case core. Every queryset passes through accounts.scoping."""

import datetime

from django.db.models import Case as Choose
from django.db.models import Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import (
    AmongIds,
    cases_beyond_view,
    countable_beyond_view,
    visibility_flag,
    visible_cases,
)
from accounts.scoping_case import visible_values
from accounts.scoping_regions import sees_a_large_jurisdiction
from cases.inbox import due_q, review_q, review_statuses
from cases.models import Case, CaseParty

INBOX_SIZE = 10


def open_cases(user):
    return visible_cases(user, Case.objects.filter(closed_at__isnull=True)).select_related(
        "region", "handling_unit", "handler"
    )


def own_work(user) -> Q:
    """What the user and their unit must do: cases they handle or their unit handles."""
    q = Q(handler_id=user.pk)
    if user.unit_id:
        q |= Q(handling_unit_id=user.unit_id)
    return q


def reviews_waiting(user):
    """Visible open cases in a review-requested state (registered by the case types, cases.inbox)
    whose pending review the user's unit decides (the reviewing body, 信访工作条例 §35-36)."""
    if not user.unit_id:
        return Case.objects.none()
    return open_cases(user).filter(review_q(user.unit_id), status__in=review_statuses())


def inbox(user, *, due_soon_until: datetime.datetime, now: datetime.datetime | None = None) -> dict:
    """The case sections of the home inbox, INBOX_SIZE rows each, most urgent first: five queries
    whatever the data size. ``overdue`` and ``due_soon`` split at ``now``, so an overdue case is
    never "due soon"; each overdue case carries ``days_late`` (calendar days since it fell due)."""
    now = now or timezone.now()
    # Due work includes a closed case that still owes something by a date (cases.inbox.due_q).
    own = (
        visible_cases(user, Case.objects.filter(due_q()))
        .select_related("region", "handling_unit", "handler")
        .filter(own_work(user))
        .order_by("next_due_at", "pk")
    )
    unit = (
        open_cases(user).filter(handling_unit_id=user.unit_id).order_by("next_due_at", "pk")
        if user.unit_id
        else Case.objects.none()
    )
    sections = {
        "overdue": list(own.filter(next_due_at__lt=now)[:INBOX_SIZE]),
        "due_soon": list(own.filter(next_due_at__gte=now, next_due_at__lte=due_soon_until)[:INBOX_SIZE]),
        "reviews": list(reviews_waiting(user).order_by("next_due_at", "pk")[:INBOX_SIZE]),
        "mine": list(open_cases(user).filter(handler_id=user.pk).order_by("next_due_at", "pk")[:INBOX_SIZE]),
        "unit": list(unit[:INBOX_SIZE]),
    }
    today = timezone.localdate(now)
    for rows in sections.values():
        for case in rows:
            if case.next_due_at is not None and case.next_due_at < now:
                case.days_late = max(1, (today - timezone.localdate(case.next_due_at)).days)
    return sections


def case_parties():
    """A case's parties with the details given on that case: one query, no join to the register
    (cases.people: pages never show the register's values)."""
    from django.db.models import Prefetch

    return Prefetch("parties", queryset=CaseParty.objects.all())


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


def other_cases_of_parties(user, case) -> dict[int, dict]:
    """Person id -> what ``user`` may learn of that party's other disputes and petitions (the
    register links them): ``seen``, the cases the user may see, with number, kind and status; and
    ``beyond``, of the others only how many and the units handling them (SECURITY.md, "Personal
    data"). An accusation withheld from the user's unit is not even counted (信访工作条例 §30).

    One query whatever the number of parties: the visibility rule is a column of it, and the
    number of a case the user may not see never leaves the database.
    """
    person_ids = sorted({link.person_id for link in case.parties.all()})
    # The statement is compiled once per shape of user (accounts.scoping_case.visible_values).
    rows = visible_values(user, _register_matches, person_ids, case.pk)
    found: dict[int, dict] = {}
    counted: set[tuple] = set()
    for row in rows:
        if (row["person"], row["pk"]) in counted:  # the same person in two roles of one case
            continue
        counted.add((row["person"], row["pk"]))
        entry = found.setdefault(row["person"], {"seen": [], "beyond": Beyond()})
        if row["seen"]:
            entry["seen"].append({"pk": row["pk"], "number": row["shown_number"], "kind": row["kind"],
                                  "status": row["status"]})  # fmt: skip
        else:
            entry["beyond"].add(row["unit"])
    return found


def _register_matches(user, person_ids: list, case_pk: int):
    """The other cases of these people, what ``user`` may learn of each (other_cases_of_parties)."""
    return (
        Case.objects.filter(AmongIds(person_ids, "parties__person_id"))
        .exclude(pk=case_pk)
        .filter(countable_beyond_view(user))
        .annotate(seen=visibility_flag(user))
        .annotate(
            shown_number=Choose(When(seen=True, then=F("number")), default=Value("")),
            person=F("parties__person_id"),
            unit=F("handling_unit__name"),
        )
        .values("pk", "kind", "status", "seen", "shown_number", "person", "unit")
        .order_by("-opened_at", "pk")
    )


class Beyond:
    """What a user may learn of register matches outside their view: a count and the handling
    units' names, nothing else (SECURITY.md, "Personal data")."""

    def __init__(self):
        self.count = 0
        self._units: list[str] = []

    def add(self, unit_name: str | None, count: int = 1) -> None:
        self.count += count
        if unit_name and unit_name not in self._units:
            self._units.append(unit_name)

    @property
    def units(self) -> str:
        return "、".join(self._units)

    def __bool__(self):
        return self.count > 0


def beyond_view(user, queryset) -> Beyond:
    """Of the cases of ``queryset`` (register matches), what ``user`` may learn of those they may not
    see: how many and which units handle them. One query."""
    beyond = Beyond()
    rows = (
        cases_beyond_view(user, queryset)
        .values("handling_unit__name")
        .annotate(n=Count("pk"))
        .order_by("handling_unit__name")
    )
    for row in rows:
        beyond.add(row["handling_unit__name"], row["n"])
    return beyond
