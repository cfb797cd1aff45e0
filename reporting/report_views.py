"""The 研判报告 pages: ask for a month's report, watch it being made, download it (thin: the work is
reporting.report_jobs and reporting.monthly_report)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from reporting import report_jobs
from reporting.forms import ReportForm
from reporting.models import AnalysisReportStatus

PERCENT = {AnalysisReportStatus.QUEUED: 5, AnalysisReportStatus.RUNNING: 50}


def _get(request, pk):
    report = report_jobs.visible_reports(request.user).filter(pk=pk).select_related("region").first()
    if report is None:
        raise Http404
    return report


@login_required
def report_list_view(request):
    if not report_jobs.may_report(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["region"] is None:
            raise PermissionDenied  # a department without a jurisdiction
        report = report_jobs.ask(request.user, data["region"], data["period"])
        return redirect("insight:report", pk=report.pk)
    reports = report_jobs.visible_reports(request.user).select_related("region").defer("pdf")[:20]
    return render(request, "reporting/analysis_reports.html", {"form": form, "reports": reports})


def _percent(report) -> int:
    return 100 if report.finished else PERCENT.get(report.status, 0)


@login_required
def report_detail_view(request, pk):
    report = _get(request, pk)
    return render(request, "reporting/analysis_report.html", {"report": report, "percent": _percent(report)})


@login_required
def report_status_view(request, pk):
    """What static/js/jobs.js polls (the shape of a job's status)."""
    report = _get(request, pk)
    response = JsonResponse({
        "status": report.status, "status_label": str(report.get_status_display()), "done": 0, "total": 0,
        "percent": _percent(report), "finished": report.finished, "message": report.message,
    })  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_download_view(request, pk):
    report = _get(request, pk)
    if report.status != AnalysisReportStatus.DONE or not report.pdf:
        return redirect("insight:report", pk=report.pk)
    name = f"分析研判报告-{report.region.name}-{report.start:%Y-%m}.pdf"
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
