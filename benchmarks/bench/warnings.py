"""Issue 18 at scale: the incremental warning scan over a day's new cases, and the key-person and
包案 pages of the county supervisor. Both run inside a transaction that is rolled back, so the
seeded database keeps no warning, key person or 包案 of the bench (the pages are requested through
the test client on the same connection, which sees the uncommitted rows).

A seeded database's cases were created at their opening time (benchmarks.scale), so "a day's new
cases" are those created in the day before the newest case: the scan's watermark is put there and
the scan runs as of the newest case (its windows and baselines as on that day); a second run then
reads the same day again (nothing new, the overlap only).
"""

import datetime
import time

from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from analysis import scan
from analysis.models import KeyPerson, KeyPersonEvent, Responsibility, ResponsibilityEvent, ScanWatermark
from benchmarks.bench.pages import Measure, time_page
from cases.models import Case, CaseParty

SCAN_MS = 10_000  # issue 18: a day's new cases at the province scale in under 10 s
DUTY_PAGE_MS = 1_000  # issue 18: analysis pages for a county under 1 s p95
COUNTY_USER = "zhuji_supervisor"


class _Rollback(Exception):
    pass


def _scan_once(label: str, until, note: str) -> Measure:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = scan.scan(now=until)
        ms = (time.perf_counter() - started) * 1000
    return Measure(
        name=label, user="scanner", p50_ms=round(ms, 1), p95_ms=round(ms, 1),
        queries=len(ctx.captured_queries), samples=1, target_ms=SCAN_MS,
        note=f"{note}; {result.changed} changed cases read, {len(result.raised)} warnings raised",
    )  # fmt: skip


def run_warning_scan(log, days: float = 1.0) -> list[Measure]:
    newest = Case.objects.aggregate(t=Max("created_at"))["t"]
    if newest is None:
        return []
    until = newest + datetime.timedelta(seconds=1)
    since = until - datetime.timedelta(days=days)
    day_cases = Case.objects.filter(created_at__gt=since, created_at__lte=until).count()
    out = []
    try:
        with transaction.atomic():
            ScanWatermark.objects.update_or_create(name=scan.WATERMARK, defaults={"scanned_until": since})
            to = timezone.localtime(newest)
            note = f"{day_cases} cases created in the {days:g} day(s) to {to:%Y-%m-%d %H:%M}"
            for label in ("warning scan, a day's new cases", "warning scan, the same day again"):
                m = _scan_once(label, until, note)
                log(m)
                out.append(m)
            raise _Rollback
    except _Rollback:
        pass
    return out


def _seed_duties(user, count: int) -> tuple[KeyPerson | None, Responsibility | None]:
    """``count`` key persons (natural persons of the county's cases) and ``count`` 包案 of its open
    cases, under ``user`` (rolled back by the caller)."""
    prefix = user.unit.region.code[:6]
    links = list(
        CaseParty.objects.filter(is_organisation=False, case__region__code__startswith=prefix)
        .order_by("person_id")
        .distinct("person_id")
        .values_list("person_id", "name")[:count]
    )
    today = timezone.localdate()
    kps = KeyPerson.objects.bulk_create(
        KeyPerson(person_id=p, name=name, reason="repeat", note="bench", unit=user.unit, responsible=user,
                  review_on=today + datetime.timedelta(days=i % 30), created_by=user)
        for i, (p, name) in enumerate(links)
    )  # fmt: skip
    KeyPersonEvent.objects.bulk_create(
        KeyPersonEvent(key_person=kp, actor=user, action="list", description="bench") for kp in kps
    )
    cases = list(
        Case.objects.filter(region__code__startswith=prefix, closed_at__isnull=True)
        .order_by("-opened_at")
        .values_list("pk", flat=True)[:count]
    )
    rs = Responsibility.objects.bulk_create(
        Responsibility(case_id=c, leader=user, unit=user.unit, duty="bench", created_by=user,
                       due_on=today + datetime.timedelta(days=i % 20 - 5))
        for i, c in enumerate(cases)
    )  # fmt: skip
    ResponsibilityEvent.objects.bulk_create(
        ResponsibilityEvent(responsibility=r, actor=user, action="assign", description="bench") for r in rs
    )
    return (kps[0] if kps else None), (rs[0] if rs else None)


def run_duty_pages(repeat: int, log, count: int = 500) -> list[Measure]:
    user = User.objects.select_related("unit__region").get(username=COUNTY_USER)
    out = []
    try:
        with transaction.atomic():
            kp, r = _seed_duties(user, count)
            client = Client()
            client.force_login(user)
            who = f"county ({user.username})"
            plan = [
                ("key-person register", reverse("analysis:key_persons")),
                ("包案 list, mine", reverse("analysis:baoan_list")),
                ("包案 list, all open", reverse("analysis:baoan_list") + "?all=1"),
                ("home (我的包案 panel)", reverse("home")),
            ]
            if kp:
                plan.append(("key-person page", reverse("analysis:key_person", args=[kp.pk])))
            if r:
                plan.append(("包案 page", reverse("analysis:baoan", args=[r.pk])))
            for name, url in plan:
                m = time_page(client, name, who, url, repeat=repeat, target_ms=DUTY_PAGE_MS)
                m.note = f"{count} key persons and {count} 包案 seeded for the run"
                log(m)
                out.append(m)
            raise _Rollback
    except _Rollback:
        pass
    return out
