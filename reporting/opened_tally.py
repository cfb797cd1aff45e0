"""The analysis page's counts of cases opened (heat by month, heat and trends by category) for a
city or the province, read from the opened-case tally (reporting.models.CaseOpenedTally, kept by
the triggers of reporting migration 0008) instead of the cases.

The province's page read the cases three times for them (~0.3-0.6 s each at province scale,
docs/performance.md). The tally gives the same counts, case for case, under the conditions of the
petition tallies (reporting.petition_tally.reader): rows of cities or counties, whole months, a user
who sees the region whole but the cases withheld from their unit. Everything else counts the cases,
as do the page's other figures (conversions, repeats, respondents, medians) and every drill-down
list. tests/reporting/test_opened_tally.py holds them equal.
"""

from django.db import connection
from django.db.models import Q, Sum

from cases.models import CaseOpenedTally
from reporting import petition_tally


def reader(user, region, periods, length: int):
    """How to read the counts over ``periods`` from the tally ((withheld-from unit or None,)), or
    None: the conditions of the petition tallies (reporting.petition_tally.readable)."""
    return petition_tally.readable(user, region, periods, length)


def _rows(how, region, length: int):
    (withheld_from,) = how
    return petition_tally.tally_rows(CaseOpenedTally, region, length, withheld_from)


def by_month(how, region, window, length: int) -> dict:
    """{(row key, first day of the month): cases opened} over the months of ``window``."""
    first, last = petition_tally.month_range(window)
    rows = (
        _rows(how, region, length)
        .filter(month__range=(first, last))
        .values("grp", "month")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return {(row["grp"], row["month"]): row["n"] for row in rows if row["n"]}


def by_category(how, region, periods: dict, length: int, kind: str) -> list[dict]:
    """Rows as reporting.insight.by_category's query gives them: row key, category and the cases
    of ``kind`` opened in each of ``periods`` (name: period of whole months)."""
    ranges = {name: petition_tally.month_range(period) for name, period in periods.items()}
    dated = Q()
    for months in ranges.values():
        dated |= Q(month__range=months)
    rows = (
        _rows(how, region, length)
        .filter(dated, kind=kind)
        .values("grp", "category_id")
        .annotate(**{name: Sum("n", filter=Q(month__range=months)) for name, months in ranges.items()})
        .order_by()
    )
    out = []
    for row in rows:
        figures = {name: row[name] or 0 for name in ranges}
        if any(figures.values()):
            out.append({"grp": row["grp"], "category_id": row["category_id"], **figures})
    return out


# The petition tallies' fold, written out once from constants for this table.
FOLD = petition_tally.FOLD.format(
    table="reporting_case_opened_tally",
    key="county, withheld_from_unit_id, month, kind, category_id",
    values="n",
    sums="sum(n)",
    kept="sum(n) <> 0",
)


def fold() -> int:
    """Add up each key's rows into one, as the other tallies' folds; returns the rows written."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(FOLD)
        return cursor.rowcount


REFILL = """
DELETE FROM reporting_case_opened_tally;
INSERT INTO reporting_case_opened_tally (county, withheld_from_unit_id, month, kind, category_id, n)
SELECT substr(c.region_id, 1, 6), c.withheld_from_unit_id,
       date_trunc('month', c.opened_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind,
       reporting_case_category(c), count(*)
FROM cases_case c GROUP BY 1, 2, 3, 4, 5;
"""

# The triggers a bulk load switches off (benchmarks.scale.load), by table.
TRIGGERS = dict.fromkeys(
    ("cases_case", "cases_dispute", "petitions_petition"),
    ("reporting_case_opened_tally", "reporting_case_opened_tally_update"),
)


def refill_statements() -> list[str]:
    """Count the tally again from the cases, for a bulk load that switched the triggers off."""
    return [statement.strip() for statement in REFILL.split(";") if statement.strip()]
