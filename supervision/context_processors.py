from supervision.models import Notification

UNREAD = "_jiefen_unread_notifications"


def unread_notifications():
    """The user's unread notification count as an expression over the user row: accounts.backends
    adds it to the query that loads the request's user, so the header costs no query of its own."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def notifications(request):
    """Unread notification count for the header (one indexed COUNT, in the user's own query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(user, UNREAD, None)
    if count is None:  # a user not loaded through accounts.backends
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    from supervision.inbox import waiting_counts

    # What waits in the inbox (overdue, unopened hand-offs, orders to answer, reviews to decide): the
    # menu's "My work" badge, read from the same user row.
    return {"unread_notifications": count, "waiting_in_inbox": sum(waiting_counts(user).values())}
