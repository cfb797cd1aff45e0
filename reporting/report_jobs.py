"""The 研判报告 as a background job: asked for on its page, made by the worker, kept as a row
(``AnalysisReport``) whose page shows its progress and then the download.

The row is the job's whole state (the broker message carries only its id). With no worker alive
(the demo without Celery, a stopped worker) the request makes the document itself, as the statistics
download does (reporting.documents), so a report is never left waiting for nobody.
"""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Region
from accounts.scoping import visible_regions
from cases.pdf import html_to_pdf
from reporting import documents, monthly_report
from reporting.models import AnalysisReport, AnalysisReportStatus
from reporting.periods import Period
from reporting.reports import REPORT_ROLES

logger = logging.getLogger(__name__)
MAKE_TASK = "reporting.tasks.make_analysis_report"
Status = AnalysisReportStatus


def may_report(user) -> bool:
    return user.is_active and (user.is_superuser or roles.has_role(user, *REPORT_ROLES))


def visible_reports(user):
    """A report is its owner's alone, while they are in the unit it was made for and may report."""
    if not user.is_authenticated or not may_report(user):
        return AnalysisReport.objects.none()
    return AnalysisReport.objects.filter(owner_id=user.pk, unit_id=user.unit_id)


def ask(user, region, month: Period) -> AnalysisReport:
    """Store the request and hand it to the worker after the commit (or make it now without one)."""
    report = AnalysisReport.objects.create(
        owner=user, unit_id=user.unit_id, region=region, start=month.start, end=month.end,
        language=translation.get_language() or "zh-hans",
    )  # fmt: skip
    if documents._worker_alive():
        transaction.on_commit(lambda: _send(report.pk))
    else:
        transaction.on_commit(lambda: make(report.pk))
    return report


def _send(pk: int) -> None:
    try:
        current_app.signature(MAKE_TASK, args=(pk,)).delay()
    except Exception:  # a broker that does not answer: make it here rather than never
        logger.warning("analysis report %s not queued; made in the request", pk, exc_info=True)
        make(pk)


def make(pk: int) -> str:
    """Claim the report and make its PDF for its owner as they are now (the one rule)."""
    with transaction.atomic():
        report = AnalysisReport.objects.select_for_update().select_related("owner").filter(pk=pk).first()
        if report is None or report.status == Status.DONE:
            return "skipped"
        report.status = Status.RUNNING
        report.save(update_fields=["status"])
    owner = report.owner
    with translation.override(report.language):
        region = visible_regions(owner, Region.objects.filter(code=report.region_id)).first()
        if not may_report(owner) or owner.unit_id != report.unit_id or region is None:
            return _finish(report, Status.FAILED, message=_("You may no longer report on this place."))
        try:
            html, data = monthly_report.render_html(owner, region, Period(report.start, report.end))
            pdf = html_to_pdf(html)
        except Exception:
            logger.exception("analysis report %s failed", pk)
            return _finish(report, Status.FAILED, message=_("The report could not be made; try again."))
    done = _finish(report, Status.DONE, pdf=pdf, facts=data["facts"])
    # The owner's earlier reports of the same place and month are superseded: kept, a county's
    # statisticians asking every day would pile up a PDF each.
    AnalysisReport.objects.filter(
        owner_id=report.owner_id, region_id=report.region_id, start=report.start, end=report.end,
        created_at__lt=report.created_at,
    ).delete()  # fmt: skip
    return done


def _finish(report, status, **values) -> str:
    AnalysisReport.objects.filter(pk=report.pk).exclude(status=Status.DONE).update(
        status=status, finished_at=timezone.now(), **values
    )
    return status
