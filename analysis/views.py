"""Warning pages: thin — parse, check through the one rule, call one declared step."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.scoping import get_visible_warning_or_404, may_use_key_persons
from analysis import selectors
from analysis.duty_selectors import statistics as duty_statistics
from analysis.list_periods import WarningPeriodForm, raised_in
from analysis.models import EarlyWarning, WarningStatus
from analysis.notices import mark_opened
from analysis.workflow import TRANSITIONS
from cases.views.action_page import action_page

STATUS_FILTERS = ("open", *WarningStatus.values, "all")


@login_required
def warning_list_view(request):
    status = request.GET.get("status", "open")
    status = status if status in STATUS_FILTERS else "open"
    mine = request.GET.get("mine") == "1"
    period = WarningPeriodForm(request.GET or None)
    rows = raised_in(selectors.warnings_for(request.user, status=status, mine=mine), period)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "analysis/warning_list.html", {
        "page": page, "status": status, "mine": mine, "statuses": WarningStatus.choices,
        "period": period, "period_query": period.query(),
        "counts": selectors.status_counts(request.user), "baoan": duty_statistics(request.user),
        "register": may_use_key_persons(request.user),
    })  # fmt: skip


@login_required
def warning_detail_view(request, pk):
    queryset = EarlyWarning.objects.select_related(
        "region", "unit", "sent_by_unit", "rule", "signed_by", "handled_by", "closed_by"
    )
    warning = get_visible_warning_or_404(request.user, queryset, pk=pk)
    mark_opened(warning, request.user)
    evidence, evidence_hidden = selectors.cases_of(request.user, warning, "evidence")
    linked, linked_hidden = selectors.cases_of(request.user, warning, "linked")
    listable = warning.kind in ("repeat_person", "returning") and may_use_key_persons(request.user)
    return render(request, "analysis/warning_detail.html", {
        "listable": listable,
        "warning": warning, "steps": TRANSITIONS.offered(warning, request.user),
        "evidence": evidence, "evidence_hidden": evidence_hidden,
        "linked": linked, "linked_hidden": linked_hidden,
        "events": warning.events.select_related("actor").order_by("at", "pk"),
    })  # fmt: skip


@login_required
def warning_action_view(request, pk, action):
    warning = get_visible_warning_or_404(request.user, EarlyWarning.objects.select_related("region"), pk=pk)
    return action_page(
        request, warning, action, workflow=TRANSITIONS,
        detail_name="analysis:detail", list_name="analysis:list",
        template="analysis/warning_action.html",
    )  # fmt: skip
