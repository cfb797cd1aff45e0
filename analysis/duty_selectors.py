"""Reads of key persons and 包案: every one passes accounts.scoping (visible_key_persons,
visible_responsibilities). Each view of the key-person register is recorded as a personal data view
(cases.PersonalDataAccess, like a full ID number shown on a case page)."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.scoping import visible_cases, visible_key_persons, visible_responsibilities
from analysis.duty_models import KeyPerson, KeyPersonStatus, Responsibility, ResponsibilityStatus
from cases.models import Case, CaseParty, PersonalDataAccess
from mediation.models import DisputeStatus
from petitions.models import PetitionStatus

# A review date or a time limit this close shows as due on the home panel.
DUE_SOON_DAYS = 7
PANEL_SIZE = 8


def key_persons_for(user, *, status: str = KeyPersonStatus.ACTIVE):
    queryset = KeyPerson.objects.select_related("unit", "responsible").filter(status=status)
    return visible_key_persons(user, queryset).order_by("review_on", "pk")


def record_views(user, key_persons, via: str) -> None:
    """One personal data view per key person shown (one INSERT)."""
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=user, person_id=kp.person_id, fields="key_person", via=via)
        for kp in key_persons
    )


def cases_of(user, key_person):
    """The person's cases the viewer may see (by the register identity), newest first."""
    ids = CaseParty.objects.filter(person_id=key_person.person_id).values("case_id")
    return list(
        visible_cases(user, Case.objects.filter(pk__in=ids))
        .select_related("region")
        .order_by("-opened_at")[:50]
    )


def responsibilities_for(user, *, mine: bool, status: str = ResponsibilityStatus.OPEN):
    queryset = Responsibility.objects.select_related("case", "key_person", "leader", "unit")
    if status in ResponsibilityStatus.values:
        queryset = queryset.filter(status=status)
    if mine:
        queryset = queryset.filter(Q(leader_id=user.pk) | Q(staff=user)).distinct()
    return visible_responsibilities(user, queryset).order_by("due_on", "pk")


def due_state(day: datetime.date, today: datetime.date) -> str:
    if day < today:
        return "overdue"
    return "due" if day <= today + datetime.timedelta(days=DUE_SOON_DAYS) else ""


def panel(user):
    """The home panel: my open 包案 (as leader or staff), each due or overdue marked, and the key
    persons whose review falls to me soon; None when there is nothing."""
    today = timezone.localdate()
    mine = list(responsibilities_for(user, mine=True)[: PANEL_SIZE + 1])
    reviews = list(
        key_persons_for(user).filter(
            responsible_id=user.pk, review_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )[:PANEL_SIZE]
    )
    if not mine and not reviews:
        return None
    record_views(user, reviews, "home_panel")
    return {
        "responsibilities": [(r, due_state(r.due_on, today)) for r in mine[:PANEL_SIZE]],
        "more": len(mine) > PANEL_SIZE,
        "reviews": [(kp, due_state(kp.review_on, today)) for kp in reviews],
    }


CASE_STATUS_LABELS = {**dict(DisputeStatus.choices), **dict(PetitionStatus.choices)}


def statistics(user) -> dict:
    """包案 of cases, of those the user sees: open and concluded, and the cases' status now (how they
    ended). One grouped query."""
    rows = (
        visible_responsibilities(user, Responsibility.objects.filter(case__isnull=False))
        .values("status", "case__kind", "case__status")
        .annotate(n=Count("pk"))
        .order_by("case__kind", "case__status")
    )
    table, totals = {}, dict.fromkeys(ResponsibilityStatus.values, 0)
    for row in rows:
        label = str(CASE_STATUS_LABELS.get(row["case__status"], row["case__status"]))
        entry = table.setdefault(label, dict.fromkeys(ResponsibilityStatus.values, 0))
        entry[row["status"]] += row["n"]
        totals[row["status"]] += row["n"]
    return {"rows": sorted(table.items()), "totals": totals, "any": bool(table)}
