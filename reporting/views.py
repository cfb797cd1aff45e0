"""Statistics pages: the table on screen with its definitions, xlsx, PDF, drill-down and freeze."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from reporting import documents
from reporting.forms import FreezeNoteForm, StatisticsForm
from reporting.freeze import can_freeze, freeze, snapshot_for
from reporting.reports import REPORT_ROLES, REPORTS, Report, query, statistics_data
from reporting.xlsx import statistics_workbook


def _report(request, slug) -> Report:
    if slug not in REPORTS:
        raise Http404
    if not (request.user.is_superuser or roles.has_role(request.user, *REPORT_ROLES)):
        raise PermissionDenied
    return REPORTS[slug]


def _chosen(request, slug):
    """The report, its form, and the (region, period) the query chose, or None when the form
    refuses it."""
    report = _report(request, slug)
    form = StatisticsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return report, form, None
    data = form.cleaned_data if request.GET else form.clean_defaults()
    if data["region"] is None:
        raise PermissionDenied  # no region to report on: a department without a jurisdiction
    return report, form, (data["region"], data["period"])


def _load(request, slug):
    report, form, chosen = _chosen(request, slug)
    return report, form, chosen and statistics_data(request.user, report, *chosen)


@login_required
def statistics_view(request, slug):
    report, form, data = _load(request, slug)
    context = {
        "report": report,
        "form": form,
        "reports": REPORTS.values(),
        "can_freeze": can_freeze(request.user),
    }
    if data:
        context.update(data, comparison=data["results"]["comparison"])
        documents.prepare_later(request.user, report, data)
    return render(request, "reporting/statistics.html", context)


def _filename(report, data, extension):
    return f"{report.title}-{data['region'].name}-{data['period'].label()}.{extension}"


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def statistics_xlsx(request, slug):
    report, form, data = _load(request, slug)
    if data is None:
        return redirect(f"{request.path.rsplit('xlsx/', 1)[0]}?{request.GET.urlencode()}")
    content = statistics_workbook(
        str(report.title), data["heading"], data["sheets"], data["results"]["comparison"]
    )
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, data, "xlsx"),
    )


@login_required
def statistics_pdf(request, slug):
    report, form, data = _load(request, slug)
    if data is None:
        return redirect(f"{request.path.rsplit('pdf/', 1)[0]}?{request.GET.urlencode()}")
    content = documents.statistics_pdf(request.user, report, data)
    return _attachment(content, "application/pdf", _filename(report, data, "pdf"))


@login_required
@require_POST
def statistics_freeze(request, slug):
    # Only the region and period: the figures are computed by the freeze itself, and again by the
    # page it returns to (reading them here as well was a third of the request).
    report, form, chosen = _chosen(request, slug)
    page = request.path.rsplit("freeze/", 1)[0]
    if chosen is None:
        messages.error(request, _("Correct the region and period first."))
        return redirect(f"{page}?{request.GET.urlencode()}")
    region, period = chosen
    note = FreezeNoteForm(request.POST)
    if not note.is_valid():  # too long, or a NUL byte PostgreSQL cannot store
        messages.error(request, " ".join(m for errors in note.errors.values() for m in errors))
        return redirect(f"{page}?{query(region, period)}")
    try:
        freeze(request.user, report.kind, report.module, region, period, note=note.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statistics are frozen as reported."))
    return redirect(f"{page}?{query(region, period)}")


@login_required
def statistics_drill(request, slug):
    # The cases behind one figure, without computing the report's figures (the page they are on
    # did): the column's label and the snapshot are all the list needs of them.
    report, form, chosen = _chosen(request, slug)
    if chosen is None:
        raise Http404
    region, period = chosen
    column, row = request.GET.get("column", ""), request.GET.get("row", "")
    label = report.module.drill_label(period, column)
    if label is None:
        raise Http404
    snapshot = snapshot_for(report.kind, region, period)
    # Frozen with the cases each figure counts: the list is of those (as viewed_by, which gives the
    # figures from the same membership); frozen before that, or not frozen, the live cases.
    frozen_list = snapshot is not None and snapshot.members is not None
    if frozen_list:
        # The list behind a frozen figure: the frozen cases of that figure the user may see now.
        cases = report.module.frozen_drill(request.user, region, snapshot.members, column, row)
    else:
        cases = report.module.drill(request.user, region, period, column, row)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/drill.html", {
        "report": report, "page": page, "label": label, "query": query.urlencode(),
        "frozen_list": frozen_list, "region": region, "period": period,
    })  # fmt: skip
