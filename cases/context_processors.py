def notifications(request):
    """Unread notification count for the header (one indexed COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import Notification

    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
