"""Petition screens: list, intake with repeat detection, detail, actions."""

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
from cases.people import find_people
from cases.pii import party_views
from cases.transitions import TransitionError
from cases.views.action_page import action_page
from jobs.views.jobs import list_export_response
from petitions import hearings
from petitions.delivered import delivered
from petitions.delivery import for_petitioner, waiting_for_delivery
from petitions.forms import PetitionFilterForm, PetitionIntakeForm
from petitions.models import PetitionDocument
from petitions.selectors import (
    earlier_petitions,
    earlier_petitions_beyond_view,
    petition_list,
    petition_page_queryset,
    petition_page_timeline,
    petition_with_region,
)
from petitions.workflow import TRANSITIONS, passed_up_message, register_petition
from supervision.orders import orders_on_case

INTAKE_ROLES = (roles.PETITION_CLERK, roles.SUPERVISOR)


@login_required
def petition_list_view(request):
    return list_page(
        request, form_class=PetitionFilterForm, selector=petition_list,
        template="petitions/petition_list.html", can_register=roles.has_role(request.user, *INTAKE_ROLES),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def petition_create_view(request):
    if not (request.user.is_superuser or roles.has_role(request.user, *INTAKE_ROLES)):
        raise PermissionDenied
    form = PetitionIntakeForm(request.POST or None, user=request.user)
    matches, beyond = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The register links the petitioner's earlier petitions; the clerk sees in full those they
        # may see, of the others only how many and who handles them (SECURITY.md, "Personal data").
        people = find_people(id_number=data["id_number"], name=data["name"], phone=data["phone"])
        matches = list(earlier_petitions(request.user, people))
        beyond = earlier_petitions_beyond_view(request.user, people)
        choice = data["repeat_choice"]
        if (matches or beyond) and not choice:
            # Show the clerk the earlier petitions; they link this one as a repeat or confirm it is new.
            if matches:
                message = _(
                    "This petitioner has earlier petitions. Link this one as a repeat or confirm it is new."
                )
            else:
                message = _(
                    "Earlier petitions of this petitioner lie outside your jurisdiction. Confirm it is new."
                )
            form.add_error(None, message)
        else:
            # Only a petition the clerk may see can be linked as the earlier one.
            repeat_of = next((m for m in matches if str(m.pk) == choice), None)
            try:
                petition = register_petition(
                    request.user, petitioners=form.petitioners(), representatives=data["representatives"],
                    head_count=data["head_count"], repeat_of=repeat_of, **form.petition_fields(),
                )  # fmt: skip
            except TransitionError as exc:
                form.add_error(None, str(exc))
            else:
                if petition.withheld_from_unit_id and petition.withheld_from_unit_id == request.user.unit_id:
                    # 信访工作条例 §30: passed up at registration; the clerk's unit may not open it, so
                    # they are told where it went instead of being sent to a page that would say 404.
                    messages.warning(request, passed_up_message(petition))
                    return redirect("petitions:list")
                messages.success(request, _("Petition %(number)s registered.") % {"number": petition.number})
                return redirect("petitions:detail", pk=petition.pk)
    return render(
        request, "petitions/petition_form.html", {"form": form, "matches": matches, "beyond": beyond}
    )


@login_required
def petition_detail_view(request, pk):
    everything = timeline_fold.show_all(request)
    timeline = (petition_page_timeline, (("everything", everything),))  # folded (cases.timeline_fold)
    petition = visible_case_or_404(request.user, petition_page_queryset, pk, per_case=timeline)
    handoffs.opened(petition, request.user)
    actions = TRANSITIONS.offered(petition, request.user)
    visits = list(petition.visits.all())
    # Only the documents that exist at this stage (Step.documents), each with its delivery (送达).
    deliveries = delivered(petition)
    made = TRANSITIONS.documents_made(petition)
    documents = [(slug, PetitionDocument(slug).label) for slug in made]
    # A unit's report (办结报告) is linked but is not delivered to the petitioner.
    deliverable = [
        (slug, PetitionDocument(slug).label, deliveries.get(slug)) for slug in for_petitioner(made)
    ]
    return render(request, "petitions/petition_detail.html", {
        "petition": petition, "actions": actions, "documents": documents, "deliverable": deliverable,
        "hearings": hearings.on_timeline(petition),
        "waiting_for_delivery": waiting_for_delivery(petition, deliveries),
        "parties": party_views(request.user, petition, petition.parties.all(), "petition_detail"),
        "visits": visits, "batches": len(visits), "persons": sum(v.head_count for v in visits),
        "case_orders": orders_on_case(request.user, petition),
        "extras": case_extras(request.user, petition),
        "timeline": timeline_fold.Folded(petition, everything),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def petition_action_view(request, pk, action):
    petition = visible_case_or_404(request.user, petition_with_region, pk)
    return action_page(
        request, petition, action, workflow=TRANSITIONS,
        detail_name="petitions:detail", list_name="petitions:list",
    )  # fmt: skip


@login_required
def petition_export_view(request):
    """The filtered list as xlsx at once (the list page starts it as a job with progress instead)."""

    return list_export_response(request, "petitions")
