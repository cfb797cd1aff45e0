"""The home inbox: what I and my unit must do, every row a link to where it is done.

Sections (each at most ``cases.selectors.INBOX_SIZE`` rows, a fixed number of queries whatever the
data size): overdue cases (with days late), cases due within 3 working days (never an overdue one),
hand-offs not yet opened (unread hand-off notices), 督办单 awaiting our reply, reviews waiting, and
my / my unit's open cases; then the saved list filters the user chose to show here, with their
counts (cases.saved_filters). The menu shows how many things wait — overdue, unopened hand-offs,
orders to answer, reviews to decide — counted inside the query that loads the request's user
(``waiting_annotations``, registered with accounts.backends), so no page pays a query for it.
"""

import datetime

from django.db.models import DateTimeField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from accounts.scoping import own_cases_of_outer_user, visible_cases
from cases.calendar import add_working_days
from cases.deadlines import end_of_day
from cases.inbox import due_q, review_q, review_statuses
from cases.models import Case
from cases.saved_filters import home_filters
from cases.selectors import INBOX_SIZE, inbox
from supervision.models import Notification, NotificationKind, SupervisionOrder, SupervisionState
from supervision.orders import awaiting_reply

SOON_WORKING_DAYS = 3
# Names of the per-request counts on the user row (accounts.backends.register_request_annotation).
WAITING = {
    "overdue": "_jiefen_wait_overdue",
    "handoffs": "_jiefen_wait_handoffs",
    "orders": "_jiefen_wait_orders",
    "reviews": "_jiefen_wait_reviews",
}


class _Count(Subquery):
    """COUNT(*) of a correlated subquery, as one scalar column of the outer row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count(queryset):
    return _Count(queryset.order_by().values("pk"))


def _overdue():
    # The database's clock, not a parameter: accounts.backends compiles this statement once.
    # The user's and unit's own cases are found by their indexes and then compared with the clock;
    # "next_due_at + 0" keeps the planner from intersecting them with the due-date indexes, which at
    # province scale read every overdue case of the province (44,000 entries, ~9 ms of each page)
    # to keep a few of a unit's hundreds (docs/performance.md).
    late = ExpressionWrapper(F("next_due_at") + datetime.timedelta(0), output_field=DateTimeField())
    return _count(Case.objects.alias(late=late).filter(own_cases_of_outer_user(), due_q(), late__lt=Now()))


def _handoffs():
    return _count(
        Notification.objects.filter(user=OuterRef("pk"), kind=NotificationKind.HANDOFF, read_at__isnull=True)
        .exclude(case__withheld_from_unit_id=Coalesce(OuterRef("unit_id"), Value(0)))
    )  # fmt: skip


def _orders():
    # The §30 exclusion as in orders_for: an order about a case withheld from the unit is not counted.
    return _count(
        SupervisionOrder.objects.filter(target_unit_id=OuterRef("unit_id"), state=SupervisionState.OPEN)
        .exclude(case__withheld_from_unit_id=Coalesce(OuterRef("unit_id"), Value(0)))
    )  # fmt: skip


def _reviews():
    # The reviewing body was granted the case with the request; the §30 exclusion still applies.
    return _count(
        Case.objects.filter(
            review_q(OuterRef(OuterRef("unit_id"))), closed_at__isnull=True, status__in=review_statuses()
        )
        .exclude(withheld_from_unit_id=Coalesce(OuterRef("unit_id"), Value(0)))
    )  # fmt: skip


def waiting_annotations() -> dict:
    """name -> builder of the counts of what waits, for accounts.backends."""
    builders = {"overdue": _overdue, "handoffs": _handoffs, "orders": _orders, "reviews": _reviews}
    return {WAITING[key]: build for key, build in builders.items()}


def waiting_counts(user) -> dict[str, int]:
    """The counts of what waits for ``user``: read from the request's user row when it was loaded
    by accounts.backends, else counted (one query)."""
    if all(hasattr(user, name) for name in WAITING.values()):
        return {key: getattr(user, name) for key, name in WAITING.items()}
    from accounts.models import User

    row = User.objects.filter(pk=user.pk).annotate(
        **{name: build() for name, build in waiting_annotations().items()}
    ).values(*WAITING.values()).first() or {}  # fmt: skip
    return {key: row.get(name, 0) for key, name in WAITING.items()}


def home_inbox(user) -> dict:
    """Every section of the home page, rows and counts."""
    now = timezone.now()
    soon = end_of_day(add_working_days(timezone.localdate(now), SOON_WORKING_DAYS).date)
    sections = inbox(user, due_soon_until=soon, now=now)
    # Only about cases the user may still see: a hand-off's title names its case, and a case withheld
    # from the user's unit since (信访工作条例 §30) or a user moved away must not show it. A hand-off
    # about no case (an early warning sent to the unit: analysis.notices) names none.
    sections["handoffs"] = list(
        Notification.objects.filter(user=user, kind=NotificationKind.HANDOFF, read_at__isnull=True)
        .filter(Q(case_id__in=visible_cases(user, Case.objects.all()).values("pk")) | Q(case__isnull=True))
        .select_related("case")
        .order_by("-created_at", "-pk")[:INBOX_SIZE]
    )
    sections["orders"] = list(
        awaiting_reply(user)
        .select_related("case", "issuing_unit", "deadline__rule")
        .order_by("target_date", "pk")[:INBOX_SIZE]
    )
    counts = waiting_counts(user)
    sections["counts"] = counts
    sections["waiting"] = sum(counts.values())
    sections["soon_until"] = soon
    # The saved filters the user shows here, counted through the lists' own selectors (the one
    # visibility rule): one query for the filters, one for all their counts.
    sections["saved_filters"] = home_filters(user)
    return sections
