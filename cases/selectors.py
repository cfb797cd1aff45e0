"""Read-side queries of the case core. Every queryset passes through accounts.scoping."""

import datetime

from django.db.models import Aggregate, CharField, Count, F, OuterRef, Subquery, Value, When
from django.db.models import Case as Choose
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from accounts.scoping import (
    cases_beyond_view,
    countable_beyond_view,
    sees_a_large_jurisdiction,
    visibility_flag,
    visible_cases,
)

from .models import Case, CaseParty, Dispute
from .search import search_condition

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


def dispute_list(user, filters: dict):
    """Disputes the user may see, filtered and sorted; a fixed number of queries per page."""
    qs = visible_cases(user, Dispute.objects.all())
    scope = filters.get("scope") or "all"
    if scope == "mine":
        qs = qs.filter(handler_id=user.pk)
    elif scope == "unit":
        qs = qs.filter(handling_unit_id=user.unit_id)
    if filters.get("q"):
        qs = qs.filter(search_condition(filters["q"]))
    for field in ("status", "source"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    if filters.get("region"):
        qs = qs.filter(region__code__startswith=filters["region"])
    if filters.get("date_from"):
        qs = qs.filter(opened_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(opened_at__date__lte=filters["date_to"])
    if filters.get("overdue"):
        qs = qs.filter(closed_at__isnull=True, next_due_at__lt=timezone.now())
    qs = qs.order_by(*list_order(user, NEWEST if filters.get("sort") == "-opened" else BY_DUE_DATE))
    return qs.select_related("region", "category", "risk_level", "handler").prefetch_related(case_parties())


def dispute_detail_queryset():
    from django.db.models import Prefetch

    from .models import Deadline, TimelineEntry

    return Dispute.objects.select_related(
        "region", "category", "risk_level", "handler", "handling_unit", "agreement", "agreement__recorded_by"
    ).prefetch_related(
        case_parties(),
        Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("due_at")),
        Prefetch("timeline", queryset=TimelineEntry.objects.select_related("actor")),
        "attachments",
        Prefetch("sessions", queryset=_sessions_with_mediator_names()),
        Prefetch("follow_ups", queryset=_follow_ups().select_related("visitor")),
    )


def _follow_ups():
    # The follow-up model belongs to the mediation app (a floor above); named by string.
    from django.apps import apps

    return apps.get_model("mediation", "FollowUp").objects.all()


class JoinedNames(Aggregate):
    """Names joined with 、, in the order of the second expression on PostgreSQL (STRING_AGG); in
    whatever order SQLite reads them there (GROUP_CONCAT takes no ORDER BY before SQLite 3.44)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        name, name_params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            order, order_params = compiler.compile(self.source_expressions[1])
            return f"STRING_AGG({name}, '、' ORDER BY {order})", (*name_params, *order_params)
        return f"GROUP_CONCAT({name}, '、')", name_params


def _sessions_with_mediator_names():
    """Mediation sessions with ``mediator_names``, their mediators as the page names them (display
    name, else user name), in the same query: prefetching ``mediators`` is a query of its own."""
    from django.apps import apps

    session = apps.get_model("mediation", "MediationSession")
    links = session.mediators.through.objects.filter(mediationsession_id=OuterRef("pk")).order_by()
    name = Coalesce(NullIf("user__display_name", Value("")), "user__username")
    names = links.values("mediationsession_id").annotate(names=JoinedNames(name, "id")).values("names")
    return session.objects.annotate(mediator_names=Coalesce(Subquery(names), Value("")))


def other_cases_of_parties(user, case) -> dict[int, dict]:
    """Person id -> what ``user`` may learn of that party's other disputes and petitions (the
    register links them): ``seen``, the cases the user may see, with number, kind and status; and
    ``beyond``, of the others only how many and the units handling them (SECURITY.md, "Personal
    data"). An accusation withheld from the user's unit is not even counted (信访工作条例 §30).

    One query whatever the number of parties: the visibility rule is a column of it, and the
    number of a case the user may not see never leaves the database.
    """
    person_ids = [link.person_id for link in case.parties.all()]
    rows = (
        Case.objects.filter(parties__person_id__in=person_ids)
        .exclude(pk=case.pk)
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
