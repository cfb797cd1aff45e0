"""The shape every statistics report shares: sheets of columns over rows of regions.

A column either counts cases (its ``q`` filters the annotated queryset, so the drill-down list
behind a figure is that same filter), sums a field, or is a rate of two other columns. Rates are
worked out from the counts of the row, the total row included, never averaged.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.translation import gettext, gettext_lazy

from accounts.models import PREFIX_LENGTH, Region, RegionLevel

SELF_ROW = "self"
TOTAL_ROW = "total"

# A column's unit is its key in the definitions (the figure filter formats 万元 by it); shown in
# the reader's language.
UNITS = {
    "件": gettext_lazy("count"),
    "人次": gettext_lazy("person-times"),
    "批": gettext_lazy("batches"),
    "人": gettext_lazy("persons"),
    "万元": gettext_lazy("10,000 yuan"),
    "次": gettext_lazy("times"),
    "份": gettext_lazy("reports"),
    "天": gettext_lazy("days"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    formula: str
    q: Q | None = None  # a count of cases matching q
    rate: tuple[str, str] | None = None  # (numerator key, denominator key)
    total_only: bool = False
    mean: tuple[str, str] | None = None  # (sum key, count key): an average with one decimal

    @property
    def drillable(self) -> bool:
        return self.q is not None

    @property
    def unit_shown(self) -> str:
        return str(UNITS.get(self.unit, self.unit))

    @property
    def heading(self) -> str:
        """The label and its unit, as a table's column head: 受理数（件）, Accepted (cases)."""
        return gettext("%(label)s (%(unit)s)") % {"label": self.label, "unit": self.unit_shown}


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


def drill_label(sheets: list[Sheet], column_key: str) -> str | None:
    """The label of the count column ``column_key`` (a figure with cases behind it), or None."""
    return next((c.label for s in sheets for c in s.columns if c.key == column_key and c.drillable), None)


def rate(numerator, denominator) -> Decimal | None:
    """A percentage with one decimal, rounded half up; None when nothing was due."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(total, count) -> Decimal | None:
    """An average with one decimal, rounded half up; None when nothing was counted."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


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


def grouped(queryset, case_field: str, by_case: bool, **aggregates) -> dict:
    """``aggregates`` of ``queryset`` (annotated with ``grp``) by row key, or by (row key, case id)
    when ``by_case``: the same query with the case in its GROUP BY, so the freeze learns which cases
    each figure counts without a query per figure or per case."""
    fields = ("grp", case_field) if by_case else ("grp",)
    out: dict = {}
    for row in queryset.values(*fields).annotate(**aggregates):
        key = (row.pop("grp"), row.pop(case_field)) if by_case else row.pop("grp")
        out.setdefault(key, {}).update(row)
    return out


def assemble(sheet: Sheet, region: Region, length: int, children, counts: dict) -> SheetResult:
    """Rows from ``counts`` = {row key: {column key: value}}; unknown keys go to the region's own row."""
    known = {key for key, _ in children}
    merged: dict[str, dict] = {}
    for key, values in counts.items():
        target = key if key in known else SELF_ROW
        bucket = merged.setdefault(target, {})
        for name, value in values.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)
    counted = [c.key for c in sheet.columns if not c.rate and not c.mean]

    def only_this_sheet(values):
        return {key: values.get(key, 0) for key in counted}

    rows = [Row(key, name, only_this_sheet(merged.get(key, {}))) for key, name in children]
    if SELF_ROW in merged:
        # Cases on the region itself rather than on a place below it.
        name = gettext("%(region)s itself") % {"region": region.name}
        rows.append(Row(SELF_ROW, name, only_this_sheet(merged[SELF_ROW])))
    total = Row(TOTAL_ROW, gettext("Total"), {key: sum(row.values[key] for row in rows) for key in counted})
    for row in [*rows, total]:
        for column in sheet.columns:
            if column.rate:
                n, d = column.rate
                row.values[column.key] = rate(row.values[n], row.values[d])
            elif column.mean:  # from the row's sum and count, both columns of the sheet
                summed, counted_in = column.mean
                row.values[column.key] = mean(row.values[summed], row.values[counted_in])
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


# Membership of a frozen report (StatisticsSnapshot.members): the ids of the cases each count
# figure counts, by row key, and each case's share of each sum figure:
#   {"counts": {figure: {row key: [case id, …]}}, "sums": {figure: {row key: [[case id, value], …]}}}
# Counts are 0 or 1 per case, so a figure restricted to some cases is a sum over those cases.


def members_of(per_case: dict, count_keys, sum_keys) -> dict:
    """Membership from figures grouped by (row key, case id) — each pass of a report run once with
    the case id in its GROUP BY — keeping only the figures the sheets show."""
    counts: dict[str, dict] = {}
    sums: dict[str, dict] = {}
    for (grp, case_id), values in sorted(per_case.items()):
        for key, value in values.items():
            if not value:
                continue
            if key in count_keys:
                counts.setdefault(key, {}).setdefault(grp, []).append(case_id)
            elif key in sum_keys:
                plain = str(value) if isinstance(value, Decimal) else value
                sums.setdefault(key, {}).setdefault(grp, []).append([case_id, plain])
    return {"counts": counts, "sums": sums}


def member_case_ids(members: dict) -> set[int]:
    """Every case counted in any figure of a frozen report."""
    ids = {i for rows in members["counts"].values() for listed in rows.values() for i in listed}
    ids.update(i for rows in members["sums"].values() for pairs in rows.values() for i, _v in pairs)
    return ids


def counts_of(members: dict, keep=None) -> dict:
    """{row key: {figure: value}} over the member cases, only those whose id is in ``keep`` when it
    is given: the counts a report is assembled from."""
    counts: dict[str, dict] = {}
    for key, rows in members["counts"].items():
        for grp, ids in rows.items():
            n = len(ids) if keep is None else sum(1 for i in ids if i in keep)
            values = counts.setdefault(grp, {})
            values[key] = values.get(key, 0) + n
    for key, rows in members["sums"].items():
        for grp, pairs in rows.items():
            total = 0
            for case_id, value in pairs:
                if keep is None or case_id in keep:
                    total += Decimal(value) if isinstance(value, str) else value
            values = counts.setdefault(grp, {})
            values[key] = values.get(key, 0) + total
    return counts


def member_ids(members: dict, column_key: str, row_key: str, children_keys) -> list[int]:
    """The member cases counted in one count figure of one row (the total row: of every row), the
    frozen counterpart of ``narrow_to_row(queryset.filter(q))``."""
    known = set(children_keys)
    rows = members["counts"].get(column_key, {})
    if row_key == TOTAL_ROW:
        return [i for ids in rows.values() for i in ids]
    if row_key == SELF_ROW:
        return [i for grp, ids in rows.items() if grp not in known for i in ids]
    return list(rows.get(row_key, [])) if row_key in known else []
