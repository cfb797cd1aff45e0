"""Statistics pages: the table on screen with its definitions, xlsx, PDF, drill-down and freeze."""

from dataclasses import dataclass
from types import ModuleType
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from cases.pdf import render_pdf_cached
from reporting import mediation_stats, petition_stats
from reporting.forms import FreezeNoteForm, StatisticsForm
from reporting.freeze import REPORTED, UNKNOWN, can_freeze, freeze, overlay, snapshot_for, viewed_by
from reporting.models import ReportKind
from reporting.xlsx import statistics_workbook

REPORT_ROLES = (roles.STATISTICIAN, roles.SUPERVISOR)


@dataclass(frozen=True)
class Report:
    slug: str
    kind: str
    title: str
    module: ModuleType
    case_url: str


REPORTS = {
    "petitions": Report(
        "petitions", ReportKind.PETITION, gettext_lazy("Monthly petition statistics"), petition_stats,
        "petitions:detail",
    ),
    "mediation": Report(
        "mediation", ReportKind.MEDIATION, gettext_lazy("Monthly mediation statistics"), mediation_stats,
        "disputes:detail",
    ),
}  # fmt: skip


def _report(request, slug) -> Report:
    if slug not in REPORTS:
        raise Http404
    if not (request.user.is_superuser or roles.has_role(request.user, *REPORT_ROLES)):
        raise PermissionDenied
    return REPORTS[slug]


def _query(region, period) -> str:
    params = {"region": region.code}
    if period.is_month:
        params["month"] = f"{period.start:%Y-%m}"
    else:
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    return urlencode(params)


def _heading(report, region, period, snapshot, frozen) -> list[str]:
    """The lines above the tables; the second says how a frozen report is shown (the same words for
    every viewer of one kind, whether or not any case was left out for them)."""
    lines = [f"{region.name} · {period.label()}"]
    if snapshot:
        values = {
            "who": snapshot.frozen_by.get_full_name() or snapshot.frozen_by.username,
            "when": formats.date_format(timezone.localtime(snapshot.frozen_at), "DATETIME_FORMAT"),
        }
        if frozen.mode == REPORTED:
            text = _("Frozen by %(who)s on %(when)s; a differing live figure is shown beside it.")
        elif frozen.mode == UNKNOWN:
            text = _(
                "Frozen by %(who)s on %(when)s, before frozen statistics recorded the cases they count: "
                "shown are the live figures of the cases you may see (the part visible to your unit), "
                "not the reported ones."
            )
        else:
            text = _(
                "Frozen by %(who)s on %(when)s. Shown is the part of the reported figures visible to "
                "your unit: cases you may not see are left out, whether or not there are any. A "
                "differing live figure is shown beside it."
            )
        lines.append(text % values)
    lines.append(_("Made on %(date)s.") % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")})
    return lines


def _load(request, slug):
    report = _report(request, slug)
    form = StatisticsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return report, form, None
    data = form.cleaned_data if request.GET else form.clean_defaults()
    region, period = data["region"], data["period"]
    if region is None:
        raise PermissionDenied  # no region to report on: a department without a jurisdiction
    results = report.module.compute(request.user, region, period)
    snapshot = snapshot_for(report.kind, region, period)
    frozen = viewed_by(request.user, snapshot, report.module, results["sheets"], region)
    return report, form, {
        "region": region, "period": period, "results": results, "snapshot": snapshot, "frozen": frozen,
        "sheets": overlay(results["sheets"], frozen.figures if frozen else None),
        "query": _query(region, period), "heading": _heading(report, region, period, snapshot, frozen),
    }  # fmt: skip


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
    content = render_pdf_cached(
        "reports/statistics.html",
        {"report": report, **data, "comparison": data["results"]["comparison"]},
    )
    return _attachment(content, "application/pdf", _filename(report, data, "pdf"))


@login_required
@require_POST
def statistics_freeze(request, slug):
    report, form, data = _load(request, slug)
    if data is None:
        messages.error(request, _("Correct the region and period first."))
        return redirect(f"{request.path.rsplit('freeze/', 1)[0]}?{request.GET.urlencode()}")
    note = FreezeNoteForm(request.POST)
    if not note.is_valid():  # too long, or a NUL byte PostgreSQL cannot store
        messages.error(request, " ".join(m for errors in note.errors.values() for m in errors))
        return redirect(f"{request.path.rsplit('freeze/', 1)[0]}?{data['query']}")
    try:
        freeze(request.user, report.kind, report.module, data["region"], data["period"],
               note=note.cleaned_data["note"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The statistics are frozen as reported."))
    return redirect(f"{request.path.rsplit('freeze/', 1)[0]}?{data['query']}")


@login_required
def statistics_drill(request, slug):
    report, form, data = _load(request, slug)
    if data is None:
        raise Http404
    column, row = request.GET.get("column", ""), request.GET.get("row", "")
    label = next(
        (
            c.label
            for s in data["results"]["sheets"]
            for c in s.sheet.columns
            if c.key == column and c.drillable
        ),
        None,
    )
    if label is None:
        raise Http404
    frozen = data["frozen"]
    frozen_list = frozen is not None and frozen.mode != UNKNOWN and data["snapshot"].members is not None
    if frozen_list:
        # The list behind a frozen figure: the frozen cases of that figure the user may see now.
        cases = report.module.frozen_drill(
            request.user, data["region"], data["snapshot"].members, column, row
        )
    else:
        cases = report.module.drill(request.user, data["region"], data["period"], column, row)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/drill.html", {
        "report": report, "page": page, "label": label, "query": query.urlencode(),
        "frozen_list": frozen_list, **data,
    })  # fmt: skip
