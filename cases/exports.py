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


def write_xlsx(headers: list[str], rows, sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append([neutralise_cell(v) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(
            12, len(header) * 2 + 4
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
