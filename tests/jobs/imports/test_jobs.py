"""Job pages: upload, check, confirm, progress JSON, download; only the owner sees a job."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse

from jobs.models import Job, JobKind, JobStatus
from jobs.runner import run_job
from mediation.models import Dispute
from tests.jobs.imports.helpers import file_of, rows, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, data, fmt="xlsx", kind="dispute"):
    name, content = file_of(data, fmt, kind)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("jobs:import"), {"importer": kind, "file": SimpleUploadedFile(name, content)})


def test_upload_check_confirm_and_import(client, demo):
    client.force_login(demo["zhuji_mediator"])
    data = rows(n=30)
    response = upload(client, data)
    check = Job.objects.get(kind=JobKind.IMPORT_CHECK)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[check.pk])
    assert check.status == JobStatus.DONE and check.report["rows"] == 30 and Dispute.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "全部 30 行均通过检查" in page and reverse("jobs:confirm", args=[check.pk]) in page
    response = client.post(reverse("jobs:confirm", args=[check.pk]))
    job = Job.objects.get(kind=JobKind.IMPORT)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.DONE and job.report == {"created": 30} and Dispute.objects.count() == 30
    # A second click (another tab) leads to the same import instead of a second one.
    assert client.post(reverse("jobs:confirm", args=[check.pk]))["Location"] == response["Location"]
    assert Dispute.objects.count() == 30 and Job.objects.filter(kind=JobKind.IMPORT).count() == 1
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100 and status["status"] == "done"


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(client, demo):
    client.force_login(demo["zhuji_mediator"])
    data = rows(n=5)
    data[2]["category"] = "不存在的类别"
    response = upload(client, data, "csv")
    check = Job.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "5 行中有 1 行有错误" in page and "不存在的类别" in page and ">4<" in page
    assert reverse("jobs:confirm", args=[check.pk]) not in page
    assert client.post(reverse("jobs:confirm", args=[check.pk])).status_code == 404
    assert Dispute.objects.count() == 0


def test_upload_refuses_other_formats_and_roles(client, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(demo["zhuji_mediator"])
    response = client.post(
        reverse("jobs:import"), {"importer": "dispute", "file": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert response.status_code == 200 and "请上传 xlsx、csv 或 json 文件" in response.content.decode()
    assert (
        client.post(
            reverse("jobs:import"), {"importer": "petition", "file": SimpleUploadedFile("a.csv", b"x")}
        ).status_code
        == 200
    )
    assert not Job.objects.exists()
    client.force_login(demo["zhuji_statistician"])
    assert client.get(reverse("jobs:import")).status_code == 403
    assert client.get(reverse("jobs:template", args=["dispute"])).status_code == 403


def test_menu_offers_import_to_roles_that_register(client, demo):
    for username, shown in [
        ("xianjin_grid_worker", True),
        ("zhuji_petition_clerk", True),
        ("zhuji_statistician", False),
    ]:
        client.force_login(demo[username])
        page = client.get(reverse("home")).content.decode()
        assert (reverse("jobs:import") in page) is shown, username
        assert reverse("jobs:list") in page


def test_template_has_headings_and_an_example_row_that_passes_the_check(client, demo):
    import openpyxl

    from jobs.imports import check_file

    client.force_login(demo["zhuji_mediator"])
    response = client.get(reverse("jobs:template", args=["dispute"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings[:4] == ["案件编号", "登记日期", "区划代码", "纠纷类别"] and "申请人证件号码" in headings
    assert sheet.max_row == 2 and book.worksheets[1].title == "填写说明"
    checked = check_file("dispute", demo["zhuji_mediator"], "template.xlsx", response.content)
    assert checked.total == 1 and not checked.errors
    client.force_login(demo["zhuji_petition_clerk"])
    response = client.get(reverse("jobs:template", args=["petition"]))
    assert not check_file("petition", demo["zhuji_petition_clerk"], "t.xlsx", response.content).errors


def test_only_the_owner_sees_a_job(client, demo):
    owner = demo["zhuji_mediator"]
    client.force_login(owner)
    upload(client, rows(n=3))
    job = Job.objects.get()
    urls = [reverse(name, args=[job.pk]) for name in ("jobs:detail", "jobs:status", "jobs:download")]
    assert client.get(urls[0]).status_code == 200 and client.get(urls[1]).status_code == 200
    for other in ("zhuji_supervisor", "fengqiao_mediator", "zhuji_administrator"):
        client.force_login(demo[other])
        for url in urls:
            assert client.get(url).status_code == 404, (other, url)
        assert client.post(reverse("jobs:confirm", args=[job.pk])).status_code == 404
        assert f"#{job.pk}<" not in client.get(reverse("jobs:list")).content.decode()
    # Moved to another unit, the owner no longer sees what was computed for the old jurisdiction.
    owner.unit = demo["fengqiao_mediator"].unit
    owner.save()
    client.force_login(owner)
    assert client.get(urls[0]).status_code == 404


def test_job_page_and_status_take_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    client.force_login(demo["zhuji_mediator"])
    small = rows(n=3)
    small[1]["region"] = "990000000000"
    upload(client, small)
    big = rows(n=60, seed=3)
    for row in big:
        row["category"] = "不存在"
    upload(client, big)
    # session, user, job, the import started from it, roles, unit, unread count, session save (3).
    for job in Job.objects.all():
        with django_assert_max_num_queries(10):
            assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("jobs:list")).status_code == 200


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_closure_reports_of_a_month_as_a_zip(client, demo, tmp_path):
    data = rows(n=5, closed_share=1)
    months = ["2024-03-05", "2024-03-31", "2024-03-20", "2024-04-01", "2024-02-29"]
    regions = ["330681109219", "330681109241", "330681001001", "330681109219", "330681109219"]
    for row, closed, region in zip(data, months, regions, strict=True):
        row.update(opened_on="2024-01-15", closed_on=closed, region=region)
    run_import(demo["zhuji_mediator"], data)
    numbers = list(Dispute.objects.order_by("pk").values_list("number", flat=True))
    user = demo["fengqiao_mediator"]  # 枫桥镇: sees 先进村 and 阳春村, not 江东社区
    client.force_login(user)
    response = client.post(reverse("jobs:closure_batch"), {"month": "2024-03"})
    job = Job.objects.get(kind=JobKind.CLOSURE_BATCH)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.status == JobStatus.QUEUED
    assert run_job(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total == job.done == 2
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{n}-结案报告.pdf" for n in numbers[:2])
    for number in numbers[:2]:
        path = tmp_path / "report.pdf"
        path.write_bytes(archive.read(f"{number}-结案报告.pdf"))
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert number in text.replace(" ", "") and "结案报告" in text.replace(" ", "")
    client.force_login(demo["jiyang_mediator"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_month_without_archived_disputes_and_a_bad_month(client, demo):
    client.force_login(demo["xianjin_mediator"])
    client.post(reverse("jobs:closure_batch"), {"month": "2020-01"})
    job = Job.objects.get()
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.result_path and "没有" in job.message
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    response = client.post(reverse("jobs:closure_batch"), {"month": "2024-13"})
    assert response.status_code == 400 and Job.objects.count() == 1


def test_a_large_file_is_checked_in_the_background(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["zhuji_mediator"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, rows(n=501), "csv")
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.total == 501 and len(callbacks) == 1
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and reverse("jobs:status", args=[job.pk]) in page and "jobs.js" in page
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["finished"] is False
    assert run_job(job.pk) == "done"  # what the worker does with the message
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["rows"] == 501 and not job.report["errors"]
