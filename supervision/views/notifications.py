from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scoping import visible_cases
from cases.bounds import parse_id
from cases.handoffs import DETAIL_URLS
from cases.models import Case
from supervision.models import Notification


@login_required
def notification_list_view(request):
    page = Paginator(Notification.objects.filter(user=request.user), 20).get_page(request.GET.get("page"))
    # Shown again is delivered again: a notification naming a case the user may no longer see (moved
    # to another unit, a case withheld since: 信访工作条例 §30) keeps its title, never its text.
    page.object_list = list(page.object_list)
    named = {pk for note in page.object_list for pk in note.case_ids or ()}
    visible = {
        pk: (number or str(pk), reverse(DETAIL_URLS[kind], args=[pk]))
        for pk, kind, number in visible_cases(request.user, Case.objects.filter(pk__in=named)).values_list(
            "pk", "kind", "number"
        )
    }
    for note in page.object_list:
        note.hidden = not set(note.case_ids or ()) <= visible.keys()
        # A reminder digest links each case it names to its page (a hand-off has its own link).
        note.cases = [] if note.hidden or note.link else [visible[pk] for pk in note.case_ids or ()]
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
