"""Read queries for petitions; every queryset passes through accounts.scoping."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts.scoping import visible_cases
from cases.models import CaseParty, Deadline, TimelineEntry
from cases.search import search_condition
from cases.selectors import BY_DUE_DATE, Beyond, beyond_view, case_parties, list_order

from .models import Petition


def petition_list(user, filters: dict):
    qs = visible_cases(user, Petition.objects.all())
    if filters.get("q"):
        qs = qs.filter(search_condition(filters["q"]))
    for field in ("channel", "petition_kind", "status", "category"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("overdue"):
        qs = qs.filter(closed_at__isnull=True, next_due_at__lt=timezone.now())
    if filters.get("collective"):
        qs = qs.filter(is_collective=True)
    if filters.get("repeat"):
        qs = qs.filter(repeat_of__isnull=False)
    return (
        qs.order_by(*list_order(user, BY_DUE_DATE))
        .select_related("region", "category", "target_unit")
        .prefetch_related(case_parties())
    )


def petition_detail_queryset():
    return Petition.objects.select_related(
        "region", "category", "target_unit", "complained_unit", "handling_unit", "repeat_of"
    ).prefetch_related(
        case_parties(),
        "visits",
        "evaluations",
        "reviews",
        "attachments",
        Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("due_at")),
        Prefetch("timeline", queryset=TimelineEntry.objects.select_related("actor")),
    )


def _petitions_of(people):
    ids = CaseParty.objects.filter(person__in=people).values("case_id")
    return Petition.objects.filter(pk__in=ids)


def earlier_petitions(user, people):
    """Earlier petitions of these register identities that the user may see, in full (repeat
    detection at intake; only these can be linked as ``repeat_of``)."""
    if not people:
        return Petition.objects.none()
    return visible_cases(user, _petitions_of(people)).select_related("category").order_by("-opened_at")[:10]


def earlier_petitions_beyond_view(user, people) -> Beyond:
    """Of the earlier petitions of these identities that the user may not see, only how many and
    the units handling them (an accusation against the user's own unit not even that, §30)."""
    if not people:
        return Beyond()
    return beyond_view(user, _petitions_of(people))
