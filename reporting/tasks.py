"""Background work of the statistics (Celery): the PDF a viewer of the page would download
(reporting.documents)."""

import datetime

from celery import shared_task
from django.utils import translation

from accounts import roles
from accounts.models import Region, User
from accounts.scoping import visible_regions
from reporting import documents, opened_tally, petition_tally, report_jobs
from reporting.periods import Period
from reporting.reports import REPORT_ROLES, REPORTS, statistics_data


@shared_task(name=documents.PREPARE_TASK, ignore_result=True)
def prepare_statistics_pdf(user_id: int, slug: str, region_code: str, start: str, end: str, language: str):
    """Render and store the PDF that ``user_id`` would download, computed for that user as the
    download computes it (their figures, their heading), unless it is stored already."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or slug not in REPORTS:
        return False
    if not (user.is_superuser or roles.has_role(user, *REPORT_ROLES)):
        return False
    region = visible_regions(user, Region.objects.filter(code=region_code)).first()
    if region is None:
        return False
    period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    report = REPORTS[slug]
    with translation.override(language):
        return documents.prepare(user, report, statistics_data(user, report, region, period))


@shared_task(name=report_jobs.MAKE_TASK, ignore_result=True)
def make_analysis_report(report_id: int):
    """Make the 研判报告 a user asked for (reporting.report_jobs)."""
    return report_jobs.make(report_id)


@shared_task(name="reporting.tasks.fold_petition_tally")
def fold_petition_tally() -> int:
    """Keep the reporting tallies about one row per key (reporting.petition_tally.fold, and the
    opened-case tally's, reporting.opened_tally.fold)."""
    return petition_tally.fold() + opened_tally.fold()
