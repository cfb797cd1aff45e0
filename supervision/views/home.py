from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import ROLE_LABELS, roles_of
from jobs.models import WorkerHeartbeat
from supervision.inbox import home_inbox
from supervision.panels import panels
from supervision.reminders import last_scan, scan_is_late


@login_required
def home(request):
    roles = roles_of(request.user)
    context = {
        "inbox": home_inbox(request.user),
        "roles": [(r, ROLE_LABELS[r]) for r in sorted(roles)],
        "role_set": roles,
        "heartbeat": WorkerHeartbeat.objects.filter(name="celery").first() if request.user.is_staff else None,
        "last_scan": last_scan() if request.user.is_staff else None,
        "panels": panels("home", request.user),
    }
    context["scan_late"] = scan_is_late(context["last_scan"])
    return render(request, "supervision/home.html", context)
