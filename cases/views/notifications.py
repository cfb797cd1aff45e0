from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..bounds import parse_id
from ..models import Notification


@login_required
def notification_list_view(request):
    page = Paginator(Notification.objects.filter(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "supervision/notifications.html", {"page": page})


@login_required
@require_POST
def mark_read_view(request):
    # Only the user's own notifications; an id from someone else's list changes nothing.
    qs = Notification.objects.filter(user=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        pk = parse_id(request.POST["id"])
        qs = qs.filter(pk=pk) if pk else qs.none()
    qs.update(read_at=timezone.now())
    return redirect("supervision:notifications")
