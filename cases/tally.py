"""The open-case tally (cases.models.tally): reading it within a jurisdiction, and folding it.

The dashboard of a county or of the province counts every open case of its region by handling unit
and village. Read from the cases, that is a scan of the region's open cases (the province: ~140,000
rows, 236 ms before any adding up, docs/performance.md); read from the tally, it is the region's
rows of a small table.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Q, Value

from cases.models import OpenCaseTally


def available() -> bool:
    """The trigger that keeps the tally exists on PostgreSQL only (migration cases/0035)."""
    return connection.vendor == "postgresql"


# The zone the month-cutting tallies' triggers cut months in (reporting migrations 0005-0008).
MONTH_ZONE = "Asia/Shanghai"


def monthly_tallies_available() -> bool:
    """The tallies that count by month (the opened-case tally, cases.models.CaseOpenedTally, and
    reporting's petition tallies) are kept by PostgreSQL triggers only, which cut months in
    MONTH_ZONE: read them only where that is this site's zone."""
    return connection.vendor == "postgresql" and settings.TIME_ZONE == MONTH_ZONE


def open_rows(prefix: str, withheld_from_unit_id: int | None):
    """The tally's rows under ``prefix`` as (handling unit id, region code, open, 0, 0) for
    ``rollup``, leaving out the accusations withheld from ``withheld_from_unit_id`` (信访工作条例
    §30) when it is given."""
    rows = OpenCaseTally.objects.filter(region_id__startswith=prefix)
    if withheld_from_unit_id is not None:
        rows = rows.filter(
            Q(withheld_from_unit_id__isnull=True) | ~Q(withheld_from_unit_id=withheld_from_unit_id)
        )
    return rows.annotate(s=Value(0), d=Value(0)).values_list("handling_unit_id", "region_id", "n", "s", "d")


FOLD = """
WITH gone AS (
    DELETE FROM cases_open_tally RETURNING region_id, handling_unit_id, withheld_from_unit_id, n
)
INSERT INTO cases_open_tally (region_id, handling_unit_id, withheld_from_unit_id, n)
SELECT region_id, handling_unit_id, withheld_from_unit_id, sum(n) FROM gone
GROUP BY 1, 2, 3 HAVING sum(n) <> 0
"""


REFILL = """
DELETE FROM cases_open_tally;
INSERT INTO cases_open_tally (region_id, handling_unit_id, withheld_from_unit_id, n)
SELECT region_id, handling_unit_id, withheld_from_unit_id, count(*) FROM cases_case
WHERE closed_at IS NULL GROUP BY 1, 2, 3;
"""


def refill_statements() -> list[str]:
    """Count the tally again from the cases, for a bulk load that switched the trigger off (the
    scale seeder): run in the load's transaction, after the trigger is back on."""
    return [statement.strip() for statement in REFILL.split(";") if statement.strip()]


def fold() -> int:
    """Add up the rows of each key into one (and drop keys that sum to nothing); returns the rows
    it wrote. One statement: a reader sees the rows before it or after it, and the sums are the same.
    A change committed meanwhile keeps its own row for the next fold; two folds at once are safe
    (the second finds the rows the first deleted gone, and leaves the first's sums alone)."""
    if not available():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(FOLD)
        return cursor.rowcount


# The dashboard's three tables from counts per (handling unit, region): grouped by unit, by town
# (the first 9 digits of the code) and by place, most overdue first, then most open, then the key
# (no unit first) — the order of supervision.dashboard's tables — each cut to its first rows, with
# its whole size. Summed in the database: the province has ~50,000 such rows.
ROLLUP = """
WITH p(u, r, o, s, d) AS ({parts}),
g AS MATERIALIZED (
    SELECT CASE WHEN GROUPING(u) = 0 THEN 'unit' WHEN GROUPING(substr(r, 1, 9)) = 0 THEN 'town'
                WHEN GROUPING(r) = 0 THEN 'village' ELSE 'total' END AS level,
           u, substr(r, 1, 9) AS t, r, sum(o) AS o, sum(s) AS s, sum(d) AS d
    FROM p GROUP BY GROUPING SETS ((u), (substr(r, 1, 9)), (r), ())
    HAVING sum(o) <> 0
)
(SELECT 'row', level, u, t, r, o, s, d FROM g WHERE level = 'unit'
 ORDER BY d DESC, o DESC, u IS NOT NULL, u LIMIT %s)
UNION ALL (SELECT 'row', level, u, t, r, o, s, d FROM g WHERE level = 'town'
 ORDER BY d DESC, o DESC, t LIMIT %s)
UNION ALL (SELECT 'row', level, u, t, r, o, s, d FROM g WHERE level = 'village'
 ORDER BY d DESC, o DESC, r LIMIT %s)
UNION ALL (SELECT 'row', level, u, t, r, o, s, d FROM g WHERE level = 'total')
UNION ALL (SELECT 'size', level, NULL, NULL, NULL, count(*), NULL, NULL FROM g GROUP BY level)
"""


def table_order(row: dict) -> tuple:
    """The dashboard tables' order: most overdue first, then most open; the key breaks ties (no unit
    first). The SQL of ROLLUP cuts each table by the same order."""
    return (-row["overdue"], -row["open"], row["key"] is not None, row["key"] or 0)


def rollup(parts, limit: int | None) -> dict[str, tuple[list[dict], int]]:
    """``parts``: querysets of (handling unit id, region code, open, due soon, overdue) rows, each
    row counting towards its key (a tally row, or one case). Returns per table ("unit", "town",
    "village") its first ``limit`` rows (all when None) as {"key", "open", "due_soon", "overdue"},
    and how many rows the whole table has; "total" holds the one row of the sums (none: no case)."""
    sqls, params = [], []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        sqls.append(f"({sql})")
        params.extend(part_params)
    tables: dict[str, list[dict]] = {level: [] for level in ("unit", "town", "village", "total")}
    sizes = dict.fromkeys(tables, 0)
    with connection.cursor() as cursor:
        # LIMIT NULL is no limit. Each table is cut by its own top-N sort, never a sort of them all.
        cursor.execute(ROLLUP.format(parts=" UNION ALL ".join(sqls)), [*params, limit, limit, limit])
        rows = cursor.fetchall()
    for what, level, unit, town, region, o, s, d in rows:
        if what == "size":
            sizes[level] = o
        else:
            key = {"unit": unit, "town": town, "village": region, "total": None}[level]
            tables[level].append({"key": key, "open": o, "due_soon": s, "overdue": d})
    # Each branch's ORDER BY picked its first rows; the order itself is set here (a UNION ALL keeps
    # no order by rule), by the same key: most overdue, most open, the key (no unit first).
    for rows_of_level in tables.values():
        rows_of_level.sort(key=table_order)
    return {level: (tables[level], sizes[level]) for level in tables}
