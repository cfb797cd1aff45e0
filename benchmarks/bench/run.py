"""The benchmark scenario: which pages, for whom, against which targets (issue 9)."""

import datetime
import time

from django.db import connection
from django.db.models import Max
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import User
from benchmarks.bench.delivery import cleanup_delivery, seed_due_reminders, time_delivery
from benchmarks.bench.pages import Measure, time_call, time_page
from benchmarks.bench.scan import cleanup, seed_open_deadlines, time_scan
from cases.models import Case, CaseParty
from jobs.imports import import_file
from jobs.imports.sample import sample_rows, to_file
from mediation.models import Dispute

# The demo county's supervisors (accounts.demo), present in every seeded database, and the province's.
USERS = {"village": "xianjin_supervisor", "town": "fengqiao_supervisor", "county": "zhuji_supervisor"}
PROVINCE_USER = "33_supervisor"
LIST_MS, DETAIL_MS, DASHBOARD_MS, PDF_MS = 150, 150, 300, 500
# Issue 22: every statistics page for the province under 1 s (3 s before the petition tallies).
STATS_MS = {"village": 500, "town": 500, "county": 500, "province": 1000}
# Issue 18: analysis pages for a county under 1 s p95, for the province under 3 s.
INSIGHT_MS = {"village": 1000, "town": 1000, "county": 1000, "province": 3000}
MAX_QUERIES = 12
DELIVERY_MS = 10_000  # one delivery run of 100,000 due reminders (issue 16)


def _prefix(user) -> str:
    return user.unit.region.code[: {3: 6, 4: 9, 5: 12, 1: 2}[user.unit.region.level]]


def _samples(user) -> dict:
    """A recent dispute and petition in the user's jurisdiction, and a party name and number to search."""
    prefix = _prefix(user)
    dispute = (
        Dispute.objects.filter(region__code__startswith=prefix, status="archived")
        .exclude(agreement=None)
        .order_by("-opened_at")
        .first()
    )
    petition = (
        Case.objects.filter(region__code__startswith=prefix, kind="petition").order_by("-opened_at").first()
    )
    party = CaseParty.objects.filter(case=dispute).first() if dispute else None
    return {
        "dispute": dispute, "petition": petition, "number": dispute.number if dispute else "",
        "name": party.name if party else "王",
    }  # fmt: skip


def _url(name, *args, query="") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def page_plan(level: str, user) -> list[tuple[str, str, dict]]:
    s = _samples(user)
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    region = user.unit.region.code
    lst = {"target_ms": LIST_MS, "max_queries": MAX_QUERIES}
    det = {"target_ms": DETAIL_MS, "max_queries": MAX_QUERIES}
    plan = [
        ("dispute list, by due date", _url("disputes:list"), lst),
        ("dispute list, status + overdue", _url("disputes:list", query="status=mediating&overdue=on"), lst),
        ("dispute list, newest, page 3", _url("disputes:list", query="sort=-opened&page=3"), lst),
        ("dispute search, party name", _url("disputes:list", query=f"q={s['name']}"), lst),
        ("dispute search, case number", _url("disputes:list", query=f"q={s['number']}"), lst),
        ("petition list, by due date", _url("petitions:list"), lst),
        ("petition list, visits accepted", _url("petitions:list", query="channel=visit&status=accepted"),
         lst),
        ("petition search, party name", _url("petitions:list", query=f"q={s['name']}"), lst),
        ("supervision dashboard", _url("supervision:dashboard"), {"target_ms": DASHBOARD_MS}),
        ("dashboard drill-down, overdue", _url("supervision:drilldown", query="bucket=overdue"), lst),
    ]  # fmt: skip
    if s["dispute"]:
        plan.append(("dispute detail", _url("disputes:detail", s["dispute"].pk), det))
    if s["petition"]:
        plan.append(("petition detail", _url("petitions:detail", s["petition"].pk), det))
    plan += statistics_plan(level, region, month)
    return [(name, url, target) for name, url, target in plan if url]


def statistics_plan(level: str, region: str, month: str) -> list:
    """The monthly statistics (reporting app) when its URLs exist; the hook for pages added later."""
    target = {"target_ms": STATS_MS[level]}
    plan = []
    for slug in ("mediation", "petitions"):
        url = _url("reporting:table", slug, query=f"region={region}&month={month}")
        plan.append((f"{slug} statistics, month", url, target))
    url = _url("reporting:xlsx", "petitions", query=f"region={region}&month={month}")
    plan.append(("petition statistics xlsx", url, target))
    url = _url("insight:index", query=f"region={region}&month={month}")
    plan.append(("analysis page, month", url, {"target_ms": INSIGHT_MS[level]}))
    url = _url("analysis:list", query=f"status=all&period=chosen&month={month}")
    plan.append(("warnings raised in a month", url, {"target_ms": DASHBOARD_MS}))
    return plan


def run_pages(repeat: int, log, province: bool = False) -> list[Measure]:
    results = []
    levels = dict(USERS)
    # Opt-in: the province dashboard renders every unit and village of the province (tens of
    # thousands of rows) and takes minutes per request (docs/performance.md, not yet met).
    if province and User.objects.filter(username=PROVINCE_USER).exists():
        levels["province"] = PROVINCE_USER
    for level, username in levels.items():
        user = User.objects.select_related("unit__region").get(username=username)
        client = Client()
        client.force_login(user)
        plan = page_plan(level, user)
        if level == "province":
            keep = ("supervision dashboard", "mediation statistics, month", "petitions statistics, month",
                    "analysis page, month")  # fmt: skip
            plan = [p for p in plan if p[0] in keep]
        for name, url, target in plan:
            m = time_page(client, name, f"{level} ({username})", url, repeat=repeat, **target)
            log(m)
            results.append(m)
    return results


def run_pdf(repeat: int, log) -> Measure | None:
    user = User.objects.select_related("unit__region").get(username=USERS["county"])
    dispute = _samples(user)["dispute"]
    if dispute is None:
        return None
    client = Client()
    client.force_login(user)
    m = time_page(
        client, "closure report PDF", f"county ({user.username})",
        _url("disputes:pdf", dispute.pk, "closure"), repeat=repeat, target_ms=PDF_MS,
    )  # fmt: skip
    log(m)
    return m


def run_analysis_report(repeat: int, log) -> Measure:
    """The county's monthly 研判报告 as the worker makes it: figures, charts, HTML and WeasyPrint
    (a background job: no page target)."""
    from django.utils import translation

    from cases.pdf import html_to_pdf
    from reporting import monthly_report
    from reporting.periods import default_period

    user = User.objects.select_related("unit__region").get(username=USERS["county"])

    def make():
        with translation.override("zh-hans"):
            html, _data = monthly_report.render_html(user, user.unit.region, default_period())
        return html_to_pdf(html)

    m = time_call("analysis report PDF (worker)", f"county ({user.username})", make, repeat=repeat)
    log(m)
    return m


def run_scan(count: int, log) -> list[Measure]:
    since = timezone.now()
    started = time.monotonic()
    seed_open_deadlines(count, VILLAGES["xianjin"], due_fraction=1.0)
    seeded = time.monotonic() - started
    out = []
    try:
        for label in ("deadline scan, everything due", "deadline scan, re-run"):
            r = time_scan(label)
            m = Measure(
                name=label, user="scanner", p50_ms=r["ms"], p95_ms=r["ms"], queries=r["queries"], samples=1,
                target_ms=10_000,
                note=f"{count} bench deadlines seeded in {seeded:.0f} s; {r['created']} reminders",
            )  # fmt: skip
            log(m)
            out.append(m)
    finally:
        cleanup(since)
    return out


def run_delivery(count: int, log, users: int = 1000) -> Measure:
    """One forced delivery of ``count`` due reminders spread over ``users`` handlers (bench.delivery)."""
    since = timezone.now()
    started = time.monotonic()
    try:
        seed_due_reminders(count, users)
        seeded = time.monotonic() - started
        r = time_delivery()
    finally:
        cleanup_delivery(since)
    m = Measure(
        name="reminder delivery, all due", user="sender", p50_ms=r["ms"], p95_ms=r["ms"],
        queries=r["queries"], samples=1, target_ms=DELIVERY_MS,
        note=f"{r['sent']} reminders seeded in {seeded:.0f} s; {r['notifications']} notifications to "
        f"{r['recipients']} recipients, at most {r['most_per_recipient']} each",
    )  # fmt: skip
    log(m)
    return m


def run_import(rows: int, log) -> Measure | None:
    """The import of historical cases (jobs.imports), when it exists; ``rows`` disputes, one run."""
    actor = User.objects.get(username="zhuji_mediator")
    data = to_file("dispute", sample_rows("dispute", rows, seed=int(time.time())), "xlsx")
    before = Case.objects.aggregate(m=Max("pk"))["m"] or 0
    m = time_call(
        f"import {rows} disputes (xlsx)", f"county ({actor.username})",
        lambda: import_file("dispute", actor, "bench.xlsx", data), repeat=1, warmup=0, target_ms=60_000,
    )  # fmt: skip
    m.note = f"{Case.objects.filter(pk__gt=before).count()} cases written"
    log(m)
    return m


def database_size() -> dict:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    return {
        "cases": _estimate("cases_case"),
        "disputes": _estimate("cases_dispute"),
        "petitions": _estimate("petitions_petition"),
        "open_cases": Case.objects.filter(closed_at__isnull=True).count(),
        "size": size,
    }


def _estimate(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        row = cur.fetchone()
    return int(row[0]) if row else 0
