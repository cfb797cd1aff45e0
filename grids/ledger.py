"""The rules of the inspection ledger (排查台账), as plain functions the views and tests call.

Periods are weeks, Monday to Sunday. A grid's report for the week is due on its Friday
(``DUE_WEEKDAY``); after that day, a grid with no report is chased (grids.reminders). Only the
holders of a current post on the grid (网格长, 专职 or 兼职 grid worker) file for it.
"""

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Grid, GridPost
from accounts.scoping import visible_cases
from cases.models import Case
from grids.models import Inspection, LedgerReport

DUE_WEEKDAY = 4  # Friday: the weekly report is due by the end of the working week


def local_today() -> datetime.date:
    """The ledger's today (Asia/Shanghai); one seam, so a journey can walk from one week to the next."""
    return timezone.localdate()


class LedgerError(Exception):
    """A refused ledger entry; the message is shown on the form."""


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def due_day(week_start: datetime.date) -> datetime.date:
    return week_start + datetime.timedelta(days=DUE_WEEKDAY)


def last_due_week(today: datetime.date) -> datetime.date:
    """The latest week whose due day has passed by ``today``."""
    week = week_of(today)
    return week if today > due_day(week) else week - datetime.timedelta(days=7)


def holds_post(user, grid: Grid) -> bool:
    return GridPost.objects.filter(grid=grid, user_id=user.pk, ended_on=None).exists()


def may_file(user, grid: Grid) -> bool:
    return user.is_active and grid.is_active and (user.is_superuser or holds_post(user, grid))


def _check(user, grid: Grid, week_start: datetime.date, today: datetime.date) -> None:
    if not may_file(user, grid):
        raise LedgerError(_("Only the grid's leader and grid workers file its inspection reports."))
    if week_start > week_of(today):
        raise LedgerError(_("A week that has not begun cannot be reported."))


@transaction.atomic
def file_zero_report(user, grid: Grid, week_start: datetime.date, today: datetime.date | None = None):
    """零报告: nothing was found in the grid this week. Refused when the week's inspections found
    disputes; filing it twice changes nothing."""
    today = today or local_today()
    week_start = week_of(week_start)
    _check(user, grid, week_start, today)
    report, made = LedgerReport.objects.select_for_update().get_or_create(
        grid=grid, week_start=week_start, defaults={"zero_report": True, "filed_by": user}
    )
    if made or report.zero_report:
        return report
    if report.inspections.filter(disputes_found__gt=0).exists():
        raise LedgerError(_("This week's inspections found disputes: it cannot be a zero report."))
    report.zero_report = True
    report.save(update_fields=["zero_report"])
    return report


@transaction.atomic
def add_inspection(user, grid: Grid, *, inspected_on, looked_at, found="", disputes_found=0, today=None):
    """Record one inspection in the week of ``inspected_on``; finding disputes withdraws a zero
    report filed for that week (the ledger then says what was found)."""
    today = today or local_today()
    if inspected_on > today:
        raise LedgerError(_("The inspection cannot be dated in the future."))
    week_start = week_of(inspected_on)
    _check(user, grid, week_start, today)
    if not looked_at.strip():
        raise LedgerError(_("Say what was looked at."))
    report, _made = LedgerReport.objects.select_for_update().get_or_create(
        grid=grid, week_start=week_start, defaults={"filed_by": user}
    )
    if disputes_found and report.zero_report:
        report.zero_report = False
        report.save(update_fields=["zero_report"])
    return Inspection.objects.create(
        report=report, inspected_on=inspected_on, looked_at=looked_at.strip(), found=found.strip(),
        disputes_found=disputes_found, recorded_by=user,
    )  # fmt: skip


def link_case(inspection: Inspection, case) -> None:
    """A case raised from the inspection: linked, and counted as found if the entry said none."""
    inspection.cases.add(case.pk)
    if inspection.disputes_found < inspection.cases.count():
        inspection.disputes_found = inspection.cases.count()
        inspection.save(update_fields=["disputes_found"])
    report = inspection.report
    if report.zero_report:
        report.zero_report = False
        report.save(update_fields=["zero_report"])


def weeks(grid: Grid, count: int, viewer, today: datetime.date | None = None):
    """The grid's last ``count`` weeks, newest first: (week start, due day, report or None). The
    cases raised are those ``viewer`` may see (an accusation later withheld from the village, §30,
    is not named)."""
    today = today or local_today()
    latest = week_of(today)
    starts = [latest - datetime.timedelta(days=7 * n) for n in range(count)]
    cases = Prefetch("cases", queryset=visible_cases(viewer, Case.objects.only("pk", "number")))
    reports = {
        r.week_start: r
        for r in LedgerReport.objects.filter(grid=grid, week_start__in=starts)
        .select_related("filed_by")
        .prefetch_related(Prefetch("inspections", queryset=Inspection.objects.prefetch_related(cases)))
    }
    return [(start, due_day(start), reports.get(start)) for start in starts]
