"""Dispute screens: list, intake, detail, actions, print view. Thin: forms validate, the workflow
decides, accounts.scoping decides what is visible."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import roles
from accounts.scoping_case import visible_case_or_404
from cases import handoffs, timeline_fold
from cases.lists import list_page
from cases.page_extras import case_extras
from cases.pii import party_views
from cases.selectors import other_cases_of_parties
from cases.transitions import TransitionError
from cases.views.action_page import action_page
from jobs.views.jobs import list_export_response
from mediation.casefile import file_index
from mediation.documents import available_documents
from mediation.forms import DisputeFilterForm, DisputeIntakeForm, IntakePartyFormSet
from mediation.models import Dispute
from mediation.selectors import (
    dispute_detail_queryset,
    dispute_list,
    dispute_page_queryset,
    dispute_page_timeline,
    dispute_with_region,
    routes_of,
    with_scheduled_sessions,
)
from mediation.workflow import TRANSITIONS, register_dispute
from supervision.orders import orders_on_case

PAGE_SIZE = 25


@login_required
def dispute_list_view(request):
    return list_page(
        request, form_class=DisputeFilterForm, selector=dispute_list, template="mediation/dispute_list.html",
        can_register=roles.has_role(request.user, roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def dispute_create_view(request):
    if not (
        request.user.is_superuser
        or roles.has_role(request.user, roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR)
    ):
        raise PermissionDenied
    form = DisputeIntakeForm(request.POST or None, user=request.user)
    # Any number of parties, people or organisations, on the first form (three rows without JS).
    parties = IntakePartyFormSet(request.POST or None, prefix="parties")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        try:
            # The parties' details stay on this case; the register only links them (cases.people).
            dispute = register_dispute(request.user, parties=parties.parties(), **form.dispute_fields())
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Dispute %(number)s registered.") % {"number": dispute.number})
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "mediation/dispute_form.html", {"form": form, "parties": parties})


@login_required
def dispute_detail_view(request, pk):
    everything = timeline_fold.show_all(request)
    timeline = (dispute_page_timeline, (("everything", everything),))  # folded (cases.timeline_fold)
    dispute = visible_case_or_404(request.user, dispute_page_queryset, pk, per_case=timeline)
    dispute = with_scheduled_sessions(dispute)
    handoffs.opened(dispute, request.user)
    others = other_cases_of_parties(request.user, dispute)
    parties = party_views(request.user, dispute, dispute.parties.all(), "dispute_detail")
    return render(
        request,
        "mediation/dispute_detail.html",
        {
            "dispute": dispute,
            "parties": [(link, values, others.get(link.person_id)) for link, values in parties],
            "actions": TRANSITIONS.offered(dispute, request.user),
            "agreement": _agreement(dispute),
            # Only the documents whose step lies on the timeline (the Step ``documents`` field).
            "documents": available_documents(dispute),
            "case_orders": orders_on_case(request.user, dispute),
            "extras": case_extras(request.user, dispute),
            "timeline": timeline_fold.Folded(dispute, everything),
            **routes_of(dispute),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute_action_view(request, pk, action):
    dispute = visible_case_or_404(request.user, dispute_with_region, pk)
    return action_page(
        request, dispute, action, workflow=TRANSITIONS,
        detail_name="disputes:detail", list_name="disputes:list",
    )  # fmt: skip


@login_required
def dispute_file_index_view(request, pk):
    """卷宗目录: the case file index in the order of the 司法部 document formats (domain.md 3.4)."""
    dispute = visible_case_or_404(request.user, dispute_detail_queryset, pk)
    handoffs.opened(dispute, request.user)
    return render(
        request,
        "mediation/dispute_file_index.html",
        {"dispute": dispute, "items": file_index(dispute, _agreement(dispute))},
    )


def _agreement(dispute):
    """The dispute's agreement or None (the reverse one-to-one raises when there is none)."""
    try:
        return dispute.agreement
    except Dispute.agreement.RelatedObjectDoesNotExist:
        return None


@login_required
def dispute_export_view(request):
    """The filtered list as xlsx at once (the list page starts it as a job with progress instead)."""

    return list_export_response(request, "disputes")
