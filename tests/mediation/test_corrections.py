"""Corrections of a saved session, agreement or party: only by the mediator handling the case or a
supervisor of its unit or place, with a reason, the old value kept on the timeline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty
from cases.transitions import TransitionError
from mediation import workflow
from mediation.models import AgreementForm, Dispute, MediationSession, SessionOutcome
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = pytest.mark.django_db


def with_session(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)  # m handles the dispute from here
    s = workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="村调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.CONTINUE,
    )  # fmt: skip
    return d, m, s


def test_correction_keeps_the_old_value_on_the_timeline(demo, client):
    d, m, s = with_session(demo)
    workflow.correct_session(d.pk, m, session_id=s.pk, changes={"place": "村委会会议室"}, reason="地点记错")
    assert MediationSession.objects.get(pk=s.pk).place == "村委会会议室"
    entry = Dispute.objects.get(pk=d.pk).timeline.get(action="correct_session")
    assert entry.before["place"] == "村调解室" and entry.after["place"] == "村委会会议室"
    assert entry.after["reason"] == "地点记错" and entry.actor == m
    client.force_login(m)
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "村调解室 → 村委会会议室" in html


def test_correction_of_the_agreement_and_of_a_party(demo):
    d, m, _s = with_session(demo)
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿500元", effective_date=yesterday()
    )
    workflow.correct_agreement(d.pk, m, changes={"terms": "赔偿800元"}, reason="金额笔误")
    entry = Dispute.objects.get(pk=d.pk).timeline.get(action="correct_agreement")
    assert (entry.before["terms"], entry.after["terms"]) == ("赔偿500元", "赔偿800元")
    # A corrected effective date moves the confirmation window counted from it.
    workflow.correct_agreement(
        d.pk, m, changes={"effective_date": timezone.localdate()}, reason="生效日期笔误"
    )
    window = d.deadlines.get(rule__code="judicial_confirmation", state="open")
    assert window.start_date == timezone.localdate()

    party = CaseParty.objects.get(case=d, role="respondent")
    workflow.correct_party(d.pk, m, party_id=party.pk, changes={"phone": "13900139001"}, reason="号码记错")
    assert CaseParty.objects.get(pk=party.pk).phone == "13900139001"
    entry = Dispute.objects.get(pk=d.pk).timeline.get(action="correct_party")
    # The timeline keeps masked personal data only.
    assert entry.before["phone"] == "139****9000" and entry.after["phone"] == "139****9001"


def test_correction_needs_a_reason(demo):
    d, m, s = with_session(demo)
    with pytest.raises(TransitionError):
        workflow.correct_session(d.pk, m, session_id=s.pk, changes={"place": "别处"}, reason=" ")
    assert MediationSession.objects.get(pk=s.pk).place == "村调解室"
    assert not Dispute.objects.get(pk=d.pk).timeline.filter(action="correct_session").exists()


def test_correction_refused_to_others(demo, client):
    d, _m, s = with_session(demo)
    change = {"session_id": s.pk, "changes": {"place": "别处"}, "reason": "x"}
    with pytest.raises(PermissionDenied):  # a mediator who sees the case but does not handle it
        workflow.correct_session(d.pk, demo["fengqiao_mediator"], **change)
    with pytest.raises(PermissionDenied):  # a role that corrects nothing
        workflow.correct_session(d.pk, demo["xianjin_grid_worker"], **change)
    with pytest.raises(Http404):
        workflow.correct_session(d.pk, demo["yangchun_mediator"], **change)
    client.force_login(demo["fengqiao_mediator"])
    page = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "correct_session" not in page
    url = reverse("disputes:action", args=[d.pk, "correct_session"])
    assert client.post(url, {"session": s.pk, "place": "别处", "reason": "x"}).status_code == 403
    assert MediationSession.objects.get(pk=s.pk).place == "村调解室"
    # A supervisor of the place may.
    workflow.correct_session(d.pk, demo["fengqiao_supervisor"], **change)
    assert MediationSession.objects.get(pk=s.pk).place == "别处"


def test_corrected_dates_are_checked_like_new_ones(demo):
    d, m, s = with_session(demo)
    earlier = timezone.now() - datetime.timedelta(days=5)
    with pytest.raises(TransitionError):
        workflow.correct_session(d.pk, m, session_id=s.pk, changes={"held_at": earlier}, reason="时间记错")


def test_correction_through_its_page(demo, client):
    d, m, s = with_session(demo)
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "correct_session"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"session": s.pk, "attendees": "双方及村干部", "reason": "漏记"})
    assert response.status_code == 302
    assert MediationSession.objects.get(pk=s.pk).attendees == "双方及村干部"
    empty = client.post(url, {"session": s.pk, "reason": "无"})
    assert empty.status_code == 200  # nothing to correct: the form says so


def test_correcting_who_mediated_keeps_the_old_names(demo, client):
    d, m, s = with_session(demo)
    other = demo["fengqiao_mediator"]
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "correct_session"])
    response = client.post(url, {"session": s.pk, "mediators": [m.pk, other.pk], "reason": "漏记镇调解员"})
    assert response.status_code == 302
    assert set(MediationSession.objects.get(pk=s.pk).mediators.all()) == {m, other}
    entry = Dispute.objects.get(pk=d.pk).timeline.get(action="correct_session")
    assert entry.before["mediators"] == str(m) and str(other) in entry.after["mediators"]
    with pytest.raises(TransitionError):  # a mediator who cannot see the dispute
        workflow.correct_session(
            d.pk, m, session_id=s.pk, changes={"mediators": [demo["yangchun_mediator"]]}, reason="x"
        )
