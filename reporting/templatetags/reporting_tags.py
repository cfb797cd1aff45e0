from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def figure(value, column):
    """A figure as printed: rates with one decimal and %, 万元 with two decimals, "—" for none."""
    if value is None or value == "":
        return "—"
    if column.rate:
        return f"{Decimal(value):.1f}%"
    if column.mean:
        return f"{Decimal(value):.1f}"
    if column.unit == "万元":
        return str(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return str(value)


@register.filter
def region_code(row_key):
    """The region code of a report row keyed by a code prefix (a town's 9 digits → 12)."""
    return row_key.ljust(12, "0") if row_key.isdigit() else ""


@register.filter
def drill_query(params):
    """A figure's drill-down parameters (reporting.insight.Cell.params) as a query string."""
    from urllib.parse import urlencode

    return urlencode(params)


@register.filter
def grid_row(row_key):
    """The grid of a village report's inspection row (its ledger is the drill-down), or None."""
    from reporting.inspection_stats import grid_row_id

    return grid_row_id(row_key)
