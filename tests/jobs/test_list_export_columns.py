"""What a clerk gets from a list export (jobs.list_exports, cases.exports.write_xlsx): a Chinese
file and sheet name, the register's columns (mediator, outcome, dates, days taken), dates as date
cells and columns as wide as their contents."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.exports import display_width, write_xlsx
from tests.dispute_helpers import archived, new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def _download(client, name):
    response = client.get(reverse(f"{name}:export"))
    assert response.status_code == 200
    filename = unquote(response["Content-Disposition"].split("''", 1)[1])
    return filename, load_workbook(io.BytesIO(response.content)).active


def test_dispute_register_names_columns_and_values(client, demo):
    mediator = demo["xianjin_mediator"]
    open_one = new_dispute(mediator, summary="宅基地边界纠纷")
    closed = archived(new_dispute(mediator, summary="不属受理范围的纠纷"), demo["xianjin_supervisor"])
    client.force_login(mediator)
    filename, sheet = _download(client, "disputes")
    today = timezone.localdate()
    assert filename == f"人民调解案件清单-{today:%Y%m%d}.xlsx"
    assert sheet.title == "人民调解案件清单"
    header = [c.value for c in sheet[1]]
    for column in ("调解员", "结果", "登记时间", "结案日期", "办理天数", "承办单位"):
        assert column in header, header
    rows = {r[header.index("案件编号")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    first = rows[open_one.number]
    assert first[header.index("登记时间")] == datetime.datetime.combine(today, datetime.time())  # a date cell
    assert first[header.index("办理天数")] == 0 and first[header.index("结案日期")] is None
    assert first[header.index("调解员")] == (str(open_one.handler) if open_one.handler_id else None)
    second = rows[closed.number]
    assert second[header.index("结果")] == "不予受理"
    assert second[header.index("结案日期")] is not None
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_petition_register_names_and_columns(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    petition = new_petition(clerk)
    client.force_login(clerk)
    filename, sheet = _download(client, "petitions")
    assert filename.startswith("信访事项清单-") and sheet.title == "信访事项清单"
    header = [c.value for c in sheet[1]]
    for column in ("承办单位", "承办人", "结果", "结案日期", "办理天数"):
        assert column in header, header
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == petition.number)
    received = row[header.index("收到日期")]
    assert received is not None
    assert row[header.index("办理天数")] == (timezone.localdate() - petition.received_on).days


def test_columns_fit_their_longest_value_chinese_counting_double():
    data = write_xlsx(
        ["编号", "摘要", "天数", "日期"],
        [["诸暨〔2026〕调字第0001号", "短", 3, datetime.date(2026, 11, 24)], ["x", "很" * 200, 12, None]],
        "清单:测试/1",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "清单 测试 1"  # characters a sheet name may not hold are replaced
    widths = {c: sheet.column_dimensions[c].width for c in "ABCD"}
    assert widths["A"] == display_width("诸暨〔2026〕调字第0001号") + 2
    assert widths["B"] == 60  # capped: a long summary does not make a column three screens wide
    assert widths["C"] == 6 and widths["D"] == 12
    assert sheet["D2"].number_format == "yyyy-mm-dd"
