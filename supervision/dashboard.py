"""Supervisor dashboard figures: SQL aggregates over the cases a user may see.

Every figure has a drill-down: ``bucket_queryset(user, bucket, group, key)`` returns exactly the
cases counted, so the list behind a number always has that many rows. Rates read the frozen
``Deadline.met_on_time`` values, so a later calendar edit never rewrites a month already reported.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, Q, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from accounts.models import Region, Unit, place_name
from accounts.scoping import visible_cases
from accounts.scoping_regions import region_wholly_visible, visible_beyond_region, visible_cases_in_region
from cases import tally
from cases.bounds import parse_id, parse_month
from cases.models import Case, Deadline, DeadlineState

SOON_DAYS = 3
GROUPS = {"unit": "handling_unit_id", "town": "town_code", "village": "region_id"}
# Which deadline rules make up each rate.
ACCEPTANCE_RULES = ("dispute_accept", "petition_notice")
COMPLETION_RULES = ("mediation_period", "petition_handle")


# Each rate's numerator and denominator, as conditions on a met deadline; the drill-down filters by
# the same conditions, so lists match figures.
RATE_FIELDS = {
    "accepted": {"rule__code__in": ACCEPTANCE_RULES},
    "accepted_on_time": {"rule__code__in": ACCEPTANCE_RULES, "met_on_time": True},
    "completed": {"rule__code__in": COMPLETION_RULES},
    "completed_on_time": {"rule__code__in": COMPLETION_RULES, "met_on_time": True},
}
RATE_BUCKETS = {name: Q(**fields) for name, fields in RATE_FIELDS.items()}


def _met_fields(start: datetime.date, end: datetime.date, via: str = "") -> dict:
    """Acceptance and completion deadlines met between ``start`` and ``end`` (local dates), as
    lookups on a deadline, or through a relation named by ``via`` ("deadlines__")."""
    return {
        f"{via}state": DeadlineState.MET,
        f"{via}met_at__date__gte": start,
        f"{via}met_at__date__lte": end,
        f"{via}rule__code__in": ACCEPTANCE_RULES + COMPLETION_RULES,
    }


def _met(user, start: datetime.date, end: datetime.date):
    """Acceptance and completion deadlines met between ``start`` and ``end`` in cases ``user`` sees."""
    return Deadline.objects.filter(
        case_id__in=visible_cases(user, Case.objects.all()).values("pk"), **_met_fields(start, end)
    )


def _buckets(now):
    soon = now + datetime.timedelta(days=SOON_DAYS)
    return {
        "open": Q(),
        "due_soon": Q(next_due_at__gte=now, next_due_at__lte=soon),
        "overdue": Q(next_due_at__lt=now),
    }


def open_cases(user):
    return visible_cases(user, Case.objects.filter(closed_at__isnull=True)).annotate(
        town_code=Substr("region_id", 1, 9)
    )


def bucket_queryset(user, bucket: str, group: str = "", key: str = ""):
    """The cases behind one dashboard figure."""
    now = timezone.now()
    buckets = _buckets(now)
    if bucket not in buckets:
        return Case.objects.none()
    qs = open_cases(user).filter(buckets[bucket])
    if group in GROUPS and key:
        if group == "unit":
            unit = parse_id(key)
            qs = qs.filter(handling_unit_id=unit) if unit else qs.none()
        else:
            qs = qs.filter(**{GROUPS[group]: key})
    return qs


def counts_by(user, group: str) -> list[dict]:
    """Open, due-soon and overdue counts per unit, town or village, most overdue first."""
    return all_counts(user)[group]


def all_counts(user) -> dict[str, list[dict]]:
    """Open, due-soon and overdue counts per handling unit, town and village, most overdue first."""
    return summary(user, None)[0]


def summary(user, limit: int | None) -> tuple[dict[str, list[dict]], dict[str, int], dict[str, int]]:
    """The dashboard's three tables cut to their first ``limit`` rows (all when None), each table's
    whole size, and the totals.

    Where the user sees a whole region (a covering unit's, or everything for a superuser) on
    PostgreSQL, the open counts come from the open-case tally (cases.tally) and only the cases due
    within SOON_DAYS are read, by the covering due-date index, with what the user sees beyond the
    region; the tables are summed, ordered and cut in the database (cases.tally.rollup), so the
    province's ~50,000 rows never reach Python. Otherwise every figure is counted from the cases and
    summed here. tests/cases/test_tally.py keeps the two equal."""
    whole = region_wholly_visible(user) if tally.available() else None
    if whole is None:
        groups = _counted(user)
        totals = {k: sum(r[k] for r in groups["unit"]) for k in ("open", "due_soon", "overdue")}
        return (
            {g: rows[:limit] if limit is not None else rows for g, rows in groups.items()},
            {g: len(rows) for g, rows in groups.items()},
            totals,
        )
    prefix, withheld = whole
    now = timezone.now()
    b = _buckets(now)
    due = {"s": _flag(b["due_soon"]), "d": _flag(b["overdue"])}
    soon = now + datetime.timedelta(days=SOON_DAYS)
    parts = [
        tally.open_rows(prefix, withheld),
        visible_cases_in_region(
            user, Case.objects.filter(closed_at__isnull=True, next_due_at__lte=soon), prefix
        )
        .annotate(o=Value(0), **due)
        .values_list("handling_unit_id", "region_id", "o", "s", "d"),
        visible_beyond_region(user, Case.objects.filter(closed_at__isnull=True), prefix)
        .annotate(o=Value(1), **due)
        .values_list("handling_unit_id", "region_id", "o", "s", "d"),
    ]
    tables = tally.rollup(parts, limit)
    total = tables.pop("total")[0]
    totals = {k: total[0][k] if total else 0 for k in ("open", "due_soon", "overdue")}
    return (
        {g: rows for g, (rows, _size) in tables.items()},
        {g: size for g, (_rows, size) in tables.items()},
        totals,
    )


def _flag(q: Q):
    return models.Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def _counted(user) -> dict[str, list[dict]]:
    """The three tables from one query grouped by handling unit and village, added up in Python: a
    county gives about a thousand pairs, where three aggregates over every open case cost three
    times as much (docs/performance.md)."""
    now = timezone.now()
    b = _buckets(now)
    pairs = (
        open_cases(user)
        .values("handling_unit_id", "region_id")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=b["due_soon"]),
            overdue=Count("pk", filter=b["overdue"]),
        )
        .order_by()
        .values_list("handling_unit_id", "region_id", "open", "due_soon", "overdue")
    )
    units: dict = {}
    villages: dict = {}
    for unit, region, *figures in pairs:
        _add(units, unit, figures)
        _add(villages, region, figures)
    towns: dict = {}
    for region, figures in villages.items():
        _add(towns, region[:9], figures)

    def table(sums):
        rows = [{"key": key, "open": o, "due_soon": s, "overdue": d} for key, (o, s, d) in sums.items()]
        return sorted(rows, key=tally.table_order)

    return {"unit": table(units), "town": table(towns), "village": table(villages)}


def _add(sums: dict, key, figures) -> None:
    """Add (open, due soon, overdue) into ``sums[key]``, in place."""
    row = sums.setdefault(key, [0, 0, 0])
    for i, figure in enumerate(figures):
        row[i] += figure


def rates_by_unit(user, start: datetime.date, end: datetime.date) -> list[dict]:
    """On-time acceptance (按期受理率) and completion (按期办结率) per handling unit, for deadlines
    met between ``start`` and ``end`` (inclusive, Asia/Shanghai), from the frozen on-time flags."""
    # The same deadlines as _met (and the drill-down), counted from the visible cases' side: the
    # cases are the rule's bitmap and their deadlines an index lookup each, where a filter on the
    # deadlines by case ids joined every case again (a county: 1.0 s -> 0.5 s). The filter comes
    # before the counts, so they count only the deadlines it admits.
    met = Case.objects.filter(**_met_fields(start, end, via="deadlines__"))
    counts = {
        name: Count("deadlines", filter=Q(**{f"deadlines__{k}": v for k, v in fields.items()}))
        for name, fields in RATE_FIELDS.items()
    }
    rows = visible_cases(user, met).values("handling_unit_id", "handling_unit__name").annotate(**counts)
    result = []
    for r in rows.order_by():
        result.append(
            {
                "unit": r["handling_unit__name"] or "—",
                "key": r["handling_unit_id"] or "none",
                **{k: r[k] for k in RATE_BUCKETS},
                "acceptance_rate": _rate(r["accepted_on_time"], r["accepted"]),
                "completion_rate": _rate(r["completed_on_time"], r["completed"]),
            }
        )
    # The units with most late deadlines first: what a supervisor chases, and what the dashboard's
    # top rows show.
    result.sort(key=lambda r: (-_late(r), r["unit"], str(r["key"])))
    return result


def _late(row: dict) -> int:
    return row["accepted"] - row["accepted_on_time"] + row["completed"] - row["completed_on_time"]


def table_rows() -> int:
    """How many rows each dashboard table shows; the rest are one click away (``table_view``)."""
    return getattr(settings, "DASHBOARD_TABLE_ROWS", 15)


def name_rows(groups: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Give count rows their unit or region names (two queries for any number of groups), looking
    up only the rows passed: the ones shown (a county has hundreds of villages, the province tens of
    thousands)."""

    def keys(group):
        return [r["key"] for r in groups.get(group, ()) if r["key"]]

    # A town row's key is its 9-digit prefix; the town itself is that prefix + "000".
    suffix = {"unit": "", "town": "000", "village": ""}
    units = dict(Unit.objects.filter(pk__in=keys("unit")).values_list("pk", "name")) if keys("unit") else {}
    codes = [k + suffix[g] for g in ("town", "village") for k in keys(g)]
    regions = (
        {pk: place_name(name) for pk, name in Region.objects.filter(pk__in=codes).values_list("pk", "name")}
        if codes
        else {}
    )
    named = {}
    for group, rows in groups.items():
        if group == "unit":
            named[group] = [{**r, "name": units.get(r["key"], "—")} for r in rows]
        else:
            named[group] = [{**r, "name": regions.get(r["key"] + suffix[group], r["key"])} for r in rows]
    return named


def period_bounds(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """ "month" = this month so far, "year" = this year so far (local dates, inclusive)."""
    return (today.replace(day=1) if period == "month" else datetime.date(today.year, 1, 1)), today


def rate_queryset(user, bucket: str, period: str, key: str = ""):
    """The met deadlines behind one rate figure (a deadline list: rates count deadlines, not cases)."""
    if bucket not in RATE_BUCKETS:
        return Deadline.objects.none()
    qs = _met(user, *period_bounds(period, timezone.localdate())).filter(RATE_BUCKETS[bucket])
    if key == "none":
        return qs.filter(case__handling_unit__isnull=True)
    if key:
        unit = parse_id(key)
        return qs.filter(case__handling_unit_id=unit) if unit else qs.none()
    return qs


def opened_queryset(user, month: str):
    """The cases behind one bar of the trend chart: registered in ``month`` ("YYYY-MM", local time)."""
    try:
        day = parse_month(month)
    except ValidationError:
        return Case.objects.none()
    first = datetime.datetime.combine(day, datetime.time.min)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return visible_cases(
        user,
        Case.objects.filter(
            opened_at__gte=timezone.make_aware(first), opened_at__lt=timezone.make_aware(following)
        ),
    )


def cached(user, name: str, compute):
    """(value, computed at) for the slow historical figures: the on-time rates and the monthly trend.

    They read every case of the user's jurisdiction (a county: tens of thousands) and change slowly,
    so they are kept ``DASHBOARD_CACHE_SECONDS`` (default 300) per user; the page shows when they
    were computed. The open / due-soon / overdue counts are never cached. 0 switches caching off.
    """
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)
    if seconds <= 0:
        return compute(), timezone.now()
    key = f"jiefen:dashboard:{name}:{user.pk}:{user.unit_id}:{timezone.localdate().isoformat()}"
    found = cache.get(key)
    if found is None:
        found = (compute(), timezone.now())
        cache.set(key, found, seconds)
    return found


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def monthly_trend(user, months: int = 12) -> list[dict]:
    """Cases opened per month over the last ``months`` months (for the trend chart)."""
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        visible_cases(user, Case.objects.filter(opened_at__date__gte=first))
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    found = {timezone.localtime(r["month"]).strftime("%Y-%m"): r["n"] for r in rows}
    out, cursor = [], first
    while cursor <= today:
        key = cursor.strftime("%Y-%m")
        out.append({"month": key, "n": found.get(key, 0)})
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    return out
