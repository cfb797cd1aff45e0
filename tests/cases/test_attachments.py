import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.attachments import clean_name
from cases.models import Attachment
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def upload(client, case, name, content):
    return client.post(
        reverse("attachments:upload", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "证据"},
        follow=True,
    )


def docx(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_upload_and_download_within_jurisdiction(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    page = upload(client, d, "申请书.pdf", PDF)
    assert "申请书.pdf" in page.content.decode()
    a = Attachment.objects.get()
    assert a.file.name.startswith(f"attachments/{d.pk}/") and "申请书" not in a.file.name
    response = client.get(reverse("attachments:download", args=[d.pk, a.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert "filename*=UTF-8''%E7%94%B3" in response["Content-Disposition"]
    assert d.timeline.filter(action="attach").count() == 1


@pytest.mark.parametrize(
    "name,content",
    [
        ("evil.pdf", b"<html><script>alert(1)</script>"),  # lies about its type
        ("empty.pdf", b""),
        ("run.exe", b"MZ\x90\x00"),
        ("fake.docx", docx({"other.xml": "x"})),
        ("bomb.xlsx", docx({"xl/workbook.xml": "x", "big.xml": "0" * (101 * 1024 * 1024)})),
    ],
)
def test_bad_files_are_refused_with_a_message(client, demo, name, content):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    page = upload(client, d, name, content).content.decode()
    assert "alert-danger" in page
    assert Attachment.objects.count() == 0


def test_oversize_is_refused(client, demo, settings):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    page = upload(client, d, "big.pdf", PDF + b"0" * (10 * 1024 * 1024)).content.decode()
    assert "10 MB" in page and Attachment.objects.count() == 0


def test_names_are_cleaned():
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("..\\..\\x.png") == "x.png"
    assert clean_name("发票\u202efdp.exe.pdf") == "发票fdp.exe.pdf"
    assert len(clean_name("长" * 300 + ".pdf")) == 150


def test_other_village_cannot_upload_or_download(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    upload(client, d, "a.pdf", PDF)
    a = Attachment.objects.get()
    client.force_login(demo["yangchun_mediator"])
    assert client.get(reverse("attachments:download", args=[d.pk, a.pk])).status_code == 404
    response = client.post(
        reverse("attachments:upload", args=[d.pk]), {"file": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert response.status_code == 404 and Attachment.objects.count() == 1


def test_attachment_of_another_case_is_not_reachable_through_a_visible_case(client, demo):
    mine = new_dispute(demo["xianjin_mediator"])
    other = new_dispute(demo["yangchun_mediator"], village="yangchun")
    client.force_login(demo["yangchun_mediator"])
    upload(client, other, "secret.pdf", PDF)
    a = Attachment.objects.get()
    client.force_login(demo["xianjin_mediator"])
    assert client.get(reverse("attachments:download", args=[mine.pk, a.pk])).status_code == 404
