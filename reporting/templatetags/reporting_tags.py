from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import gettext

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


@register.simple_tag
def statistics_cells(row, drill_url, query):
    """One row's figures as <td> cells (statistics.html): linked to their drill-down when they
    count cases and are not 0, with the live figure beside a frozen one that differs. Written here
    rather than as template code: a county's month page has ~2,000 cells, and the template's inner
    loop was a third of the page's time (docs/performance.md)."""
    key = row["row"].key
    live_title, now = gettext("live figure"), gettext("now")

    def content(cell):
        column, value = cell["column"], cell["value"]
        shown = figure(value, column)
        if column.drillable and value:
            inner = format_html(
                '<a href="{}?{}&amp;column={}&amp;row={}">{}</a>', drill_url, query, column.key, key, shown
            )
        else:
            inner = conditional_escape(shown)
        if cell["live"] is not None:
            inner += format_html(
                ' <span class="badge text-bg-warning" title="{}">{} {}</span>',
                live_title, now, figure(cell["live"], column),
            )  # fmt: skip
        return inner

    return format_html_join(
        "", '<td data-column="{}">{}</td>', ((cell["column"].key, content(cell)) for cell in row["cells"])
    )


@register.simple_tag
def heat_cells(cells, query):
    """A heat table's figures (reporting/_heat.html) as <td> cells shaded by level, each linked to
    the cases behind it when not 0. Written here rather than as template code: a town's analysis
    page has ~1,500 of them, and the template's loop, with a URL reversed per cell, was about a
    third of the page's time (docs/performance.md)."""
    url = reverse("insight:cases")
    return format_html_join(
        "",
        '<td class="heat-cell heat-{}">{}</td>',
        ((cell.level, _linked(cell, url, query)) for cell in cells),
    )


@register.simple_tag
def figure_cell(cell, query):
    """One analysis figure as a <td>, linked to the cases behind it when not 0 (as heat_cells)."""
    return format_html('<td class="text-end">{}</td>', _linked(cell, reverse("insight:cases"), query))


def _linked(cell, url, query):
    if not cell.value:
        return "0"
    return format_html('<a href="{}?{}&amp;{}">{}</a>', url, query, drill_query(cell.params), cell.value)


@register.simple_tag
def document_cells(row):
    """One row's figures as <td> cells of the statistics document (reports/statistics.html, the PDF):
    as ``statistics_cells``, without links, the live figure under a frozen one that differs. What it
    reads of a cell and its column is part of the document's digest (reporting.documents._shown)."""
    now = gettext("now")

    def live(cell):
        if cell["live"] is None:
            return ""
        return format_html('<br><span class="live">{} {}</span>', now, figure(cell["live"], cell["column"]))

    return format_html_join(
        "", "<td>{}{}</td>", ((figure(cell["value"], cell["column"]), live(cell)) for cell in row["cells"])
    )
