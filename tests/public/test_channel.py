"""The public channel lands in the staff's own intake, and what the citizen sees of it
(信访工作条例 §18, §21: online channels; §35 复查; 人民调解法 §17: a party applies)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY
from accounts.models import Region
from cases.models import Attachment, Case, CaseParty
from mediation import workflow as mwf
from mediation.models import Dispute
from petitions import workflow as pwf
from petitions.models import Petition, PetitionStatus
from public.models import PublicAccess
from reporting import petition_stats
from reporting.periods import Period
from supervision.inbox import home_inbox
from supervision.models import Notification
from tests.public.flows import apply, unlock
from tests.public.helpers import ID_NUMBER, PHONE, form_data

pytestmark = pytest.mark.django_db


def test_s17_application_lands_with_the_village_committee_as_a_registered_dispute(
    demo, client, django_capture_on_commit_callbacks
):
    response, code = apply(client, django_capture_on_commit_callbacks)
    dispute = Dispute.objects.get()
    mediator = demo["xianjin_mediator"]
    assert dispute.handling_unit_id == mediator.unit_id
    assert dispute.number.startswith("诸暨〔") and code.replace("-", "") not in dispute.number
    assert dispute.source == "application" and dispute.status == "registered"
    # The acceptance limit runs from the day received, as for a registration by staff.
    deadline = dispute.deadlines.get()
    assert deadline.rule.code == "dispute_accept" and deadline.start_date == timezone.localdate()
    # The committee is told at once; the notice names the channel, not a person.
    note = Notification.objects.get(user=mediator, kind="handoff")
    assert note.case_id == dispute.pk
    assert [n.case_id for n in home_inbox(mediator)["handoffs"]] == [dispute.pk]
    # The code is on the page and its QR code drawn inline, never stored in clear.
    page = response.content.decode()
    assert code in page and 'src="data:image/svg+xml' in page
    assert not PublicAccess.objects.filter(code_digest__icontains=code.replace("-", "")).exists()
    # The ID number is kept (encrypted) on the party, checked as in the staff form.
    applicant = CaseParty.objects.get(case=dispute, role="applicant")
    assert applicant.id_number == ID_NUMBER and applicant.entered_by is None


def test_same_person_applying_again_is_linked_by_the_register(
    demo, client, django_capture_on_commit_callbacks
):
    apply(client, django_capture_on_commit_callbacks)
    apply(client, django_capture_on_commit_callbacks, summary="又一起纠纷")
    first, second = CaseParty.objects.filter(role="applicant").order_by("pk")
    assert first.person_id == second.person_id  # repeat detection: one identity, two cases


def test_attachments_checked_as_staff_uploads(demo, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(reverse("public:apply_mediation"), {**form_data(), "files": [fake]})
    assert response.status_code == 200 and not Dispute.objects.exists()
    assert "扩展名" in response.content.decode() or "不符" in response.content.decode()
    photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    apply(client, django_capture_on_commit_callbacks, files=[photo])
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by is None and attachment.original_name == "photo.png"


def test_notice_must_be_accepted_and_id_number_checked(demo, client):
    data = form_data()
    del data["accept_notice"]
    data["id_number"] = "110105194912310021"  # wrong check digit
    response = client.post(reverse("public:apply_mediation"), data)
    assert response.status_code == 200 and not Case.objects.exists()
    page = response.content.decode()
    assert page.count("invalid-feedback") >= 2


def test_follow_shows_stages_deadline_and_agreement_without_internal_details(
    demo, client, django_capture_on_commit_callbacks
):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    dispute = Dispute.objects.get()
    mediator = demo["xianjin_mediator"]
    mwf.accept(dispute.pk, mediator)
    unlock(client, django_capture_on_commit_callbacks, code)
    response = client.get(reverse("public:case"))
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "已受理" in page and "先进村人民调解委员会" in page
    assert mediator.display_name not in page and "李建华" not in page  # no handler, no other party
    assert "13800138000" not in page and ID_NUMBER not in page


def test_s35_petition_evaluated_online_moves_the_months_evaluation_rate_and_review_lands_above(
    demo, client, django_capture_on_commit_callbacks
):
    _r, code = apply(client, django_capture_on_commit_callbacks, kind="petition")
    petition = Petition.objects.get()
    clerk = demo["fengqiao_petition_clerk"]
    assert petition.handling_unit_id == clerk.unit_id and petition.channel == "online"
    assert petition.received_on == timezone.localdate()
    pwf.accept(petition.pk, clerk)
    pwf.reply(petition.pk, demo["fengqiao_supervisor"], outcome="not_supported", text="不予支持。")
    today = timezone.localdate()
    pwf.record_delivery(petition.pk, clerk, document="opinion", method="online", delivered_on=today)

    county, month = Region.objects.get(code=COUNTY), Period.month(today.year, today.month)

    def rate():
        return petition_stats.compute(demo["zhuji_supervisor"], county, month)["sheets"][0].total.values

    before = rate()
    unlock(client, django_capture_on_commit_callbacks, code)
    page = client.get(reverse("public:case")).content.decode()
    assert "信访事项受理告知书" in page and "信访事项处理意见书" in page
    assert client.post(reverse("public:evaluate"), {"value": "basically"}).status_code == 302
    after = rate()
    assert (before["evaluated"], after["evaluated"]) == (0, 1)
    assert after["evaluation_rate"] != before["evaluation_rate"]
    # Once only.
    client.post(reverse("public:evaluate"), {"value": "dissatisfied"})
    assert petition.evaluations.count() == 1
    # 复查 online, within the window: lands with the county bureau like a counter request.
    assert client.post(reverse("public:review"), {"confirm": "on"}).status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REVIEW_REQUESTED
    review = petition.reviews.get()
    assert review.reviewing_unit.name == "诸暨市信访局" and review.requested_on == today
    assert Notification.objects.filter(kind="handoff", user=demo["zhuji_petition_clerk"]).exists()


def test_documents_are_the_staff_pdfs_with_parties_masked(
    demo, client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.template.loader import render_to_string

    from cases import pdf

    html = {}

    def capture(template, context):
        html["text"] = render_to_string(template, context)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(pdf, "render_pdf", capture)
    monkeypatch.setattr("petitions.letters.render_pdf", capture)
    _r, code = apply(client, django_capture_on_commit_callbacks, kind="petition")
    petition = Petition.objects.get()
    pwf.accept(petition.pk, demo["fengqiao_petition_clerk"])
    unlock(client, django_capture_on_commit_callbacks, code)
    response = client.get(reverse("public:document", args=["acceptance"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        "信访事项受理告知书" in html["text"]
        and ID_NUMBER not in html["text"]
        and "王秀英" not in html["text"]
    )
    # A document not yet made, or not addressed to the citizen: 404.
    assert client.get(reverse("public:document", args=["opinion"])).status_code == 404
    assert client.get(reverse("public:document", args=["report"])).status_code == 404


def test_public_pages_share_no_session_with_the_staff_site(demo, client):
    client.force_login(demo["xianjin_mediator"])
    staff_cookie = client.cookies["sessionid"].value
    response = client.get(reverse("public:follow"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # neither renewed, replaced nor deleted
    assert "xianjin_mediator" not in response.content.decode()
    assert client.get(reverse("home")).status_code == 200  # still signed in on the staff site
    assert client.cookies["sessionid"].value == staff_cookie


def test_public_cookie_is_its_own(demo, client, django_capture_on_commit_callbacks):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    response = client.post(reverse("public:follow"), {"code": code, "phone": PHONE})
    cookie = response.cookies["jiefen_public"]
    assert cookie["path"] == "/public/" and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert "sessionid" not in response.cookies


def test_csp_on_public_pages(demo, client):
    response = client.get(reverse("public:apply_mediation"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_grant_expires(demo, client, django_capture_on_commit_callbacks):
    from public.models import OneTimeCode

    _r, code = apply(client, django_capture_on_commit_callbacks)
    unlock(client, django_capture_on_commit_callbacks, code)
    OneTimeCode.objects.update(used_at=timezone.now() - datetime.timedelta(minutes=16))
    assert client.get(reverse("public:case"))["Location"] == reverse("public:follow")


def test_agreement_pdf_masks_every_party_and_names_no_mediator(
    demo, client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.template.loader import render_to_string

    from mediation.models import AgreementForm, SessionOutcome

    html = {}

    def capture(template, context):
        html["text"] = render_to_string(template, context)
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr("cases.pdf.render_pdf", capture)
    _r, code = apply(client, django_capture_on_commit_callbacks)
    dispute, mediator = Dispute.objects.get(), demo["xianjin_mediator"]
    mwf.accept(dispute.pk, mediator)
    mwf.start_mediation(dispute.pk, mediator)
    mwf.record_session(dispute.pk, mediator, held_at=timezone.now(), place="调解室", attendees="双方",
                       record="笔录", outcome=SessionOutcome.AGREED)  # fmt: skip
    mwf.record_agreement(dispute.pk, mediator, form=AgreementForm.WRITTEN, terms="疏通排水沟。",
                         effective_date=timezone.localdate())  # fmt: skip
    unlock(client, django_capture_on_commit_callbacks, code)
    response = client.get(reverse("public:document", args=["agreement"]))
    assert response.status_code == 200 and "疏通排水沟" in html["text"]
    for secret in ("王秀英", "李建华", ID_NUMBER, "13800138000", PHONE, mediator.display_name):
        assert secret not in html["text"], secret
    assert "李*华" in html["text"]
    assert client.get(reverse("public:document", args=["closure"])).status_code == 404  # the office's own
    dispute.refresh_from_db()
    assert dispute.handler_id == mediator.pk or dispute.handler_id is None  # nothing was saved
