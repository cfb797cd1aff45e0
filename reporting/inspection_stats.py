"""The inspection ledger's monthly figures (排查台账, grids): 排查次数, 发现矛盾纠纷数 and 零报告率 by
town, village and grid, a sheet of the monthly mediation statistics.

Rows follow the report's region: a county's rows are its towns, a town's its villages, a village's
its 二级网格 (a 微网格 counts in the 二级网格 above it; the 一级网格's own reports in the village's
own row). Only the grids the reader may see are counted (accounts.scoping.visible_grids). The figures
are ledger entries, not cases: they are shown live, also on a frozen month, and are not drilled to a
case list; a village's grid row links to that grid's ledger instead.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Grid, GridLevel, RegionLevel
from accounts.scoping import visible_grids
from grids.models import Inspection, LedgerReport
from reporting.periods import Period
from reporting.tables import Column, Sheet, SheetResult, assemble, row_regions

GRID_ROW = "grid-"

SHEET = Sheet(
    "inspection",
    _("Inspection ledger"),
    (
        Column("inspections", _("Number of inspections"), "次", _("Inspections recorded in the grids' ledgers with a date in the period.")),
        Column("disputes_found", _("Disputes found"), "件", _("Sum of the disputes the inspections of the period found (or raised as cases).")),
        Column("reports", _("Weekly reports"), "份", _("Weekly inspection reports filed for the weeks beginning in the period.")),
        Column("zero_reports", _("Zero reports"), "份", _("Of those, weeks reported with nothing found (zero reports).")),
        Column("zero_rate", _("Zero-report rate"), "%", _("Zero reports ÷ weekly reports."), rate=("zero_reports", "reports")),
    ),
)  # fmt: skip


def grid_row_id(row_key: str) -> int | None:
    """The grid of a village report's row (a link to its ledger), or None."""
    return int(row_key[len(GRID_ROW) :]) if row_key.startswith(GRID_ROW) else None


def _rows(region, grids: dict[int, Grid]):
    """(row key of each grid id, the rows [(key, name)], the length passed to ``assemble``)."""
    if region.level < RegionLevel.VILLAGE:
        length, children = row_regions(region)
        return {pk: g.region_id[:length] for pk, g in grids.items()}, children, length
    second = {g.code: g for g in grids.values() if g.level == GridLevel.SECOND}
    keys = {}
    for pk, grid in grids.items():
        top = second.get(grid.code.split("-")[0]) if grid.code else None
        keys[pk] = f"{GRID_ROW}{top.pk}" if top else "self"
    children = [(f"{GRID_ROW}{g.pk}", g.name) for _code, g in sorted(second.items())]
    return keys, children, None


def sheet(user, region, period: Period) -> SheetResult:
    grids = {
        g.pk: g
        for g in visible_grids(user, Grid.objects.filter(region__code__startswith=region.prefix)).only(
            "pk", "region_id", "code", "level", "name"
        )
    }
    keys, children, length = _rows(region, grids)
    counts: dict[str, dict] = {}

    def add(grid_id, **values):
        bucket = counts.setdefault(keys[grid_id], {})
        for name, value in values.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)

    inspections = (
        Inspection.objects.filter(
            report__grid_id__in=list(grids), inspected_on__range=(period.start, period.end)
        )
        .values("report__grid_id")
        .annotate(n=Count("pk"), found=Sum("disputes_found"))
    )
    for row in inspections:
        add(row["report__grid_id"], inspections=row["n"], disputes_found=row["found"])
    reports = (
        LedgerReport.objects.filter(grid_id__in=list(grids), week_start__range=(period.start, period.end))
        .values("grid_id")
        .annotate(n=Count("pk"), zero=Count("pk", filter=Q(zero_report=True)))
    )
    for row in reports:
        add(row["grid_id"], reports=row["n"], zero_reports=row["zero"])
    return assemble(SHEET, region, length, children, counts)
