"""Background jobs: the owner's list, a page per job whose progress bar polls a small JSON view,
the result's download, and starting a month's closure reports. Every job is looked up through
jobs.runner.get_job_or_404: another user's job is a 404, like a missing one."""

import datetime
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.bounds import parse_month, period_window
from cases.forms import BootstrapMixin
from jobs import list_exports, runner
from jobs.models import Job, JobKind, JobStatus
from jobs.runner import get_job_or_404, result_still_visible, start_job, visible_jobs

ERRORS_SHOWN = 500
INLINE_ROWS = 500  # an import of up to this many rows runs while the user waits
INLINE_EXPORT_ROWS = 2000  # an export of up to this many rows is written while the user waits
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MonthForm(BootstrapMixin, forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month archived"), widget=forms.DateInput(attrs={"type": "month"}), max_length=7
    )

    def clean_month(self):
        try:
            value = parse_month(self.cleaned_data["month"], *period_window())
        except forms.ValidationError as exc:
            if exc.code != "invalid":  # a month outside the window says which
                raise
            raise forms.ValidationError(_("Choose a month, like 2026-10.")) from None
        if value > timezone.localdate():
            raise forms.ValidationError(_("The month lies in the future."))
        return value


@login_required
@require_GET
def job_list_view(request):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "jobs/job_list.html",
        {"jobs": list(visible_jobs(request.user)[:50]), "form": MonthForm(initial={"month": last_month})},
    )


@login_required
@require_POST
def closure_batch_view(request):
    form = MonthForm(request.POST)
    if not form.is_valid():
        jobs = list(visible_jobs(request.user)[:50])
        return render(request, "jobs/job_list.html", {"jobs": jobs, "form": form}, status=400)
    month = form.cleaned_data["month"]
    with transaction.atomic():
        job = start_job(
            JobKind.CLOSURE_BATCH,
            request.user,
            {"year": month.year, "month": month.month, "language": request.LANGUAGE_CODE},
        )
    return redirect("jobs:detail", pk=job.pk)


def _confirmed(job) -> Job | None:
    """The import started from this check, if any."""
    return Job.objects.filter(kind=JobKind.IMPORT, params__check=job.pk, owner_id=job.owner_id).first()


@login_required
@require_GET
def job_detail_view(request, pk):
    job = get_job_or_404(request.user, pk)
    errors = job.report.get("errors", [])
    can_confirm = (
        job.kind == JobKind.IMPORT_CHECK
        and job.status == JobStatus.DONE
        and not errors
        and job.report.get("rows")
    )
    follow_up = _confirmed(job) if job.kind == JobKind.IMPORT_CHECK else None
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "can_confirm": can_confirm and follow_up is None,
            "follow_up": follow_up,
            "result_format": _result_format(job),
        },
    )


def _result_format(job) -> str:
    if job.kind != JobKind.LIST_EXPORT:
        return ""
    spec = list_exports.LIST_EXPORTS.get(job.params.get("list", ""))
    return spec.fmt if spec else ""


@login_required
@require_GET
def job_status_view(request, pk):
    job = get_job_or_404(request.user, pk)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
            "message": job.message,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_download_view(request, pk):
    job = get_job_or_404(request.user, pk)
    if job.status != JobStatus.DONE or not job.result_path:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / job.result_path
    if not path.is_file():
        raise Http404
    if not result_still_visible(request.user, job):
        messages.error(
            request,
            _("This result holds cases or personal data you may no longer see; run the job again."),
        )
        return redirect("jobs:detail", pk=job.pk)
    if job.kind == JobKind.LIST_EXPORT:
        spec = list_exports.LIST_EXPORTS[job.params["list"]]
        name, content_type = (
            list_exports.download_name(spec, job.created_at),
            list_exports.CONTENT_TYPES[spec.fmt],
        )
    else:
        name = _("closure-reports") + f"-{job.params.get('year')}-{int(job.params.get('month', 0)):02d}.zip"
        content_type = "application/zip"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def job_confirm_view(request, pk):
    """Import what a clean check saw. Once: a second click finds the import already started."""
    with transaction.atomic():
        check = get_job_or_404(request.user, pk)
        Job.objects.select_for_update().filter(pk=check.pk).get()
        existing = _confirmed(check)
        if existing is not None:
            return redirect("jobs:detail", pk=existing.pk)
        if check.kind != JobKind.IMPORT_CHECK or check.status != JobStatus.DONE or check.report.get("errors"):
            raise Http404
        rows = check.report.get("rows", 0)
        params = {**check.params, "check": check.pk, "language": request.LANGUAGE_CODE}
        job = Job.objects.create(kind=JobKind.IMPORT, owner=request.user, unit_id=request.user.unit_id,
                                 params=params, total=2 * rows)  # fmt: skip
    _run(job, rows)
    return redirect("jobs:detail", pk=job.pk)


def _run(job, rows):
    """Small files while the user waits; large ones in the worker."""
    if rows <= INLINE_ROWS:
        runner.run_job(job.pk)
    else:
        runner.queue(job)


def list_export_response(request, key):
    spec = list_exports.LIST_EXPORTS[key]
    content = list_exports.workbook(spec, request.user, request.GET)
    response = HttpResponse(content, content_type=list_exports.CONTENT_TYPES[spec.fmt])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(list_exports.download_name(spec))}"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def list_export_view(request, key):
    """Start an export of the list as filtered (the query string the list page passes on): small
    ones are written at once, larger ones by the worker; the job's page shows the progress."""
    if key not in list_exports.LIST_EXPORTS:
        raise Http404
    query = request.POST.get("query", "")
    spec = list_exports.LIST_EXPORTS[key]
    total = spec.queryset(request.user, QueryDict(query))[: list_exports.MAX_ROWS].count()
    with transaction.atomic():
        params = {"list": key, "query": query, "language": request.LANGUAGE_CODE}
        job = start_job(
            JobKind.LIST_EXPORT, request.user, params, total=total, inline=total <= INLINE_EXPORT_ROWS
        )
    return redirect("jobs:detail", pk=job.pk)
