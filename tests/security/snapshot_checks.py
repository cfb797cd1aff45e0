"""Reading a statistics exit as its reader does (page cells, xlsx cells and comments, PDF text,
drill-down lists) and comparing every figure with what that reader may be told."""

import io
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from openpyxl import load_workbook

from reporting.tables import TOTAL_ROW, serialise
from reporting.templatetags.reporting_tags import figure

LIVE_WORD = "现值"
PDF_TOOLS = bool(shutil.which("pdftotext"))


class Tally(Counter):
    """Figures checked, by exit."""


def same(shown, expected) -> bool:
    """A cell read back equals a serialised figure (int, Decimal as text, None as "—")."""
    if expected is None:
        return shown in (None, "—")
    try:
        return Decimal(str(shown)) == Decimal(str(expected))
    except InvalidOperation:
        return False


def page_cells(html: str) -> dict:
    """{(sheet, row, column): text} of every figure on a statistics page."""
    cells = {}
    for part in html.split('data-sheet="')[1:]:
        sheet, table = part.split('"', 1)[0], part.split("</table>", 1)[0]
        for row_part in table.split('data-row="')[1:]:
            row, tr = row_part.split('"', 1)[0], row_part.split("</tr>", 1)[0]
            for column, td in re.findall(r'<td data-column="([^"]+)">(.*?)</td>', tr, re.S):
                cells[(sheet, row, column)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", td)).strip()
    return cells


class Reader:
    """One viewer reading one frozen report: ``frozen`` is what they may be told of the frozen
    figures ({sheet: {row: {column: value}}}, computed over the cases they may see when it was
    frozen), ``live`` their live report now (SheetResults), ``hidden`` case numbers they may not see.

    ``live_only``: the sheets the report shows after its own that the freeze never keeps (the
    module's ``live_sheets``: the mediation report's inspection ledger, whose figures are ledger
    entries, not cases). They are absent from every snapshot, so there is no frozen figure to
    compare: every exit must show them as their live figures, with no "现值" beside them, and they
    are checked for hidden case numbers like the rest. The frozen sheets are checked as before."""

    def __init__(self, client, slug, region, frozen, live, hidden, tally, live_only=()):
        self.client, self.slug, self.region = client, slug, region
        self.frozen, self.live_results, self.hidden, self.tally = frozen, live, hidden, tally
        self.live = serialise(live)
        self.live_only = list(live_only)
        self.live_only_figures = serialise(self.live_only)
        assert not set(self.live_only_figures) & set(self.live), "a live-only sheet is also frozen"
        self.shown_results = [*live, *self.live_only]  # in the order every exit shows them
        self.columns = {(r.sheet.key, c.key): c for r in self.shown_results for c in r.sheet.columns}
        self.params = {"region": region, "month": "2026-10"}

    def get(self, name, **extra):
        response = self.client.get(reverse(f"reporting:{name}", args=[self.slug]), {**self.params, **extra})
        assert response.status_code == 200, (name, response.status_code)
        return response

    def no_hidden_case(self, text, where):
        for number in self.hidden:
            assert number not in text, f"{number} in {where}"

    def expected(self, sheet, row, column):
        """(figure shown as frozen, live figure); a live-only sheet's figure is both."""
        if sheet in self.live_only_figures:
            value = self.live_only_figures[sheet][row][column]
            return value, value
        return self.frozen[sheet][row][column], self.live[sheet][row][column]

    def check_page(self) -> int:
        html = self.get("table").content.decode()
        self.no_hidden_case(html, "page")
        cells = page_cells(html)
        assert set(cells) == {
            (s, r, c)
            for figures in (self.live, self.live_only_figures)
            for s, rows in figures.items()
            for r, cs in rows.items()
            for c in cs
        }
        badges = 0
        for (sheet, row, column), text in cells.items():
            frozen, live = self.expected(sheet, row, column)
            col = self.columns[(sheet, column)]
            want = figure(frozen, col)
            if not same_value(frozen, live):
                want += f" {LIVE_WORD} {figure(live, col)}"
                badges += 1
            assert text == want, (self.slug, self.region, sheet, row, column, text, want)
        assert html.count("text-bg-warning") == badges
        self.tally["page figures"] += len(cells)
        return badges

    def check_xlsx(self) -> int:
        response = self.get("xlsx")
        book = load_workbook(io.BytesIO(response.content))
        comments = checked = 0
        for result in self.shown_results:
            sheet = book[str(result.sheet.title)[:31]]
            rows = list(sheet.iter_rows())
            header = next(i for i, r in enumerate(rows) if r[0].value == "区域")
            names = {row.name: row.key for row in result.all_rows()}
            for line in rows[header + 1 :]:
                row_key = names[line[0].value]
                for cell, column in zip(line[1:], result.sheet.columns, strict=True):
                    frozen, live = self.expected(result.sheet.key, row_key, column.key)
                    assert same(cell.value, frozen), (
                        result.sheet.key,
                        row_key,
                        column.key,
                        cell.value,
                        frozen,
                    )
                    checked += 1
                    if same_value(frozen, live):
                        assert cell.comment is None, (result.sheet.key, row_key, column.key)
                    else:
                        assert cell.comment.text == f"{LIVE_WORD} {live}", cell.comment.text
                        comments += 1
        for sheet in book.worksheets:
            for line in sheet.iter_rows(values_only=True):
                self.no_hidden_case(" ".join(str(v) for v in line if v is not None), "xlsx")
        self.tally["xlsx figures"] += checked
        self.tally["xlsx comments"] += comments
        return comments

    def check_pdf(self, tmp_path) -> int:
        """The PDF's text: no hidden case, no live figure beside a frozen one unless ``live``
        differs, and each table's 合计 line the frozen totals (when no live figure is beside them)."""
        if not PDF_TOOLS:
            return 0
        response = self.get("pdf")
        path = tmp_path / f"{self.slug}-{self.region}.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        self.no_hidden_case(text, "pdf")
        differing = sum(
            not same_value(self.frozen[s][r][c], self.live[s][r][c])
            for s, rows in self.live.items()
            for r, cs in rows.items()
            for c in cs
        )
        # Every live figure beside a frozen one adds a "现值" (a narrow cell may wrap it); the note
        # above the tables names the word too.
        note = self.get("table").content.decode().split('id="frozen-note">', 1)[1].split("</div>", 1)[0]
        flat = "".join(text.split())
        assert flat.count(LIVE_WORD) - "".join(note.split()).count(LIVE_WORD) == differing, self.region
        checked = 0
        if not differing:
            totals = [line for line in text.splitlines() if line.strip().startswith("合计")]
            assert len(totals) == len(self.shown_results)
            for line, result in zip(totals, self.shown_results, strict=True):
                numbers = re.findall(r"[\d.]+%?|—", line)
                want = [
                    figure(self.expected(result.sheet.key, TOTAL_ROW, c.key)[0], c)
                    for c in result.sheet.columns
                ]
                assert numbers == want, (result.sheet.key, numbers, want)
                checked += len(want)
        self.tally["pdf total figures"] += checked
        self.tally["pdf documents"] += 1
        return differing

    def check_drills(self, reported: dict) -> int:
        """Every figure whose reported value differs from what this viewer is told (where a hidden
        case was counted), and every figure of the total row that counts a case: the list has as
        many rows as the viewer's frozen figure and no hidden case. (The other rows' lists equal
        their figures by tests/reporting.)"""
        lists = 0
        for result in self.live_results:
            for column in (c for c in result.sheet.columns if c.drillable):
                for row in result.all_rows():
                    sheet = result.sheet.key
                    counted = reported[sheet].get(row.key, {}).get(column.key)
                    frozen = self.frozen[sheet][row.key][column.key]
                    if counted == frozen and (row.key != TOTAL_ROW or not frozen):
                        continue
                    html = self.get("drill", column=column.key, row=row.key).content.decode()
                    self.no_hidden_case(html, f"drill {sheet}/{row.key}/{column.key}")
                    assert html.count('class="case-row"') == frozen, (sheet, row.key, column.key)
                    lists += 1
        self.tally["drill-down lists"] += lists
        return lists


def same_value(frozen, live) -> bool:
    """As freeze.overlay compares: the serialised figures."""
    return frozen == live
