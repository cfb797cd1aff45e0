"""Spreadsheet export that cannot carry a formula.

django-import-export/tablib escaping strips only one leading "=", and tablib writes other "=…"
strings as formula cells (reliability.md §5), so exports here use openpyxl directly: every text
cell is written as a string, and text that a spreadsheet could read as a formula (= + - @, or a
tab, CR, LF or NUL first, also after leading spaces or as full-width ＝＋－＠) gets a leading
apostrophe (OWASP ASVS 1.2.10).
"""

import datetime
import io
import unicodedata
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise_cell(value):
    if value is None or isinstance(value, (int, float, Decimal, datetime.date, datetime.datetime)):
        return value
    text = str(value)
    # Control characters other than the ones that trigger are dropped (NUL cannot be stored), and so
    # is what XML 1.0 forbids: a lone surrogate or U+FFFE/U+FFFF would make the whole file unreadable.
    text = "".join(
        c
        for c in text
        if c in "\t\r\n" or (unicodedata.category(c) not in ("Cc", "Cs") and c not in "\ufffe\uffff")
    )
    probe = unicodedata.normalize("NFKC", text.lstrip(" "))
    if text[:1] in TRIGGERS or probe[:1] in TRIGGERS or value != text:
        return "'" + text
    return text


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60
SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: Chinese (wide) characters count two."""
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = "" if value is None else str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def write_xlsx(headers: list[str], rows, sheet_title: str) -> bytes:
    """One sheet named ``sheet_title`` with a bold, frozen header row; dates as date cells, columns
    as wide as their longest value (within MIN_WIDTH..MAX_WIDTH), text never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title.translate(SHEET_FORBIDDEN)[:31] or "Sheet1"
    sheet.append(headers)
    widths = [display_width(h) for h in headers]
    for row in rows:
        values = [neutralise_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = max(widths[i], display_width(value))
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for i, width in enumerate(widths, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
