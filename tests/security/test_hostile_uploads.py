"""Uploads that lie (reliability.md §5, Upload/import and Paths), through the real upload and import
views: refused with a Chinese message or kept under a server-made name, never a 500, nothing
written outside MEDIA_ROOT. tests/cases/test_attachments.py covers the basic refusals; here every
case goes through one table and the file system is inspected afterwards."""

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment
from jobs.models import Job
from tests.dispute_helpers import new_dispute
from tests.security.hostile_payloads import CJK

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def archive(members: dict, *, big: dict | None = None) -> bytes:
    """A zip; ``big`` members are streamed as that many MB of zeros (a bomb: ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for name, megabytes in (big or {}).items():
            with z.open(name, "w", force_zip64=True) as out:
                chunk = b"\x00" * (1 << 20)
                for _ in range(megabytes):
                    out.write(chunk)
    return buffer.getvalue()


def many_entries(n: int, member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(member, "<x/>")
        for i in range(n):
            z.writestr(f"e/{i}", b"")
    return buffer.getvalue()


XLSX_OK = archive({"xl/workbook.xml": "<workbook/>"})


@functools.cache
def refused() -> list:
    """The refused uploads; the bombs are built when a test first asks (not at import: every pytest
    process imports this module to collect it, and building them took ~2 s)."""
    return [
        ("exe renamed pdf", "invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60),
        ("html as jpg", "photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("html as png", "photo.png", b"<svg onload=alert(1)>"),
        ("pdf named png", "scan.png", PDF),
        ("jpg named pdf", "scan.pdf", JPG),
        ("exe", "run.exe", b"MZ"),
        ("html", "page.html", b"<script>alert(1)</script>"),
        ("svg", "image.svg", b"<svg/>"),
        ("xlsm", "macro.xlsm", XLSX_OK),
        ("no extension", "../../etc/passwd", b"root:x:0:0"),
        ("bidi exe", "发票\u202efdp.exe", b"MZ"),
        ("double extension", "a.pdf.exe", b"MZ"),
        ("empty pdf", "empty.pdf", b""),
        ("empty xlsx", "empty.xlsx", b""),
        ("zip that is not xlsx", "book.xlsx", archive({"mimetype": "x"})),
        ("docx without document", "letter.docx", archive({"word/other.xml": "x"})),
        ("broken zip", "book.xlsx", b"PK\x03\x04" + b"\x00" * 50),
        (
            "xlsx bomb",
            "bomb.xlsx",
            archive({"xl/workbook.xml": "<w/>"}, big={"xl/worksheets/sheet1.xml": 110}),
        ),
        ("docx bomb", "bomb.docx", archive({"word/document.xml": "<d/>"}, big={"word/media/x.bin": 110})),
        ("entry-count bomb", "many.xlsx", many_entries(10_001, "xl/workbook.xml")),
        ("oversize pdf", "big.pdf", PDF + b"0" * (10 * 1024 * 1024)),
    ]


ACCEPTED = [
    ("traversal", "../../../../tmp/evil.pdf", PDF, "evil.pdf"),
    ("windows traversal", "..\\..\\windows\\evil.pdf", PDF, "evil.pdf"),
    ("absolute", "/etc/cron.d/job.pdf", PDF, "job.pdf"),
    ("encoded traversal", "%2e%2e%2fx.pdf", PDF, "%2e%2e%2fx.pdf"),
    ("bidi override", "发票\u202egpj.pdf", PDF, "发票gpj.pdf"),
    ("zero width", "合\u200b同.png", PNG, "合同.png"),
    ("long name", "长" * 300 + ".pdf", PDF, "长" * 146 + ".pdf"),
    ("same name 1", "证据.jpg", JPG, "证据.jpg"),
    ("same name 2", "证据.jpg", JPG, "证据.jpg"),
    ("script in name", "<script>alert(1)</script>.pdf", PDF, "script>.pdf"),  # "/" ends a directory
    ("formula name", "=cmd|' calc'!A0.pdf", PDF, "=cmd|' calc'!A0.pdf"),
    ("upper-case extension", "SCAN.PDF", PDF, "SCAN.PDF"),
    ("real xlsx", "账目.xlsx", XLSX_OK, "账目.xlsx"),
]


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return tmp_path


def post(client, case, name, content):
    return client.post(
        reverse("attachments:upload", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "证据"},
        follow=True,
    )


def test_lying_files_are_refused_and_the_rest_kept_under_server_names(client, demo, media, request):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    before = set(media.rglob("*"))
    for what, name, content in refused():
        page = post(client, d, name, content)
        assert page.status_code == 200, what
        errors = [str(m) for m in page.context["messages"] if m.level_tag == "error"]
        assert errors and all(CJK.search(e) for e in errors), (what, errors)
        assert Attachment.objects.count() == 0, what
    for what, name, content, shown in ACCEPTED:
        page = post(client, d, name, content)
        assert page.status_code == 200, what
        attachment = Attachment.objects.latest("pk")
        assert attachment.original_name == shown, (what, attachment.original_name)
        assert "<script>" not in page.content.decode(), what
        download = client.get(reverse("attachments:download", args=[d.pk, attachment.pk]))
        assert b"".join(download.streaming_content) == content
        assert download["Content-Disposition"].startswith("attachment; filename*=UTF-8''"), what
        assert "\u202e" not in download["Content-Disposition"] and '"' not in download["Content-Disposition"]
    # Nothing outside MEDIA_ROOT; inside it only attachments/<case>/<uuid>.
    after = set(media.rglob("*")) - before
    root = media / "media"
    assert all(p.is_relative_to(root) for p in after), after
    files = sorted(p.relative_to(root).as_posix() for p in after if p.is_file())
    assert len(files) == len(ACCEPTED)
    assert all(f.startswith(f"attachments/{d.pk}/") and len(f.rsplit("/", 1)[1]) == 32 for f in files), files
    line = f"hostile uploads: {len(refused())} refused with a Chinese message, {len(ACCEPTED)} kept under UUID names"
    request.config.pluginmanager.get_plugin("terminalreporter").write_line(line)


def test_a_nul_in_the_file_name_is_not_a_500(client, demo, media):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf\x00.html"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--B--\r\n"
    )
    response = client.post(
        reverse("attachments:upload", args=[d.pk]), body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code in (302, 400)
    for attachment in Attachment.objects.all():
        assert "\x00" not in attachment.original_name and not attachment.original_name.endswith(".html")


def sheet_bomb(megabytes: int) -> bytes:
    """A well-formed sheet of ~``megabytes`` MB of rows in a zip of ~1/100 of that."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b"<worksheet><sheetData>")
            for _ in range(megabytes * (1 << 20) // len(row) + 1):
                out.write(row)
            out.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@functools.cache
def import_files() -> list:
    """The hostile import files, built when a test first asks (as ``refused``)."""
    return [
        (
            "xlsx bomb",
            "bomb.xlsx",
            archive({"xl/workbook.xml": "<w/>"}, big={"xl/worksheets/sheet1.xml": 150}),
        ),
        ("well-formed sheet bomb", "rows.xlsx", sheet_bomb(120)),
        ("entry-count bomb", "many.xlsx", many_entries(10_001, "xl/workbook.xml")),
        ("html as xlsx", "ledger.xlsx", b"<html><table><tr><td>=1+1</td></tr></table></html>"),
        ("exe as xlsx", "ledger.xlsx", b"MZ\x90\x00"),
        ("csv with NUL", "ledger.csv", b"\xe7\xba\xa0\xe7\xba\xb7\x00,x\n1,2\n"),
        ("binary csv", "ledger.csv", bytes(range(256)) * 4),
        ("empty csv", "ledger.csv", b""),
        ("empty xlsx", "ledger.xlsx", b""),
        ("xlsm", "ledger.xlsm", XLSX_OK),
        ("traversal name", "../../../../tmp/ledger.csv", "登记日期\n2024-01-01\n".encode()),
    ]


def test_import_files_that_lie_are_refused_with_a_message(client, demo, media, request):
    client.force_login(demo["xianjin_mediator"])
    outcomes = {}
    for what, name, content in import_files():
        response = client.post(
            reverse("jobs:import"),
            {"importer": "dispute", "file": SimpleUploadedFile(name, content)},
            follow=True,
        )
        assert response.status_code == 200, what
        page = response.content.decode()
        job = Job.objects.order_by("-pk").first()
        if response.redirect_chain:
            # A check job ran: it failed or reported row errors, with a Chinese message.
            assert job.status in ("failed", "done"), (what, job.status)
            assert CJK.search(job.message or ""), (what, job.message)
            assert not job.report.get("rows") or job.report.get("errors"), what
            outcomes[what] = job.message
        else:
            errors = [str(e) for e in response.context["form"].errors.get("file", [])]
            assert errors and all(CJK.search(e) for e in errors), (what, page[:200])
            outcomes[what] = errors[0]
        if "bomb" in what:
            assert "100 MB" in outcomes[what], (what, outcomes[what])  # refused before unpacking
    stray = [p for p in media.rglob("*") if p.is_file() and not p.is_relative_to(media / "media")]
    assert stray == []
    assert all(p.name != "ledger.csv" for p in media.rglob("*"))
    request.config.pluginmanager.get_plugin("terminalreporter").write_line(
        f"hostile import files: {len(outcomes)} refused with a Chinese message"
    )
