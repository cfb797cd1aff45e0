"""Dispute action pages with the test client: each step's form, its Chinese errors beside the
fields, more parties (people and organisations), and the audit trail of who changed what."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty, Person, TimelineEntry
from mediation import workflow
from mediation.models import AgreementForm, Dispute, SessionOutcome
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()
CREDIT_CODE = "91440300708461136T"


def post(client, pk, action, data=None):
    return client.post(reverse("disputes:action", args=[pk, action]), data or {})


def agreed(demo, m):
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    workflow.record_agreement(d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿", effective_date=yesterday())
    return d


@pytest.mark.parametrize(
    "action,data,message",
    [
        ("decline", {"reason": ""}, "请填写此项"),
        ("refer", {"referred_to": ""}, "请填写此项"),
        ("reopen", {"reason": ""}, "请填写此项"),
    ],
)
def test_empty_reason_re_renders_in_chinese(client, demo, action, data, message):
    d = new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_supervisor"])
    response = post(client, d.pk, action, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Dispute.objects.get(pk=d.pk).status == "registered"


def test_each_pre_mediation_step_through_its_page(client, demo):
    m = demo["xianjin_mediator"]
    client.force_login(m)
    d = new_dispute(m)
    assert post(client, d.pk, "accept").status_code == 302
    labour = demo["zhuji_handler"].unit
    assert post(client, d.pk, "assign", {"handler": m.pk, "unit": labour.pk}).status_code == 302
    town = demo["fengqiao_supervisor"].unit
    assert post(client, d.pk, "escalate", {"unit": town.pk, "reason": "涉及多户"}).status_code == 302
    d = Dispute.objects.get(pk=d.pk)
    assert d.handler == m and d.handling_unit == town and d.status == "assigned"
    other = new_dispute(m, summary="另一纠纷")
    assert post(client, other.pk, "refer", {"referred_to": "枫桥派出所"}).status_code == 302
    assert Dispute.objects.get(pk=other.pk).status == "referred"


def test_assign_without_a_choice_is_refused_on_the_page(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    client.force_login(m)
    response = post(client, d.pk, "assign", {})
    assert response.status_code == 200 and "请选择调解员或单位" in response.content.decode()


def test_wrong_state_shows_a_reload_message_not_a_500(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    client.force_login(m)
    response = post(client, d.pk, "start_mediation")
    assert response.status_code == 200 and "刷新" in response.content.decode()


def test_terminate_and_extend_pages(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    client.force_login(m)
    response = post(client, d.pk, "extend_mediation", {"days": "45", "consent_note": "同意"})
    assert response.status_code == 200 and "30" in response.content.decode()
    assert post(client, d.pk, "extend_mediation", {"days": "10", "consent_note": "同意"}).status_code == 302
    assert post(client, d.pk, "terminate", {"route": "litigation", "reason": "分歧大"}).status_code == 302
    page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "诉讼" in page


def test_confirmation_page_needs_a_court_to_apply(client, demo):
    m = demo["xianjin_mediator"]
    d = agreed(demo, m)
    client.force_login(m)
    response = post(client, d.pk, "confirmation", {"step": "apply", "date": TODAY, "court": ""})
    assert response.status_code == 200 and "法院" in response.content.decode()
    ok = post(client, d.pk, "confirmation", {"step": "apply", "date": TODAY, "court": "诸暨市人民法院"})
    assert ok.status_code == 302
    assert post(client, d.pk, "confirmation", {"step": "refused", "date": TODAY}).status_code == 302
    page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "不予确认" in page or "驳回" in page or "拒绝" in page


def test_adding_an_organisation_as_respondent(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    client.force_login(m)
    data = {"role": "respondent", "name": "诸暨市某建筑有限公司", "is_organisation": "on",
            "credit_code": CREDIT_CODE.lower(), "phone": "057587001234"}  # fmt: skip
    assert post(client, d.pk, "add_party", data).status_code == 302
    org = Person.objects.get(is_organisation=True)
    assert org.credit_code == CREDIT_CODE
    assert d.parties.filter(role="respondent").count() == 2
    # The same organisation in a second dispute is found again by its credit code.
    other = new_dispute(m, summary="工资纠纷")
    assert post(client, other.pk, "add_party", {**data, "name": "某建筑公司"}).status_code == 302
    assert Person.objects.filter(is_organisation=True).count() == 1
    assert post(client, other.pk, "add_party", data).status_code == 200  # already a respondent
    # Each case keeps the name typed on it; the register only links the two.
    names = {c.pk: c.parties.get(is_organisation=True).name for c in (d, other)}
    assert names == {d.pk: "诸暨市某建筑有限公司", other.pk: "某建筑公司"}


def test_party_form_checks_credit_codes_and_id_numbers(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    client.force_login(m)
    bad = post(client, d.pk, "add_party", {"role": "third_party", "name": "某公司", "is_organisation": "on",
                                           "credit_code": CREDIT_CODE[:-1] + "0"})  # fmt: skip
    assert bad.status_code == 200 and "校验" in bad.content.decode()
    mixed = post(
        client, d.pk, "add_party", {"role": "third_party", "name": "王五", "credit_code": CREDIT_CODE}
    )
    assert mixed.status_code == 200
    assert d.parties.count() == 2 and not CaseParty.objects.filter(name__in=["某公司", "王五"]).exists()


def test_add_party_is_refused_for_statisticians_and_other_villages(client, demo):
    d = new_dispute(demo["xianjin_mediator"])
    data = {"role": "third_party", "name": "王五"}
    client.force_login(demo["xianjin_statistician"])
    assert post(client, d.pk, "add_party", data).status_code == 403
    client.force_login(demo["yangchun_mediator"])
    assert post(client, d.pk, "add_party", data).status_code == 404
    assert not CaseParty.objects.filter(name="王五").exists() and Person.objects.count() == 2


def test_intake_with_an_organisation_respondent_and_gender(client, demo):
    from tests.mediation.test_dispute_pages import intake_data

    client.force_login(demo["xianjin_mediator"])
    data = intake_data(
        applicant_gender="F", respondent_name="某物业公司", respondent_is_organisation="on",
        respondent_credit_code=CREDIT_CODE, respondent_phone="",
    )  # fmt: skip
    response = client.post(reverse("disputes:create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    d = Dispute.objects.get()
    respondent = d.parties.get(role="respondent")
    assert respondent.is_organisation and respondent.credit_code == CREDIT_CODE
    assert respondent.person.is_organisation and respondent.person.credit_code == CREDIT_CODE
    # The gender typed agrees with the ID number (11010519491231002X: 17th digit even, a woman).
    assert d.parties.get(role="applicant").gender == "F"
    assert respondent.gender == "" and respondent.birth_date is None


def test_timeline_records_who_handled_it_before_and_after(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.assign(d.pk, m, handler=demo["fengqiao_mediator"])
    entry = TimelineEntry.objects.get(case=d, action="assign")
    assert entry.actor == m and entry.before["handler"] == ""
    assert entry.after["handler"] == str(demo["fengqiao_mediator"])
    assert entry.before["handling_unit"] == entry.after["handling_unit"] == str(m.unit)
    client.force_login(m)
    page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert str(demo["fengqiao_mediator"]) in page


def test_file_index_lists_the_13_documents_and_marks_what_the_records_show(client, demo):
    m = demo["xianjin_mediator"]
    d = agreed(demo, m)
    client.force_login(m)
    html = client.get(reverse("disputes:file_index", args=[d.pk])).content.decode()
    assert html.count("<tr><td>") == 13
    assert "调解协议书" in html and "生效" in html and "核对纸质卷宗" in html
    assert "口头协议登记表" not in html


def test_file_index_of_an_oral_agreement_files_its_registration_form(client, demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    workflow.record_agreement(d.pk, m, form=AgreementForm.ORAL, terms="当场赔偿", effective_date=yesterday())
    client.force_login(m)
    assert "口头协议登记表" in client.get(reverse("disputes:file_index", args=[d.pk])).content.decode()


def test_mediate_again_page_after_a_refused_confirmation(client, demo):
    m = demo["xianjin_mediator"]
    d = agreed(demo, m)
    client.force_login(m)
    assert post(client, d.pk, "remediate", {"reason": "变更"}).status_code == 200  # not refused yet
    workflow.apply_for_confirmation(d.pk, m, applied_on=timezone.localdate(), court="诸暨市人民法院")
    workflow.decide_confirmation(d.pk, m, confirmed=False, decided_on=timezone.localdate())
    assert post(client, d.pk, "remediate", {"reason": "法院驳回，双方同意变更"}).status_code == 302
    assert Dispute.objects.get(pk=d.pk).status == "mediating"
