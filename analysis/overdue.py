"""Overdue clusters (rule 5 of issue 18): a unit whose open overdue cases, or whose share of open
cases overdue, jump above its own recent days (docs/analysis.md).

The first scan of each day counts every unit's open overdue cases (a case still open past its next
due time, as the dashboard counts them) into ``OverdueCount`` rows; a unit with none has no row and
counts 0. A unit alarms when its count now reaches both the rule's minimum and the Poisson bound
(analysis.surge.poisson_bound) at the mean of its counts over the counted days of the last
``window_days`` — and only once at least half of those days were counted, so a new installation
does not alarm on its first day. Like the risk rule it is about time passing, not about new cases:
it reads the units' open cases, and their cases past due through the partial index the dashboard
uses.

The rate rule (``overdue_rate``) compares the unit's overdue share now (overdue / open) with the
mean of its daily shares over the counted days of the window on which it had open cases, and alarms
when the share rose by the rule's ``rate_points`` or more and the count reaches the minimum: a unit
whose open cases shrink while its late ones stay is falling behind although its count did not jump.
Both rules share the pattern key ``overdue:<unit>``, so a unit gets one open warning, not two.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from analysis.findings import Finding
from analysis.models import OverdueCount, OverdueDay
from analysis.surge import poisson_bound
from cases.models import Case

EVIDENCE_CAP = 200


def _overdue(now):
    # §30: as for every rule, no case withheld from a unit counts (analysis.models).
    return Case.objects.filter(
        closed_at__isnull=True,
        next_due_at__lt=now,
        handling_unit__isnull=False,
        withheld_from_unit__isnull=True,
    )


def _open(now):
    return Case.objects.filter(
        closed_at__isnull=True, handling_unit__isnull=False, withheld_from_unit__isnull=True
    )


def _counts(now):
    return (
        _open(now)
        .values_list("handling_unit_id")
        .annotate(late=Count("pk", filter=Q(next_due_at__lt=now)), n=Count("pk"))
        .order_by()
    )


def count_now(now) -> dict[int, tuple[int, int]]:
    """Unit id -> (open overdue cases, open cases) now, for every unit with an open case."""
    return {unit: (late, n) for unit, late, n in _counts(now)}


def _count_into(day: OverdueDay, now) -> dict[int, tuple[int, int]]:
    """``count_now``, written as the day's ``OverdueCount`` rows by the database itself and read
    back from them (INSERT … SELECT … RETURNING). At province scale ~20,000 units have open cases:
    reading their counts, making a model object of each and inserting them took ~1 s of a
    scan (docs/performance.md, the warning scan)."""
    sql, params = _counts(now).query.sql_with_params()
    table = connection.ops.quote_name(OverdueCount._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(  # the table name from model metadata, every value a parameter
            f"INSERT INTO {table} (day_id, unit_id, overdue, open_cases) "  # noqa: S608
            f"SELECT %s, * FROM ({sql}) AS counted RETURNING unit_id, overdue, open_cases",
            [day.pk, *params],
        )
        return {unit: (late, n) for unit, late, n in cur.fetchall()}


def count_today(now, memo: dict | None = None) -> dict[int, tuple[int, int]]:
    """Unit id -> (open overdue cases, open cases) now, stored once for today (the first scan of the
    day). ``memo``: the scan's own dict, so both overdue rules of a scan read the counts once."""
    if memo is not None and "overdue:today" in memo:
        return memo["overdue:today"]
    day, created = OverdueDay.objects.get_or_create(day=timezone.localdate(now), defaults={"taken_at": now})
    both = _count_into(day, now) if created else count_now(now)
    if memo is not None:
        memo["overdue:today"] = both
    return both


def _window_days(rule, today) -> list[int]:
    return list(
        OverdueDay.objects.filter(
            day__lt=today, day__gte=today - timedelta(days=rule.window_days)
        ).values_list("pk", flat=True)
    )


def find(rule, now, memo: dict | None = None) -> list[Finding]:
    today = timezone.localdate(now)
    counts = {u: late for u, (late, _n) in count_today(now, memo).items() if late}
    days = _window_days(rule, today)
    if len(days) * 2 < rule.window_days:
        return []
    past = dict(
        OverdueCount.objects.filter(day_id__in=days, unit_id__in=list(counts))
        .values_list("unit_id")
        .annotate(total=Sum("overdue"))
        .order_by()
    )
    significance = float(rule.significance)
    alarms = {}
    for unit_id, now_count in counts.items():
        mean = past.get(unit_id, 0) / len(days)
        bound = max(rule.min_count, poisson_bound(mean, significance))
        if now_count >= bound:
            alarms[unit_id] = {
                "count": now_count,
                "baseline": round(mean, 2),
                "bound": bound,
                "days": len(days),
            }
    return _findings(rule, now, alarms, title=_("%(unit)s: %(count)s cases overdue"), summary=_(
        "%(unit)s has %(count)s open cases past their time limit; over the last %(days)s counted days "
        "it had %(baseline)s on average, and %(bound)s or more is unusual."
    ))  # fmt: skip


def find_rate(rule, now, memo: dict | None = None) -> list[Finding]:
    """A unit whose share of open cases past due rose by ``rate_points`` above its mean share of the
    counted days of the window (days it had open cases, counted since migration 0006)."""
    today = timezone.localdate(now)
    both = count_today(now, memo)  # the day's counts are stored once, whichever overdue rule runs first
    candidates = {u: (late, n) for u, (late, n) in both.items() if late >= rule.min_count}
    if not candidates:
        return []
    days = _window_days(rule, today)
    rates: dict[int, list[float]] = {}
    past = OverdueCount.objects.filter(
        day_id__in=days, unit_id__in=list(candidates), open_cases__gt=0
    ).values_list("unit_id", "overdue", "open_cases")
    for unit_id, late, n in past:
        rates.setdefault(unit_id, []).append(late / n)
    jump = float(rule.rate_points) / 100
    alarms = {}
    for unit_id, (late, n) in candidates.items():
        history = rates.get(unit_id, [])
        if len(history) * 2 < rule.window_days:
            continue  # too few counted days with open cases to know the unit's usual share
        mean = sum(history) / len(history)
        rate = late / n
        if rate >= mean + jump:
            alarms[unit_id] = {
                "count": late,
                "open": n,
                "rate": round(rate * 100, 1),
                "baseline": round(mean * 100, 1),
                "points": float(rule.rate_points),
                "days": len(history),
            }
    return _findings(rule, now, alarms, title=_("%(unit)s: %(rate)s%% of open cases overdue"), summary=_(
        "%(unit)s has %(count)s of its %(open)s open cases past their time limit (%(rate)s%%); over the "
        "last %(days)s counted days its share was %(baseline)s%% on average, and a rise of %(points)s "
        "percentage points or more is unusual."
    ))  # fmt: skip


def _findings(rule, now, alarms, *, title, summary) -> list[Finding]:
    units = Unit.objects.in_bulk(list(alarms))
    findings = []
    for unit_id, facts in sorted(alarms.items()):
        unit = units[unit_id]
        late = _overdue(now).filter(handling_unit_id=unit_id)
        ids = list(late.order_by("next_due_at").values_list("pk", flat=True)[:EVIDENCE_CAP])
        newest = late.aggregate(t=Max("next_due_at"))["t"]
        facts = {**facts, "unit": unit.name}
        findings.append(Finding(
            rule=rule, key=f"overdue:{unit_id}", region_code=unit.region_id, level=rule.responsible_level,
            title=title % facts, summary=summary % facts,
            facts=facts, case_ids=ids, evidence_until=newest,
        ))  # fmt: skip
    return findings
