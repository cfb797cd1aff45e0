"""The 信访信息系统 exchange (信访工作条例 §21, docs/exchange.md): the export in xlsx and JSON through
the list-export jobs, and the same format imported back, all rows or none, with per-row Chinese
errors. Files below are written by hand, as a vendor's would be."""

import datetime
import io
import json

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from accounts.demo import TOWNS
from jobs import list_exports
from jobs.imports import ImportRefused, check_file, import_file
from petitions import workflow as wf
from petitions.exchange import FIELDS
from petitions.models import Petition
from tests.petitions.helpers import new_petition

TODAY = timezone.localdate()
KEY = "petition_exchange"


def accepted(demo):
    """A claim the county bureau forwarded to 枫桥镇, which accepted it."""
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"], received_on=TODAY - datetime.timedelta(days=40))
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    return Petition.objects.get(pk=p.pk)


def export(user, key="petition_exchange_json"):
    spec = list_exports.LIST_EXPORTS[key]
    return list_exports.workbook(spec, user, QueryDict(""))


def xlsx(rows: list[dict]) -> bytes:
    """A hand-written exchange sheet: the headings of the columns used, in any order."""
    headings = list(dict.fromkeys(h for row in rows for h in row))
    book = openpyxl.Workbook()
    book.active.append(headings)
    for row in rows:
        book.active.append([row.get(h) for h in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reply_row(p, national="330000202610010001", **extra):
    return {
        "信访件编号": national, "本地编号": p.number, "办理状态代码": "replied",
        "处理结果代码": "not_supported", "答复日期": str(TODAY - datetime.timedelta(days=10)),
        "答复意见": "经调查，不予支持。", "送达日期": str(TODAY - datetime.timedelta(days=9)),
        "送达方式代码": "post", **extra,
    }  # fmt: skip


def test_s21_json_export_carries_the_format_scoped_and_masked(demo):
    p = accepted(demo)
    other = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["jiyang"])  # another town
    document = json.loads(export(demo["fengqiao_handler"]))
    records = {r["number"]: r for r in document["records"]}
    assert p.number in records and other.number not in records  # the one rule: the town sees what it handles
    record = records[p.number]
    assert list(record) == [key for key, _heading, _value in FIELDS]
    assert record["channel_code"] == "letter" and record["channel"] == "来信"
    assert record["status_code"] == "accepted" and record["status"] == "已签收待办理"
    assert record["region_code"] == TOWNS["fengqiao"]
    assert record["petitioners"] == "陈*国"  # masked for a handler, as on the page (cases.pii)
    county = {r["number"]: r for r in json.loads(export(demo["zhuji_petition_clerk"]))["records"]}
    assert county[p.number]["petitioners"] == "陈建国"  # a petition clerk sees it in full


def test_s21_exports_run_as_jobs_and_download_in_their_format(demo, client):
    accepted(demo)
    client.force_login(demo["zhuji_petition_clerk"])
    for key, content_type in (
        ("petition_exchange_json", "application/json"),
        (KEY, list_exports.CONTENT_TYPES["xlsx"]),
    ):
        response = client.post(reverse("jobs:export", args=[key]), {"query": ""})
        assert response.status_code == 302
        job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        download = client.get(reverse("jobs:download", args=[job_id]))
        assert download.status_code == 200 and download["Content-Type"] == content_type
        assert download["Content-Disposition"].endswith("." + key.split("_")[-1].replace("exchange", "xlsx"))


def test_s21_round_trip_reply_and_delivery_come_back_then_nothing_changes(demo):
    p = accepted(demo)
    supervisor = demo["zhuji_supervisor"]
    data = xlsx([reply_row(p)])
    checked = check_file(KEY, supervisor, "交换.xlsx", data)
    assert checked.errors == [] and len(checked.rows) == 1
    assert Petition.objects.get(pk=p.pk).status == "accepted"  # the check rehearsed and rolled back
    assert import_file(KEY, supervisor, "交换.xlsx", data) == [p.pk]
    p = Petition.objects.get(pk=p.pk)
    assert (p.national_number, p.status, p.outcome) == ("330000202610010001", "replied", "not_supported")
    assert p.deliveries.get().delivered_on == TODAY - datetime.timedelta(days=9)
    # Exported again, the record says what came in; imported again (as JSON), it changes nothing.
    exported = export(supervisor)
    record = next(r for r in json.loads(exported)["records"] if r["number"] == p.number)
    assert record["national_number"] == "330000202610010001" and record["status"] == "已办结"
    assert record["delivered_on"] == str(TODAY - datetime.timedelta(days=9))
    assert check_file(KEY, supervisor, "交换.json", exported).errors == []
    assert import_file(KEY, supervisor, "交换.json", exported) == []
    # And the xlsx export reads back the same way.
    assert import_file(KEY, supervisor, "交换.xlsx", export(supervisor, KEY)) == []
    assert p.timeline.filter(action="reply").count() == 1


def test_s21_a_bad_row_writes_nothing_and_says_why_in_chinese(demo):
    good, bad = accepted(demo), accepted(demo)
    supervisor = demo["zhuji_supervisor"]
    rows = [reply_row(good), reply_row(bad, national="330000202610010002", 办理状态代码="finalized")]
    data = xlsx(rows + [{"信访件编号": "330000209999999999", "本地编号": "不存在"}])
    checked = check_file(KEY, supervisor, "交换.xlsx", data)
    errors = {(e.row, e.column): e.message for e in checked.errors}
    assert set(errors) == {(3, "办理状态代码"), (4, "信访件编号")}
    assert "届满" in errors[(3, "办理状态代码")]  # finalize refuses: the §35 window is still open
    assert "330000209999999999" in errors[(4, "信访件编号")] and "辖区" in errors[(4, "信访件编号")]
    with pytest.raises(ImportRefused):
        import_file(KEY, supervisor, "交换.xlsx", data)
    assert not Petition.objects.filter(pk__in=[good.pk, bad.pk]).exclude(national_number="").exists()
    assert set(Petition.objects.filter(pk__in=[good.pk, bad.pk]).values_list("status", flat=True)) == {
        "accepted"
    }


def test_s21_cells_are_checked_before_any_step(demo):
    p = accepted(demo)
    rows = [
        reply_row(p, 处理结果代码="maybe"),
        {"信访件编号": "330000202610010003", "本地编号": p.number, "答复意见": "只有意见"},
        {"信访件编号": "330000202610010003", "本地编号": p.number},
        {"信访件编号": "330000202610010004", "本地编号": p.number, "办理状态": "待审核"},
        {
            "信访件编号": "330000202610010005",
            "本地编号": p.number,
            "答复日期": str(TODAY + datetime.timedelta(days=1)),
        },
    ]
    checked = check_file(KEY, demo["zhuji_supervisor"], "交换.xlsx", xlsx(rows))
    messages = " ".join(e.message for e in checked.errors)
    assert "maybe" in messages  # unknown code, with the allowed ones
    assert "出现多次" in messages or "多次" in messages
    assert "待审核" in messages
    assert {e.row for e in checked.errors} == {2, 3, 4, 5, 6}


def test_s21_the_import_does_only_what_the_user_may_do(demo):
    p = accepted(demo)
    # The county bureau's clerk may record a delivery but not reply for the town: the step refuses.
    checked = check_file(KEY, demo["zhuji_petition_clerk"], "交换.xlsx", xlsx([reply_row(p)]))
    assert [(e.row, e.column) for e in checked.errors] == [(2, "答复意见")]
    assert Petition.objects.get(pk=p.pk).national_number == ""


def test_s21_a_json_file_that_is_no_list_of_rows_is_refused_in_chinese(demo):
    from jobs.imports import FileRefused
    from jobs.imports.base import count_rows

    for data in (b"[" * 100_000 + b"]" * 100_000, b'{"records": 5}', b"not json", "[{}]".encode("utf-16")):
        assert count_rows("x.json", data) in (0, 1)
        with pytest.raises(FileRefused, match="json"):
            check_file(KEY, demo["zhuji_supervisor"], "x.json", data)


def test_s21_json_through_the_import_page_check_confirm_and_update(demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.models import Job, JobKind, JobStatus

    p = accepted(demo)
    keys = {heading: key for key, heading, _value in FIELDS}
    document = {"records": [{keys[h]: v for h, v in reply_row(p).items()}]}  # keyed as the JSON export is
    client.force_login(demo["zhuji_supervisor"])
    upload = SimpleUploadedFile("回传.json", json.dumps(document, ensure_ascii=False).encode())
    response = client.post(reverse("jobs:import"), {"importer": KEY, "file": upload})
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    assert response.status_code == 302 and check.status == JobStatus.DONE and check.report["errors"] == []
    assert Petition.objects.get(pk=p.pk).status == "accepted"
    client.post(reverse("jobs:confirm", args=[check.pk]))
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert job.status == JobStatus.DONE and job.report == {"updated": 1}
    assert (
        "已根据交换文件更新 1 件信访事项"
        in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    )
    assert Petition.objects.get(pk=p.pk).status == "replied"


def test_s21_the_exchange_template_downloads_with_its_headings(demo, client):
    client.force_login(demo["zhuji_petition_clerk"])
    response = client.get(reverse("jobs:template", args=[KEY]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["信访件编号", "本地编号", "办理状态代码"]
    notes = [
        row[0].value for row in openpyxl.load_workbook(io.BytesIO(response.content))["填写说明"].iter_rows()
    ]
    assert any("docs/exchange.md" in str(n) for n in notes) and not any("结案日期" in str(n) for n in notes)
