"""The template file: the Chinese headings, one example row, and a sheet explaining each column."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.exports import neutralise_cell


def template_xlsx(importer) -> bytes:
    with translation.override("zh-hans"):
        return _template(importer)


def _template(importer) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(importer.label)[:30]
    sheet.append([c.heading for c in importer.columns])
    sheet.append([neutralise_cell(c.example) for c in importer.columns])
    for position, column in enumerate(importer.columns, start=1):
        header = sheet.cell(row=1, column=position)
        header.font = Font(bold=True, color="C00000" if column.required else "000000")
        letter = header.column_letter
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.heading) + 2)
        if column.text:
            # Excel turns long digit strings (ID numbers, region codes) into rounded numbers.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=position).number_format = "@"
    notes = book.create_sheet(_("Notes"))
    notes.append([_("Column"), _("Must be filled in"), _("Example")])
    for column in importer.columns:
        notes.append([column.heading, _("yes") if column.required else "", neutralise_cell(column.example)])
    notes.append([])
    for line in importer.notes() or (
        _("Red headings are required. The first sheet is read; the heading row stays as it is."),
        _("Dates like 2024-03-05. Region: the 12-digit statistical division code."),
        _("Without a case number the next number of the year of registration is given."),
        _("A row with a closing date is stored as closed on that date."),
        _("Either every row is imported or none: correct the rows the check lists and upload again."),
    ):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
