"""The dry run: every error with its row number and a Chinese message, and nothing written."""

import pytest

from cases.models import Case, Person
from jobs.imports import FileRefused, ImportRefused, check_file
from tests.jobs.imports.helpers import check, file_of, rows, run_import

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_three_bad_rows_among_100_are_reported_and_nothing_is_imported(demo, fmt):
    user = demo["zhuji_mediator"]
    data = rows(n=100)
    data[9]["applicant_id"] = "110105194912310021"  # wrong check digit: spreadsheet row 11
    data[39]["region"] = "330681999999"  # no such village: row 41
    data[76]["opened_on"] = "2024-13-45"  # row 78
    checked = check(user, data, fmt)
    assert checked.total == 100 and len(checked.rows) == 97
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (11, "申请人证件号码", "身份证号码校验位不正确，请检查是否输错。"),
        (41, "区划代码", "未知的区划代码 330681999999。"),
        (78, "登记日期", "不是日期，请按 2024-03-05 的格式填写。"),
    ]
    with pytest.raises(ImportRefused) as refused:
        run_import(user, data, fmt)
    assert refused.value.checked.bad_rows == [11, 41, 78]
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_each_kind_of_error_in_chinese(demo):
    user = demo["fengqiao_mediator"]  # 枫桥镇: 先进村 and 阳春村, not 暨阳街道
    data = rows(n=9, closed_share=0)
    for row in data:
        row["region"] = "330681109219"
    data[0]["summary"] = ""
    data[1]["category"] = "口角纠纷"
    data[2]["region"] = "330681001001"  # 江东社区, another town
    data[3]["number"] = data[4]["number"] = "诸暨〔2024〕调字第0009号"
    data[5]["applicant_phone"] = "12345"
    data[6]["closed_on"] = "2023-01-01"
    data[7]["amount"] = "一千元"
    data[8]["source"] = "天上掉下来"
    errors = {(e.row, e.column): e.message for e in check(user, data).errors}
    assert errors == {
        (2, "纠纷简述"): "必填，此格为空。",
        (3, "纠纷类别"): "未知的类别“口角纠纷”。",
        (4, "区划代码"): "江东社区（330681001001）不在您的辖区内。",
        (5, "案件编号"): "案件编号 诸暨〔2024〕调字第0009号 在文件中出现多次（第 5、6 行）。",
        (6, "案件编号"): "案件编号 诸暨〔2024〕调字第0009号 在文件中出现多次（第 5、6 行）。",
        (7, "申请人电话"): "请输入 11 位手机号码，或带区号的固定电话号码。",
        (8, "结案日期"): "结案日期早于登记日期。",
        (9, "涉及金额（元）"): "不是以元为单位的金额。",
        (10, "纠纷来源"): errors[(10, "纠纷来源")],
    }
    assert errors[(10, "纠纷来源")].startswith("未知的值“天上掉下来”，请使用以下之一：")


def test_a_number_already_in_the_database_is_a_duplicate(demo):
    user = demo["zhuji_mediator"]
    first = rows(n=2)
    first[0]["number"] = "诸暨〔2023〕调字第0042号"
    run_import(user, first)
    again = rows(n=2, seed=7)
    again[1]["number"] = "诸暨〔2023〕调字第0042号"
    assert [(e.row, e.message) for e in check(user, again).errors] == [
        (3, "案件编号 诸暨〔2023〕调字第0042号 已存在。")
    ]


def test_missing_columns_and_unreadable_files_are_refused_as_a_whole(demo):
    user = demo["zhuji_mediator"]
    with pytest.raises(FileRefused, match="缺少.*纠纷类别"):
        check_file("dispute", user, "a.csv", "登记日期,区划代码\n2024-01-01,330681109219\n".encode())
    with pytest.raises(FileRefused, match="无法读取"):
        check_file("dispute", user, "a.xlsx", b"not a zip file")
    with pytest.raises(FileRefused, match="xlsx、csv 或 json"):
        check_file("dispute", user, "a.xls", b"")


def test_gb18030_csv_from_excel_is_read(demo):
    name, data = file_of(rows(n=3), "csv")
    data = data.decode("utf-8-sig").encode("gb18030")
    assert len(check_file("dispute", demo["zhuji_mediator"], name, data).rows) == 3


def test_a_role_that_does_not_register_disputes_cannot_import_them(demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        check(demo["zhuji_statistician"], rows(n=1))
    with pytest.raises(PermissionDenied):
        check(demo["zhuji_petition_clerk"], rows(n=1))


def test_petition_rows_are_checked_and_accusations_refused(demo):
    data = rows("petition", n=3)
    data[1]["petition_kind"] = "检举控告"
    data[2]["channel"] = "飞鸽传书"
    errors = {e.row: e.message for e in check(demo["zhuji_petition_clerk"], data, kind="petition").errors}
    assert set(errors) == {3, 4}
    assert "检举控告" in errors[3] or "被检举" in errors[3] or "手工" in errors[3]
    assert errors[4].startswith("未知的值“飞鸽传书”")


def test_text_too_long_for_its_field_is_an_error_not_cut_short(demo):
    data = rows(n=2)
    data[1]["summary"] = "长" * 201
    assert [(e.row, e.column, e.message) for e in check(demo["zhuji_mediator"], data).errors] == [
        (3, "纠纷简述", "超过 200 个字。")
    ]
