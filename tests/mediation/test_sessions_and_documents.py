"""Who mediated a session (mediators who may see the case, invited experts and lawyers), and
documents linked and served only once the step that makes them lies on the timeline."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.transitions import TransitionError
from mediation import workflow
from mediation.models import AgreementForm, InvitedParticipant, MediationSession, SessionOutcome
from mediation.people import eligible_mediators
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = pytest.mark.django_db


def mediating(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def test_session_form_offers_the_mediators_who_see_the_case_and_records_invited_people(demo, client):
    d, m = mediating(demo)
    offered = {u.username for u in eligible_mediators(d)}
    assert {"xianjin_mediator", "fengqiao_mediator", "zhuji_mediator"} <= offered
    assert "yangchun_mediator" not in offered  # another village's committee does not see the case
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "record_session"])
    assert "fengqiao_mediator" in client.get(url).content.decode() or demo["fengqiao_mediator"].display_name
    response = client.post(url, {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "村调解室", "attendees": "双方",
        "record": "笔录", "outcome": "continue",
        "mediators": [m.pk, demo["fengqiao_mediator"].pk],
        "invited_name_1": "王律师", "invited_capacity_1": "lawyer",
        "invited_name_2": "陈工程师", "invited_capacity_2": "expert",
    })  # fmt: skip
    assert response.status_code == 302
    s = MediationSession.objects.get(dispute=d)
    assert set(s.mediators.values_list("username", flat=True)) == {"xianjin_mediator", "fengqiao_mediator"}
    assert set(s.invited.values_list("name", "capacity")) == {("王律师", "lawyer"), ("陈工程师", "expert")}
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "王律师" in html and "陈工程师" in html


def test_invited_person_needs_a_capacity_on_the_form(demo, client):
    d, m = mediating(demo)
    client.force_login(m)
    response = client.post(reverse("disputes:action", args=[d.pk, "record_session"]), {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "村调解室", "attendees": "双方",
        "record": "笔录", "outcome": "continue", "invited_name_1": "王律师",
    })  # fmt: skip
    assert response.status_code == 200 and not MediationSession.objects.exists()


def test_workflow_refuses_a_mediator_who_cannot_see_the_case(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError):
        workflow.record_session(
            d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
            outcome=SessionOutcome.CONTINUE, mediators=[demo["yangchun_mediator"]],
        )  # fmt: skip
    assert not MediationSession.objects.exists() and not InvitedParticipant.objects.exists()


def test_documents_exist_only_once_their_step_is_on_the_timeline(demo, client):
    d, m = mediating(demo)
    client.force_login(m)

    def pdf(slug):
        return client.get(reverse("disputes:pdf", args=[d.pk, slug])).status_code

    def linked():
        html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
        return {slug for slug in ("agreement", "termination", "closure") if f"/pdf/{slug}/" in html}

    assert linked() == set()
    assert pdf("agreement") == 404 and pdf("closure") == 404 and pdf("termination") == 404
    workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    workflow.record_agreement(d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿", effective_date=yesterday())
    assert linked() == {"agreement"}
    assert pdf("agreement") == 200 and pdf("closure") == 404
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    workflow.archive(d.pk, m)
    assert linked() == {"agreement", "closure"}
    assert pdf("closure") == 200


def test_termination_notice_once_mediation_was_terminated(demo, client):
    d, m = mediating(demo)
    client.force_login(m)
    url = reverse("disputes:pdf", args=[d.pk, "termination"])
    assert client.get(url).status_code == 404
    workflow.terminate(d.pk, m, route="litigation", reason="双方分歧过大")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_an_imported_archived_dispute_has_its_closure_report(demo, client):
    from mediation.documents import available_documents
    from mediation.models import Dispute

    d = new_dispute(demo["xianjin_mediator"])
    Dispute.objects.filter(pk=d.pk).update(status="archived", closed_at=timezone.now())
    assert available_documents(Dispute.objects.get(pk=d.pk)) == ["closure"]


def test_closure_report_names_the_mediators_and_invited_people(demo):
    from django.template.loader import render_to_string

    from mediation.documents import dispute_context
    from mediation.selectors import dispute_detail_queryset

    d, m = mediating(demo)
    workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.CONTINUE, invited=[("王律师", "lawyer")],
    )  # fmt: skip
    dispute = dispute_detail_queryset().get(pk=d.pk)
    html = render_to_string("reports/closure_report.html", dispute_context(dispute, m, "test"))
    assert str(m) in html and "王律师" in html
