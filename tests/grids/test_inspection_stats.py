"""排查次数, 发现矛盾纠纷数 and 零报告率 by town, village and grid (reporting.inspection_stats), on the
fixture month of tests/grids/ledger_month.py, worked out by hand:

先进村 第一网格 (with its 微网格): inspections 13 and 14 Oct (found 1 and 0); reports for the weeks
of 5 Oct (zero), 12 Oct, and 19 Oct (the 微网格, zero): 3 reports, 2 zero, 66.7 %.
先进村 第二网格: one inspection on 6 Oct (found 2); reports 5 Oct and 26 Oct (zero): 50.0 %.
先进村 itself (一级网格): one inspection on 20 Oct (found 0), one report, 0.0 %.
先进村: 4 inspections, 3 disputes, 6 reports, 3 zero, 50.0 %.
阳春村: one zero report (12 Oct); the week of 28 Sep and its inspection are September's.
枫桥镇: 4, 3, 7, 4, 57.1 %.
"""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region
from reporting import inspection_stats
from reporting.periods import Period
from tests.grids.ledger_month import build

pytestmark = pytest.mark.django_db
OCTOBER = Period.month(2026, 10)
X, Y, FQ = VILLAGES["xianjin"], VILLAGES["yangchun"], TOWNS["fengqiao"]
COLUMNS = ("inspections", "disputes_found", "reports", "zero_reports", "zero_rate")


def row(*values):
    *counts, rate = values
    return dict(zip(COLUMNS, [*counts, None if rate is None else Decimal(rate)], strict=True))


def rows(user, code):
    result = inspection_stats.sheet(user, Region.objects.get(code=code), OCTOBER)
    return {r.key: r.values for r in result.all_rows()}


def test_village_rows_are_its_grids(demo):
    grid = build(demo)
    got = rows(demo["xianjin_supervisor"], X)
    assert got[f"grid-{grid['01'].pk}"] == row(2, 1, 3, 2, "66.7")
    assert got[f"grid-{grid['02'].pk}"] == row(1, 2, 2, 1, "50.0")
    assert got["self"] == row(1, 0, 1, 0, "0.0")
    assert got["total"] == row(4, 3, 6, 3, "50.0")


def test_town_and_county_rows(demo):
    build(demo)
    town = rows(demo["fengqiao_supervisor"], FQ)
    assert town[X[:12]] == row(4, 3, 6, 3, "50.0")
    assert town[Y[:12]] == row(0, 0, 1, 1, "100.0")
    assert town["total"] == row(4, 3, 7, 4, "57.1")
    county = rows(demo["zhuji_statistician"], COUNTY)
    assert county[FQ[:9]] == row(4, 3, 7, 4, "57.1")
    assert county["total"] == row(4, 3, 7, 4, "57.1")


def test_a_grid_worker_counts_only_their_grids(demo):
    grid = build(demo)
    got = rows(demo["xianjin_grid1"], X)
    assert set(got) == {f"grid-{grid['01'].pk}", "total"}
    assert got["total"] == row(2, 1, 3, 2, "66.7")


def _page(client, view):
    return client.get(reverse(view, args=["mediation"]), {"region": X, "month": "2026-10"})


def test_screen_xlsx_and_pdf_show_the_ledger_sheet(demo, client, tmp_path):
    grid = build(demo)
    client.force_login(demo["xianjin_supervisor"])
    page = _page(client, "reporting:table").content.decode()
    assert "排查台账" in page and "排查次数" in page and "零报告率" in page
    section = page.split('data-sheet="inspection"', 1)[1].split("</table>", 1)[0]
    first = section.split(f'data-row="grid-{grid["01"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert reverse("grids:ledger", args=[grid["01"].pk]) in first  # the drill-down to the grid
    for value in ("2", "1", "3", "66.7%"):
        assert f">{value}</td>" in first
    total = section.split('data-row="total"', 1)[1].split("</tr>", 1)[0]
    assert ">50.0%</td>" in total and ">6</td>" in total

    book = load_workbook(io.BytesIO(_page(client, "reporting:xlsx").content))
    sheet = book["排查台账"]
    table = {r[0]: r[1:6] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert table["先进村第一网格"] == (2, 1, 3, 2, 66.7)
    assert table["合计"] == (4, 3, 6, 3, 50.0)

    if shutil.which("pdftotext"):
        path = tmp_path / "s.pdf"
        path.write_bytes(_page(client, "reporting:pdf").content)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "排查台账" in text
        line = next(x for x in text.splitlines() if "先进村第一网格" in x)
        assert line.split()[1:] == ["2", "1", "3", "2", "66.7%"]
