"""The monthly petition figures of a city or of the province read from the petition tallies
(reporting.models, kept by the triggers of reporting migrations 0005 and 0006), not from the
petition and visit tables.

The province's statistics page read the petition table twice for them (received, and the others)
and the visits once: ~1 s each on a slow day (docs/performance.md). The tallies give the same
numbers, petition for petition, for a report whose rows are cities or counties, a period of whole
months and a user who may see every petition of the region but those withheld from their unit
(§30); everything else (a county's or a town's report, a custom period, a department, the month-end
freeze and the drill-down lists, which need the petitions themselves) keeps the live passes of
reporting.petition_passes, as does the deadline pass. tests/reporting/test_petition_tally.py holds
them equal.
"""

import datetime

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Substr

from accounts.scoping_regions import wholly_visible_within
from cases.tally import monthly_tallies_available
from petitions.models import Channel, PetitionCategory
from reporting.models import (
    PetitionDeadlineTally,
    PetitionHandledTally,
    PetitionReceivedTally,
    PetitionVisitTally,
)
from reporting.periods import Period
from reporting.petition_passes import DEADLINE_METRICS, compared_periods, is_received_metric

# The tallies keep a county's code (reporting.models): rows of at most this length.
COUNTY_LENGTH = 6


def available() -> bool:
    """The triggers exist on PostgreSQL only, and cut months in Asia/Shanghai (migration 0005)."""
    return monthly_tallies_available()


def month_range(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the first and last months of ``period``, when it is whole months."""
    after = period.end + datetime.timedelta(days=1)
    if period.start.day != 1 or after.day != 1:
        return None
    return period.start, period.end.replace(day=1)


def reader(user, region, period: Period, length: int):
    """How to read ``region``'s figures for ``user`` from the tallies: (the unit whose withheld
    petitions to leave out, or None) in a tuple; None when the tallies cannot give them."""
    return readable(user, region, (period, *compared_periods(period).values()), length)


def readable(user, region, periods, length: int):
    """``reader``'s answer for figures counted over ``periods``: rows of at most COUNTY_LENGTH,
    whole months, a user who sees the region whole (but their unit's withheld cases)."""
    if length > COUNTY_LENGTH or not available():
        return None
    if any(month_range(p) is None for p in periods):
        return None
    return wholly_visible_within(user, region.prefix)


def tally_rows(model, region, length: int, withheld_from):
    rows = model.objects.filter(county__startswith=region.prefix)
    if withheld_from is not None:
        rows = rows.filter(Q(withheld_from_unit_id__isnull=True) | ~Q(withheld_from_unit_id=withheld_from))
    return rows.annotate(grp=Substr("county", 1, length))


def _received(region, period: Period, length: int, withheld_from, wanted: set) -> dict:
    ranges = {"": month_range(period), **{key: month_range(p) for key, p in compared_periods(period).items()}}
    dated = Q()
    for months in ranges.values():
        dated |= Q(month__range=months)
    tops = dict(PetitionCategory.objects.values_list("pk", "parent_id"))
    rows = (
        tally_rows(PetitionReceivedTally, region, length, withheld_from)
        .filter(dated)
        .values("grp", "dimension", "value")
        .annotate(**{f"in_{key}": Sum("n", filter=Q(month__range=months)) for key, months in ranges.items()})
        .order_by()
    )
    blank = dict.fromkeys(
        [*wanted, *(f"{key}_{what}" for key in ranges if key for what in ("received", "visit"))], 0
    )
    counts: dict = {}
    places = set()  # a row of the report: a place with a petition received in a compared period
    for row in rows:
        values = counts.setdefault(row["grp"], dict(blank))
        now = row["in_"] or 0
        if row["dimension"] == "all":
            if any(row[f"in_{key}"] for key in ranges):
                places.add(row["grp"])
            values["received"] += now
            for key in ranges:
                if key:
                    values[f"{key}_received"] += row[f"in_{key}"] or 0
            continue
        if row["dimension"] == "category":
            category = int(row["value"])
            figure = f"category_{tops.get(category) or category}"
        elif row["dimension"] == "flag":
            figure = row["value"]
        else:
            figure = f"{row['dimension']}_{row['value']}"
        if figure == f"channel_{Channel.VISIT}":
            for key in ranges:
                if key:
                    values[f"{key}_visit"] += row[f"in_{key}"] or 0
        if figure in wanted:
            values[figure] += now
    return {grp: values for grp, values in counts.items() if grp in places}


def handled_conditions(period: Period, satisfied: tuple) -> tuple[Q, dict[str, Q]]:
    """The live pass's filters (reporting.petition_stats.metric_filters, and petition_counts'
    narrowing to the petitions a period can count) on the tally's months: for a period of whole
    months, a date falls in the period exactly when its month does, and a moment falls on or after
    the period's start (or end) exactly when its month does."""
    first, last = month_range(period)
    unclosed_by_start = Q(closed__isnull=True) | Q(closed__gte=first)
    accepted = Q(accepted__range=(first, last))
    replied = Q(replied__range=(first, last))
    countable = (accepted | Q(replied__isnull=True) | Q(replied__gte=first)) & unclosed_by_start
    concluded = replied & unclosed_by_start
    return countable, {
        "accepted": accepted & unclosed_by_start,
        "not_accepted": Q(set_aside=True, closed__range=(first, last)) & countable,
        "closed": concluded,
        "in_progress": Q(accepted__lte=last)
        & (Q(replied__isnull=True) | Q(replied__gt=last))
        & (Q(closed__isnull=True) | Q(closed__gt=last)),
        "evaluable": concluded,
        "evaluated": concluded & Q(evaluated=True),
        "satisfied": concluded & Q(last_evaluation__in=satisfied),
    }


def _handled(region, period: Period, length: int, withheld_from, wanted: set, satisfied: tuple) -> dict:
    countable, conditions = handled_conditions(period, satisfied)
    conditions = {key: q for key, q in conditions.items() if key in wanted}
    rows = (
        tally_rows(PetitionHandledTally, region, length, withheld_from)
        .filter(countable)
        .values("grp")
        .annotate(countable=Sum("n"), **{f"of_{key}": Sum("n", filter=q) for key, q in conditions.items()})
        .order_by()
    )
    # A row of the report: a place with a petition the period can count, as in the live pass.
    return {
        row["grp"]: {key: row[f"of_{key}"] or 0 for key in conditions} for row in rows if row["countable"]
    }


def petition_counts(how, region, period: Period, length: int, filters: dict, satisfied: tuple) -> dict:
    """What reporting.petition_passes.petition_counts returns, from the tallies (``how`` from
    ``reader``; ``satisfied``: the evaluations the satisfied figure counts)."""
    (withheld_from,) = how
    received = {key for key in filters if is_received_metric(key)}
    others = {key for key in filters if not is_received_metric(key)}
    counts: dict = {}
    for part in (
        _received(region, period, length, withheld_from, received),
        _handled(region, period, length, withheld_from, others, satisfied),
    ):
        for key, values in part.items():
            counts.setdefault(key, {}).update(values)
    return counts


def visit_counts(how, region, period: Period, length: int) -> dict:
    """What reporting.petition_passes.visit_counts returns, from the visits tally."""
    (withheld_from,) = how
    ranges = {"": month_range(period), **{key: month_range(p) for key, p in compared_periods(period).items()}}
    dated = Q()
    for months in ranges.values():
        dated |= Q(month__range=months)
    now = Q(month__range=ranges[""])
    collective = now & Q(collective=True)
    rows = (
        tally_rows(PetitionVisitTally, region, length, withheld_from)
        .filter(dated)
        .values("grp")
        .annotate(
            batches=Sum("n"),  # a row of the report: a place with a visit in a compared period
            visit_batches=Sum("n", filter=now),
            visit_persons=Sum("persons", filter=now),
            collective_batches=Sum("n", filter=collective),
            collective_persons=Sum("persons", filter=collective),
            **{
                f"{key}_visit_persons": Sum("persons", filter=Q(month__range=months))
                for key, months in ranges.items()
                if key
            },
        )
        .order_by()
    )
    return {
        row.pop("grp"): {key: value or 0 for key, value in row.items() if key != "batches"}
        for row in rows
        if row["batches"]
    }


def deadline_counts(how, region, period: Period, length: int) -> dict | None:
    """What reporting.petition_passes.deadline_counts returns, from the deadline tally (migration
    0007), for one whole month that has passed; None for any other period. A month still running
    is counted live: what is overdue at its end so far depends on the day it is asked."""
    if not period.is_month or period.elapsed_end() != period.end:
        return None
    (withheld_from,) = how
    month = period.start
    rows = (
        tally_rows(PetitionDeadlineTally, region, length, withheld_from)
        .filter(Q(hi__isnull=True) | Q(hi__gt=month), lo__lte=month)
        .values("grp")
        .annotate(
            anything=Sum("n", filter=Q(dimension="any")),
            **{key: Sum("n", filter=Q(dimension=key)) for key in DEADLINE_METRICS},
        )
        .order_by()
    )
    # A row of the report: a place with a deadline the live pass reads, as it groups them.
    return {row["grp"]: {key: row[key] or 0 for key in DEADLINE_METRICS} for row in rows if row["anything"]}


FOLD = """
WITH gone AS (DELETE FROM {table} RETURNING {key}, {values})
INSERT INTO {table} ({key}, {values}) SELECT {key}, {sums} FROM gone GROUP BY {key} HAVING {kept}
"""
# Each tally's key and the values summed per key.
KEYS = {
    "reporting_petition_received_tally": ("county, withheld_from_unit_id, month, dimension, value", ("n",)),
    "reporting_petition_handled_tally": (
        "county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation",
        ("n",),
    ),
    "reporting_petition_visit_tally": ("county, withheld_from_unit_id, month, collective", ("n", "persons")),
    "reporting_petition_deadline_tally": ("county, withheld_from_unit_id, dimension, lo, hi", ("n",)),
}


# Written out once from the constants above: no value from outside ever reaches these statements.
FOLDS = tuple(
    FOLD.format(
        table=table,
        key=key,
        values=", ".join(values),
        sums=", ".join(f"sum({v})" for v in values),
        kept=" OR ".join(f"sum({v}) <> 0" for v in values),
    )
    for table, (key, values) in KEYS.items()
)


def fold() -> int:
    """Add up each key's rows into one in every tally (as cases.tally.fold), dropping keys that sum
    to nothing; returns the rows written."""
    if connection.vendor != "postgresql":
        return 0
    written = 0
    with connection.cursor() as cursor:
        for statement in FOLDS:
            cursor.execute(statement)
            written += cursor.rowcount
    return written


REFILL = """
DELETE FROM reporting_petition_received_tally;
DELETE FROM reporting_petition_handled_tally;
DELETE FROM reporting_petition_visit_tally;
DELETE FROM reporting_petition_deadline_months;
DELETE FROM reporting_petition_deadline_tally;
INSERT INTO reporting_petition_received_tally (county, withheld_from_unit_id, month, dimension, value, n)
SELECT r.*, count(*) FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
    LATERAL reporting_petition_received_rows(p, c) AS r
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO reporting_petition_handled_tally
    (county, withheld_from_unit_id, accepted, replied, closed, set_aside, evaluated, last_evaluation, n)
SELECT h.*, count(*) FROM petitions_petition p JOIN cases_case c ON c.id = p.case_ptr_id,
    LATERAL reporting_petition_handled_rows(p, c, reporting_petition_last_evaluation(p.case_ptr_id)) AS h
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO reporting_petition_visit_tally (county, withheld_from_unit_id, month, collective, n, persons)
SELECT r.county, r.withheld_from_unit_id, r.month, r.collective, count(*), sum(r.persons)
FROM petitions_visitbatch v JOIN petitions_petition p ON p.case_ptr_id = v.petition_id
    JOIN cases_case c ON c.id = p.case_ptr_id, LATERAL reporting_petition_visit_rows(p, c, v) AS r
GROUP BY 1, 2, 3, 4;
INSERT INTO reporting_petition_deadline_months (petition_id, county, withheld_from_unit_id, anything,
    notice_due, notice_on_time, handle_due, handle_on_time, overdue)
SELECT * FROM reporting_petition_deadline_months_now;
INSERT INTO reporting_petition_deadline_tally (county, withheld_from_unit_id, dimension, lo, hi, n)
SELECT s.*, count(*)
FROM reporting_petition_deadline_months f, LATERAL reporting_petition_deadline_spans(f) AS s
GROUP BY 1, 2, 3, 4, 5;
"""

# The triggers a bulk load switches off (benchmarks.scale.load), by table.
TRIGGERS = {
    "cases_case": (
        "reporting_petition_tally",
        "reporting_petition_tally_update",
        "reporting_petition_deadline_tally",
        "reporting_petition_deadline_tally_update",
    ),
    "petitions_petition": (
        "reporting_petition_tally",
        "reporting_petition_tally_update",
        "reporting_petition_deadline_tally",
        "reporting_petition_deadline_tally_update",
    ),
    "cases_deadline": (
        "reporting_petition_deadline_tally_insert",
        "reporting_petition_deadline_tally_update",
        "reporting_petition_deadline_tally_delete",
    ),
    "petitions_evaluation": (
        "reporting_petition_tally_insert",
        "reporting_petition_tally_update",
        "reporting_petition_tally_delete",
    ),
    "petitions_visitbatch": ("reporting_petition_tally",),
}


def refill_statements() -> list[str]:
    """Count the tallies again from the petitions, for a bulk load that switched the triggers off:
    run in the load's transaction, after the triggers are back on."""
    return [statement.strip() for statement in REFILL.split(";") if statement.strip()]
