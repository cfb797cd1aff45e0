"""The living demo: about thirteen months of work in the demo county (``seed_demo``, ``make run``).

1. The past year in bulk (bulk.py): the scale seeder's simulated lives over every village of the
   two demo towns, on the working-day calendar, cut at now: most cases closed, recent ones open at
   every stage of the usual path, a few stalled past their due date, visits of groups (批, 人次)
   and repeat petitions among them.
2. The recent weeks through the real workflow functions (walked.py): the remaining states of both
   workflows, escalations, 督办单 and replies, and the hand-off notices they send; then the weeks
   ahead (sessions.py): mediation sessions arranged by the committees, so their calendars are not
   empty.
3. The deadline scan and its reminders (supervision.reminders), and last month's statistics frozen
   by the county statistician (reporting.freeze), as the statistician does at month end.
4. The early-warning scan (analysis.scan) over it all, so the dashboard shows open warnings.

Idempotent: a county that already has cases is left as it is.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.demo import COUNTY
from accounts.models import Region, User
from analysis import scan as warning_scan
from benchmarks.demo import bulk, ledger, sessions, walked
from cases.models import Case
from grids import reminders as grid_reminders
from reporting import documents, freeze, mediation_stats, petition_stats
from reporting.models import ReportKind
from reporting.periods import Period
from reporting.reports import REPORTS, statistics_data
from supervision import reminders

DISPUTES, PETITIONS, DAYS = 2000, 1000, 395  # about 13 months


@dataclass
class ActivityResult:
    created: bool
    disputes: int = 0
    petitions: int = 0
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def last_month() -> Period:
    first = timezone.localdate().replace(day=1)
    previous = first - datetime.timedelta(days=1)
    return Period.month(previous.year, previous.month)


def prepare_frozen_pdfs() -> float:
    """Render the frozen month's statistics PDFs as its freezer sees them (reporting.documents), so
    that the demo's first download is the stored one; a freeze through the page has the worker do
    this. Seconds taken."""
    started = time.monotonic()
    statistician = User.objects.get(username="zhuji_statistician")
    county = Region.objects.get(code=COUNTY)
    with translation.override(settings.LANGUAGE_CODE):
        for report in REPORTS.values():
            documents.prepare(
                statistician, report, statistics_data(statistician, report, county, last_month())
            )
    return time.monotonic() - started


def seed_activity(*, scale: float = 1.0, seed: int = 2026, log=print) -> ActivityResult:
    started = time.monotonic()
    if Case.objects.filter(region__code__startswith=COUNTY[:6]).exists():
        return ActivityResult(created=False)
    rng = random.Random(seed)
    timings = {}
    with transaction.atomic():
        t = time.monotonic()
        bulk.load(disputes=round(DISPUTES * scale), petitions=round(PETITIONS * scale), days=DAYS, seed=seed)
        timings["history"] = time.monotonic() - t
        t = time.monotonic()
        walker = walked.walk(rng, scale=scale)
        timings["recent weeks"] = time.monotonic() - t
        t = time.monotonic()
        sessions.seed_sessions(rng, COUNTY)
        timings["sessions ahead"] = time.monotonic() - t
        t = time.monotonic()
        ledger.seed_ledger(rng)
        timings["inspection ledger"] = time.monotonic() - t
        t = time.monotonic()
        reminders.scan()
        timings["deadline scan"] = time.monotonic() - t
    t = time.monotonic()
    reminders.send()  # its own transactions, as the beat runs it
    grid_reminders.remind_missing()  # 第二网格's missing week, as the daily beat would chase it
    timings["reminders"] = time.monotonic() - t
    t = time.monotonic()
    statistician = User.objects.get(username="zhuji_statistician")
    county = Region.objects.get(code=COUNTY)
    for kind, module in ((ReportKind.MEDIATION, mediation_stats), (ReportKind.PETITION, petition_stats)):
        freeze.freeze(statistician, kind, module, county, last_month(), note="月末冻结上报（演示数据）")
    timings["month frozen"] = time.monotonic() - t
    t = time.monotonic()
    warning_scan.scan()  # the early warnings the county's year reveals, as the beat would raise them
    timings["warning scan"] = time.monotonic() - t
    counts = {
        k: Case.objects.filter(region__code__startswith=COUNTY[:6], kind=k).count()
        for k in ("dispute", "petition")
    }
    return ActivityResult(
        created=True, disputes=counts["dispute"], petitions=counts["petition"],
        seconds=time.monotonic() - started, failed=walker.failed, timings=timings,
    )  # fmt: skip
