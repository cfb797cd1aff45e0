"""Statistics as a workbook: one sheet per table, a sheet of definitions, nothing a spreadsheet
could run as a formula (every text cell goes through cases.exports.neutralise_cell)."""

import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from cases.exports import neutralise_cell


def _put(sheet, row, column, value, bold=False):
    if isinstance(value, Promise):
        value = str(value)
    cell = sheet.cell(row=row, column=column, value=neutralise_cell("—" if value is None else value))
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING
    if bold:
        cell.font = Font(bold=True)
    return cell


def statistics_workbook(title: str, heading_lines: list[str], sheets: list[dict], comparison) -> bytes:
    """``sheets`` as freeze.overlay() returns them; a cell whose live value differs from the
    frozen one carries it as a comment."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in sheets:
        sheet = workbook.create_sheet(str(table["sheet"].title)[:31])
        r = 1
        for line in [title, *heading_lines]:
            _put(sheet, r, 1, line, bold=(r == 1))
            r += 1
        r += 1
        header_row = r
        _put(sheet, r, 1, _("Area"), bold=True)
        for c, column in enumerate(table["sheet"].columns, start=2):
            cell = _put(sheet, r, c, column.heading, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table["rows"]:
            r += 1
            _put(sheet, r, 1, row["row"].name, bold=row["row"].key == "total")
            for c, cell_data in enumerate(row["cells"], start=2):
                cell = _put(sheet, r, c, cell_data["value"])
                if cell_data["live"] is not None:
                    cell.comment = Comment(f"{_('now')} {cell_data['live']}", "解纷")
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
        sheet.column_dimensions["A"].width = 18
    if comparison:
        sheet = workbook.create_sheet(_("Comparison"))
        headers = [
            _("Figure"), _("This period"), _("Previous period"), _("Change on previous period (per cent)"),
            _("Same period last year"), _("Change on last year (per cent)"),
        ]  # fmt: skip
        for c, text in enumerate(headers, start=1):
            _put(sheet, 1, c, text, bold=True)
        for r, item in enumerate(comparison, start=2):
            values = [item["label"], item["current"], item["previous"], item["previous_change"],
                      item["year_before"], item["year_change"]]  # fmt: skip
            for c, value in enumerate(values, start=1):
                _put(sheet, r, c, value)
    definitions = workbook.create_sheet(_("How figures are counted"))
    _put(definitions, 1, 1, _("Table"), bold=True)
    _put(definitions, 1, 2, _("Figure"), bold=True)
    _put(definitions, 1, 3, _("Definitions"), bold=True)
    r = 1
    for table in sheets:
        for column in table["sheet"].columns:
            r += 1
            _put(definitions, r, 1, table["sheet"].title)
            _put(definitions, r, 2, column.heading)
            _put(definitions, r, 3, column.formula)
    definitions.column_dimensions["B"].width = 28
    definitions.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
