"""The grid pages: my grids, a grid's ledger (on the phone), filing, raising a dispute from an
inspection, and the village's grids and posts. Thin: the rules are in grids.ledger and grids.admin_ops;
what a user may see comes from accounts.scoping.visible_grids."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from accounts.models import Grid
from accounts.scoping import get_visible_grid_or_404, visible_grids
from cases.transitions import TransitionError
from grids import ledger
from grids.forms import InspectionForm
from grids.models import Inspection
from mediation.forms import DisputeIntakeForm, IntakePartyFormSet
from mediation.models import DisputeSource
from mediation.workflow import register_dispute

WEEKS_SHOWN = 8
GRIDS_LISTED = 300


@login_required
def grid_list_view(request):
    today = ledger.local_today()
    due = ledger.last_due_week(today)
    grids = list(
        visible_grids(request.user, Grid.objects.filter(is_active=True))
        .select_related("region")
        .order_by("region_id", "code")[:GRIDS_LISTED]
    )
    from grids.models import LedgerReport

    reports = {
        (r.grid_id, r.week_start): r
        for r in LedgerReport.objects.filter(
            grid__in=[g.pk for g in grids], week_start__in=[ledger.week_of(today), due]
        )
    }
    rows = [(g, reports.get((g.pk, ledger.week_of(today))), reports.get((g.pk, due))) for g in grids]
    return render(
        request,
        "grids/grid_list.html",
        {
            "rows": rows,
            "this_week": ledger.week_of(today),
            "due_week": due,
            "may_manage": _may_manage(request.user),
        },
    )


@login_required
def ledger_view(request, pk):
    grid = get_visible_grid_or_404(request.user, Grid.objects.select_related("region", "parent"), pk=pk)
    today = ledger.local_today()
    return render(
        request,
        "grids/ledger.html",
        {
            "grid": grid,
            "weeks": ledger.weeks(grid, WEEKS_SHOWN, request.user, today),
            "this_week": ledger.week_of(today),
            "may_file": ledger.may_file(request.user, grid),
            "may_raise": _may_register(request.user),
            "holders": grid.posts.filter(ended_on=None).select_related("user"),
        },
    )


@login_required
@require_POST
def zero_report_view(request, pk):
    grid = get_visible_grid_or_404(request.user, Grid.objects.all(), pk=pk)
    try:
        ledger.file_zero_report(request.user, grid, ledger.week_of(ledger.local_today()))
    except ledger.LedgerError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Zero report filed for this week."))
    return redirect("grids:ledger", pk=grid.pk)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_view(request, pk):
    grid = get_visible_grid_or_404(request.user, Grid.objects.all(), pk=pk)
    if not ledger.may_file(request.user, grid):
        raise PermissionDenied
    form = InspectionForm(request.POST or None, initial={"inspected_on": ledger.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            ledger.add_inspection(request.user, grid, **form.cleaned_data)
        except ledger.LedgerError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("grids:ledger", pk=grid.pk)
    return render(request, "grids/inspection_form.html", {"form": form, "grid": grid})


@login_required
@require_http_methods(["GET", "POST"])
def raise_dispute_view(request, pk):
    """Register a dispute found by an inspection: the dispute intake, with the grid, its village and
    the source (grid inspection) filled in; the new case is linked to the inspection."""
    inspection = get_object_or_404(Inspection.objects.select_related("report__grid__region"), pk=pk)
    grid = get_visible_grid_or_404(request.user, Grid.objects.all(), pk=inspection.report.grid_id)
    if not (ledger.may_file(request.user, grid) and _may_register(request.user)):
        raise PermissionDenied
    initial = {"grid": grid.pk, "region": grid.region_id, "source": DisputeSource.GRID_INSPECTION,
               "facts": inspection.found}  # fmt: skip
    form = DisputeIntakeForm(request.POST or None, user=request.user, initial=initial)
    parties = IntakePartyFormSet(request.POST or None, prefix="parties")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        try:
            dispute = register_dispute(request.user, parties=parties.parties(), **form.dispute_fields())
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            ledger.link_case(inspection, dispute)
            messages.success(request, _("Dispute %(number)s registered.") % {"number": dispute.number})
            return redirect("grids:ledger", pk=grid.pk)
    return render(
        request, "mediation/dispute_form.html", {"form": form, "parties": parties, "inspection": inspection}
    )


def _may_register(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR)


def _may_manage(user) -> bool:
    return user.is_superuser or roles.has_role(user, roles.SUPERVISOR, roles.ADMINISTRATOR)
