"""Every hostile payload in every text column of a dispute import file (csv and xlsx), through the
import page, its check job and the confirm step: each row is imported or refused with a Chinese
message naming the row, never a 500; the imported disputes' pages, the job report and the export
carry nothing executable and no formula cell. In the xlsx, tablib writes text starting with "=" as
a formula cell, so the file itself holds formula cells: they must not come back as formulas."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from jobs.imports.sample import sample_rows, to_file
from jobs.models import Job
from jobs.runner import run_job
from mediation.models import Dispute
from tests.security.hostile_checks import Tally, assert_no_formula, assert_safe_html
from tests.security.hostile_payloads import CJK, PAYLOADS, Payload

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
XML_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ufffe\uffff]")
TEXT_COLUMNS = ["summary", "facts", "place", "applicant_name", "applicant_address", "respondent_name",
                "respondent_address"]  # fmt: skip


def upload(client, name, data):
    response = client.post(
        reverse("jobs:import"), {"importer": "dispute", "file": SimpleUploadedFile(name, data)}, follow=True
    )
    assert response.status_code == 200
    job = Job.objects.order_by("-pk").first()
    if job and job.status == "queued":
        # More lines than the page runs inline (multi-line cells count as lines): the worker's turn.
        run_job(job.pk)
        job.refresh_from_db()
        response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert_safe_html(response.content.decode(), f"import job page {name}")
    return job, response


def payload_rows(payloads):
    rows = sample_rows("dispute", len(payloads), closed_share=0)
    for row, p in zip(rows, payloads, strict=True):
        row.update(
            {c: p.expected if p.wire is None else p.wire.decode("utf-8", "replace") for c in TEXT_COLUMNS}
        )
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_payload_in_every_import_column(client, demo, settings, tmp_path, request, fmt):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(demo["zhuji_supervisor"])
    payloads = [p for p in PAYLOADS if "\x00" not in p.text and len(p.text) < 20_000]
    if fmt == "xlsx":
        # What openpyxl refuses to write, or XML 1.0 forbids (U+FFFE/U+FFFF: the file cannot be read
        # at all; the check refuses it whole, tested below), is left to the csv run.
        payloads = [p for p in payloads if not XML_ILLEGAL.search(p.expected)]
    tally = Tally()
    rows = payload_rows(payloads)
    check, _response = upload(client, f"ledger.{fmt}", to_file("dispute", rows, fmt))
    assert check.status == "done", check.message
    errors = check.report["errors"]
    assert all(CJK.search(e["message"]) for e in errors), errors[:3]
    bad = {e["row"] for e in errors}
    good = [(i, p) for i, p in enumerate(payloads) if i + 2 not in bad]
    for i, p in enumerate(payloads):
        for column in TEXT_COLUMNS:
            tally.add(f"import {fmt}", column, p, "refused" if i + 2 in bad else "stored")
    # Every row the check refused carries a reason a person can act on; the rest are imported.
    check, response = upload(client, f"ledger.{fmt}", to_file("dispute", [rows[i] for i, _p in good], fmt))
    assert check.status == "done" and not check.report["errors"], check.report["errors"][:3]
    response = client.post(reverse("jobs:confirm", args=[check.pk]), follow=True)
    assert response.status_code == 200
    done = Job.objects.order_by("-pk").first()
    if done.status == "queued":
        run_job(done.pk)
        done.refresh_from_db()
    assert done.status == "done", done.message
    imported = Dispute.objects.order_by("pk")
    assert imported.count() == len(good)
    for dispute, (_i, p) in zip(imported, good, strict=True):
        want = p.expected if p.wire is None else p.wire.decode("utf-8", "replace").strip()
        got, want = dispute.summary, want[:200]
        if fmt == "xlsx":  # the file format keeps line ends its own way
            got, want = re.sub(r"[\r\n]", "", got), re.sub(r"[\r\n]", "", want)
        assert got == want, (dispute.summary, p)
        page = client.get(reverse("disputes:detail", args=[dispute.pk]))
        assert_safe_html(page.content.decode(), "imported dispute", p)
        tally.rendered("imported dispute detail")
    cells, _texts = assert_no_formula(client.get(reverse("disputes:export")).content, "disputes.xlsx")
    tally.rendered("disputes.xlsx cells", cells)
    tally.write(f"import-{fmt}", request)
    assert len(payloads) >= 280


def test_a_csv_with_nul_or_broken_bytes_is_refused_whole(client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(demo["zhuji_supervisor"])
    nul = [p for p in PAYLOADS if "\x00" in p.text]
    data = to_file("dispute", payload_rows([Payload("control", p.text) for p in nul][:1]), "csv")
    for name, content in [("nul.csv", data), ("broken.csv", data.replace(b"\x00", b"\xed\xa0\x80\xff"))]:
        job, response = upload(client, name, content)
        if job is None or job.status == "failed":
            message = job.message if job else str(response.context["form"].errors)
            assert CJK.search(message), message
        else:
            assert job.status == "done" and all(CJK.search(e["message"]) for e in job.report["errors"])


def test_an_xlsx_that_is_not_well_formed_is_refused_whole(client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(demo["zhuji_supervisor"])
    rows = payload_rows([Payload("control", "\ufffe\uffff")])
    job, _response = upload(client, "ledger.xlsx", to_file("dispute", rows, "xlsx"))
    assert job.status == "failed" and CJK.search(job.message), job.message
    assert Dispute.objects.count() == 0
