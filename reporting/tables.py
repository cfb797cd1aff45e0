"""The shape every statistics report shares: sheets of columns over rows of regions.

A column either counts cases (its ``q`` filters the annotated queryset, so the drill-down list
behind a figure is that same filter), sums a field, or is a rate of two other columns. Rates are
worked out from the counts of the row, the total row included, never averaged.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.db.models.functions import Substr

from accounts.models import PREFIX_LENGTH, Region, RegionLevel

SELF_ROW = "self"
TOTAL_ROW = "total"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    formula: str
    q: Q | None = None  # a count of cases matching q
    rate: tuple[str, str] | None = None  # (numerator key, denominator key)
    total_only: bool = False

    @property
    def drillable(self) -> bool:
        return self.q is not None


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]


@dataclass
class Row:
    key: str
    name: str
    values: dict = field(default_factory=dict)


@dataclass
class SheetResult:
    sheet: Sheet
    rows: list[Row]
    total: Row

    def all_rows(self):
        return [*self.rows, self.total]


def rate(numerator, denominator) -> Decimal | None:
    """A percentage with one decimal, rounded half up; None when nothing was due."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def row_regions(region: Region):
    """The rows of a report on ``region``: its children, in code order.

    Returns (prefix length that maps a case's region code to its row, [(row key, name)]). A case
    filed on the region itself (a town's own case) falls in the region's own row, shown last
    when it has figures.
    """
    if region.level >= RegionLevel.VILLAGE:
        return PREFIX_LENGTH[RegionLevel.VILLAGE], [(region.code, region.name)]
    length = PREFIX_LENGTH[RegionLevel(region.level + 1)]
    children = [(child.code[:length], child.name) for child in region.children.order_by("code")]
    return length, children


def group_expression(length: int):
    return Substr("region_id", 1, length)


def assemble(sheet: Sheet, region: Region, length: int, children, counts: dict) -> SheetResult:
    """Rows from ``counts`` = {row key: {column key: value}}; unknown keys go to the region's own row."""
    known = {key for key, _ in children}
    merged: dict[str, dict] = {}
    for key, values in counts.items():
        target = key if key in known else SELF_ROW
        bucket = merged.setdefault(target, {})
        for name, value in values.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)
    counted = [c.key for c in sheet.columns if not c.rate]

    def only_this_sheet(values):
        return {key: values.get(key, 0) for key in counted}

    rows = [Row(key, name, only_this_sheet(merged.get(key, {}))) for key, name in children]
    if SELF_ROW in merged:
        rows.append(Row(SELF_ROW, f"{region.name}本级", only_this_sheet(merged[SELF_ROW])))
    total = Row(TOTAL_ROW, "合计", {key: sum(row.values[key] for row in rows) for key in counted})
    for row in [*rows, total]:
        for column in sheet.columns:
            if column.rate:
                n, d = column.rate
                row.values[column.key] = rate(row.values[n], row.values[d])
        row.values = {c.key: row.values[c.key] for c in sheet.columns}  # column order
    return SheetResult(sheet, rows, total)


def serialise(results: list[SheetResult]) -> dict:
    """JSON-safe figures {sheet: {row: {column: value}}} for a frozen snapshot."""

    def plain(value):
        return None if value is None else str(value) if isinstance(value, Decimal) else value

    return {
        result.sheet.key: {
            row.key: {key: plain(value) for key, value in row.values.items()} for row in result.all_rows()
        }
        for result in results
    }


def narrow_to_row(queryset, region: Region, row_key: str):
    """The cases of one row of a report on ``region`` (the total row: all of them)."""
    length, children = row_regions(region)
    queryset = queryset.annotate(grp=group_expression(length))
    keys = [key for key, _name in children]
    if row_key == TOTAL_ROW:
        return queryset
    if row_key == SELF_ROW:
        return queryset.exclude(grp__in=keys)
    if row_key not in keys:
        return queryset.none()
    return queryset.filter(grp=row_key)
