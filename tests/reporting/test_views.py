"""Statistics on screen, as xlsx and as PDF agree with the hand-worked fixture month; the freeze
keeps what was reported; only statisticians and supervisors of the region see any of it."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.models import StatisticsSnapshot
from tests.reporting.petition_month import COUNTY, FENGQIAO, JIYANG, build, petition
from tests.reporting.test_petition_stats import TOTAL_SUMMARY

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
OCTOBER = {"region": COUNTY, "month": "2026-10"}
URL = reverse("reporting:table", args=["petitions"])


@pytest.fixture
def month(demo):
    return build()


@pytest.fixture
def statistician(client, demo):
    client.force_login(demo["zhuji_statistician"])
    return client


def screen_cell(html, sheet, row, column):
    table = html.split(f'data-sheet="{sheet}"', 1)[1].split("</table>", 1)[0]
    tr = table.split(f'data-row="{row}"', 1)[1].split("</tr>", 1)[0]
    td = tr.split(f'data-column="{column}">', 1)[1].split("</td>", 1)[0]
    return re.sub(r"<[^>]+>", "", td).strip()


def printed(value):
    return "—" if value is None else f"{value}%" if not isinstance(value, int) else str(value)


def test_the_screen_shows_the_expected_table_with_its_definitions(month, statistician):
    response = statistician.get(URL, OCTOBER)
    assert response.status_code == 200
    html = response.content.decode()
    for key, value in TOTAL_SUMMARY.items():
        assert screen_cell(html, "summary", "total", key) == printed(value), key
    assert screen_cell(html, "summary", FENGQIAO, "received") == "3"
    assert screen_cell(html, "channel", "total", "visit_persons") == "13"
    # Each formula is on the page, in Chinese.
    assert "书面告知" in html or "告知" in html
    assert "按期受理率" in html and "满意率" in html
    assert "2026年10月" in html


def test_each_figure_links_to_a_list_of_that_many_cases(month, statistician):
    html = statistician.get(URL, OCTOBER).content.decode()
    links = re.findall(r'href="(/statistics/petitions/drill/\?[^"]+)">(\d+)</a>', html)
    assert len(links) > 20
    for href, figure in links:
        page = statistician.get(href.replace("&amp;", "&"))
        assert page.status_code == 200
        assert len(re.findall(r'class="case-row"', page.content.decode())) == int(figure), href


def test_xlsx_reads_back_the_same_figures(month, statistician):
    response = statistician.get(reverse("reporting:xlsx", args=["petitions"]), OCTOBER)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "总表" and "口径说明" in book.sheetnames
    sheet = book["总表"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "区域")
    total = next(r for r in rows if r and r[0] == "合计")
    assert header[1].startswith("信访总量") or header[1].startswith("受理")  # Chinese labels
    got = dict(zip(TOTAL_SUMMARY, total[1:], strict=True))
    expected = {k: ("—" if v is None else v) for k, v in TOTAL_SUMMARY.items()}
    assert {k: (float(v) if v != "—" else v) for k, v in got.items()} == {
        k: (float(v) if v != "—" else v) for k, v in expected.items()
    }
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_text_carries_the_table(month, statistician, tmp_path):
    response = statistician.get(reverse("reporting:pdf", args=["petitions"]), OCTOBER)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "stats.pdf"
    path.write_bytes(response.content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(ARTIFACTS / "petition-statistics"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "月度信访统计" in text or "信访统计" in text
    assert "2026年10月" in text
    total_line = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    numbers = re.findall(r"[\d.]+%?|—", total_line)
    assert numbers == [printed(v) for v in TOTAL_SUMMARY.values()]
    assert re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)


def test_freeze_keeps_the_reported_figures_and_shows_the_live_ones(month, statistician, demo):
    response = statistician.post(
        reverse("reporting:freeze", args=["petitions"]) + "?region=330681000000&month=2026-10",
        {"note": "已报市"},
    )
    assert response.status_code == 302
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.frozen_by == demo["zhuji_statistician"]
    assert snapshot.figures["summary"]["total"]["received"] == 7
    # A petition of October registered late: the frozen figure stays, the live one shows beside it.
    petition("XF-LATE", "330681001001", "letter", "claim", "wage_arrears", datetime.date(2026, 10, 30))
    html = statistician.get(URL, OCTOBER).content.decode()
    assert screen_cell(html, "summary", "total", "received").split()[0] == "7"
    assert "8" in screen_cell(html, "summary", "total", "received")
    assert screen_cell(html, "summary", JIYANG, "received").startswith("3")
    assert "已报市" in html
    book = load_workbook(
        io.BytesIO(statistician.get(reverse("reporting:xlsx", args=["petitions"]), OCTOBER).content)
    )
    total = next(r for r in book["总表"].iter_rows() if r[0].value == "合计")
    assert total[1].value == 7 and "8" in total[1].comment.text
    # Frozen once only.
    again = statistician.post(
        reverse("reporting:freeze", args=["petitions"]) + "?region=330681000000&month=2026-10", follow=True
    )
    assert "已" in again.content.decode() and StatisticsSnapshot.objects.count() == 1


def test_the_current_month_cannot_be_frozen(month, statistician):
    statistician.post(reverse("reporting:freeze", args=["petitions"]) + "?region=330681000000&month=2099-01")
    assert not StatisticsSnapshot.objects.exists()


def test_mediation_statistics_page(demo, statistician):
    from tests.reporting.mediation_month import build as build_disputes

    build_disputes(demo["zhuji_mediator"])
    url = reverse("reporting:table", args=["mediation"])
    html = statistician.get(url, OCTOBER).content.decode()
    assert screen_cell(html, "summary", "total", "accepted") == "5"
    assert screen_cell(html, "summary", "total", "success_rate") == "40.0%"
    assert screen_cell(html, "summary", "total", "amount") == "2.50"
    book = load_workbook(
        io.BytesIO(statistician.get(reverse("reporting:xlsx", args=["mediation"]), OCTOBER).content)
    )
    total = next(r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "合计")
    assert total[1:3] == (7, 5)


@pytest.mark.parametrize("who", ["xianjin_mediator", "zhuji_petition_clerk", "zhuji_handler"])
def test_other_roles_are_refused(month, client, demo, who):
    client.force_login(demo[who])
    assert client.get(URL, OCTOBER).status_code == 403
    assert client.get(reverse("reporting:xlsx", args=["petitions"]), OCTOBER).status_code == 403


def test_a_region_outside_the_jurisdiction_is_a_form_error(month, client, demo):
    client.force_login(demo["fengqiao_statistician"])
    response = client.get(URL, {"region": "330681001000", "month": "2026-10"})  # 暨阳街道
    html = response.content.decode()
    assert response.status_code == 200 and "data-sheet" not in html
    assert "请选择您辖区内的区域" in html
    assert (
        client.get(reverse("reporting:xlsx", args=["petitions"]), {"region": "330681001000"}).status_code
        == 302
    )
    own = client.get(URL, {"region": "330681109000", "month": "2026-10"}).content.decode()
    assert screen_cell(own, "summary", "total", "received") == "3"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "请按 2026-10 的格式填写月份"),
        ({"start": "2026-10-05"}, "请同时填写"),
        ({"start": "2026-10-05", "end": "2026-10-01"}, "早于"),
        ({"start": "2024-01-01", "end": "2026-10-01"}, "一年"),
    ],
)
def test_bad_periods_get_chinese_errors(month, statistician, params, message):
    response = statistician.get(URL, {"region": COUNTY, **params})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_range_of_days(month, statistician):
    html = statistician.get(
        URL, {"region": COUNTY, "start": "2026-10-01", "end": "2026-10-10"}
    ).content.decode()
    # XF-P1, XF-P2, XF-P7, XF-P8 were received in the first ten days.
    assert screen_cell(html, "summary", "total", "received") == "4"
    assert "2026年10月1日至2026年10月10日" in html


def test_page_queries_do_not_grow(month, statistician, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        statistician.get(URL, OCTOBER)
    for i in range(30):
        petition(f"XF-N{i}", "330681109219", "visit", "claim", "wage_arrears", datetime.date(2026, 10, 9))
    with django_assert_max_num_queries(20):
        statistician.get(URL, OCTOBER)


def test_the_month_is_a_list_of_months_showing_the_report_month(statistician):
    """Issue 17: an empty <input type="month"> read "--------- ----" in Chromium; the month is a list
    of months with the month on screen selected, and an empty choice for a range of days."""
    html = statistician.get(URL).content.decode()
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert '<select name="month"' in html and 'type="month"' not in html
    assert re.search(rf'<option value="{last_month}" selected>', html)
    assert '<option value="">按起止日期</option>' in html
    older = statistician.get(URL, {"month": "2019-03"}).content.decode()
    assert '<option value="2019-03" selected>' in older
