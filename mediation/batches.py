"""A month's closure reports (结案报告) as one zip: every dispute archived in that month that the
owner may see (accounts.scoping), rendered as on the case page (mediation.documents)."""

import datetime
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import visible_cases
from cases.pii import can_view_full_pii
from jobs.models import JobKind
from jobs.runner import complete, runner
from mediation.documents import closure_report_pdf
from mediation.models import DisputeStatus
from mediation.selectors import dispute_detail_queryset

RESULT_DIR = "jobs"


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month in Asia/Shanghai, as [start, end)."""
    start = datetime.date(year, month, 1)
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    aware = lambda d: timezone.make_aware(datetime.datetime.combine(d, datetime.time()))  # noqa: E731
    return aware(start), aware(end)


def archived_in_month(user, year: int, month: int):
    start, end = month_bounds(year, month)
    queryset = dispute_detail_queryset().filter(
        status=DisputeStatus.ARCHIVED, closed_at__gte=start, closed_at__lt=end
    )
    return visible_cases(user, queryset).order_by("closed_at", "pk")


def zip_name(dispute) -> str:
    return f"{dispute.number or dispute.pk}-结案报告.pdf"


@runner(JobKind.CLOSURE_BATCH)
def run_closure_batch(job, progress):
    year, month = int(job.params["year"]), int(job.params["month"])
    ids = list(archived_in_month(job.owner, year, month).values_list("pk", flat=True))
    progress(0, len(ids), force=True)
    if not ids:
        complete(job, message=_("No disputes were archived in that month."), case_ids=[])
        return
    relative = f"{RESULT_DIR}/{job.pk}-{uuid.uuid4().hex}.zip"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    # One dispute at a time, so memory stays flat however long the month's list is.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, pk in enumerate(ids, start=1):
            dispute = archived_in_month(job.owner, year, month).get(pk=pk)
            archive.writestr(zip_name(dispute), closure_report_pdf(dispute, job.owner))
            progress(done, len(ids))
    complete(
        job, result_path=relative, report={"files": len(ids), "full_pii": can_view_full_pii(job.owner)},
        message=_("%(count)d closure reports.") % {"count": len(ids)}, case_ids=ids,
    )  # fmt: skip
