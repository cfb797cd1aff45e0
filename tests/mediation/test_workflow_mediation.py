"""Mediation transitions (sessions, agreement, termination, extension, performance, judicial
confirmation, follow-up): allowed and refused by role, jurisdiction, state and input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cases.transitions import TransitionConflict, TransitionError
from mediation import workflow
from mediation.models import (
    AgreementForm,
    ConfirmationState,
    Dispute,
    DisputeStatus,
    MediationSession,
    SessionOutcome,
)
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = pytest.mark.django_db
S = DisputeStatus
TODAY = timezone.localdate


def mediating(demo, mediator="xianjin_mediator"):
    m = demo[mediator]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def session(d, user, **extra):
    fields = dict(
        held_at=timezone.now(), place="村调解室", attendees="双方当事人", record="双方陈述。",
        outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    fields.update(extra)
    return workflow.record_session(d.pk, user, **fields)


def agreed(demo, form=AgreementForm.WRITTEN, effective=None, **extra):
    d, m = mediating(demo)
    session(d, m)
    workflow.record_agreement(
        d.pk, m, form=form, terms="赔偿500元", effective_date=effective or yesterday(), **extra
    )
    return d, m


def open_codes(d):
    return set(d.deadlines.filter(state="open").values_list("rule__code", flat=True))


def test_starting_mediation_opens_a_one_month_period_with_its_computation(demo):
    d, m = mediating(demo)
    deadline = d.deadlines.get(rule__code="mediation_period")
    assert deadline.state == "open" and deadline.computation
    assert 28 <= (deadline.due_date - TODAY()).days <= 34  # one month, rolled past a holiday if needed
    assert Dispute.objects.get(pk=d.pk).handler == m


def test_session_records_mediators_and_keeps_the_state(demo):
    d, m = mediating(demo)
    s = session(d, m, mediators=[m, demo["fengqiao_mediator"]])
    assert isinstance(s, MediationSession) and s.mediators.count() == 2
    assert Dispute.objects.get(pk=d.pk).status == S.MEDIATING


def test_session_in_the_future_is_refused(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError):
        session(d, m, held_at=timezone.now() + datetime.timedelta(days=2))
    assert not MediationSession.objects.exists()


def test_grid_worker_cannot_record_a_session_and_another_village_gets_404(demo):
    d, _m = mediating(demo)
    with pytest.raises(PermissionDenied):
        session(d, demo["xianjin_grid_worker"])
    with pytest.raises(Http404):
        session(d, demo["yangchun_mediator"])
    assert not MediationSession.objects.exists()


def test_session_before_mediation_starts_is_a_conflict(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    with pytest.raises(TransitionConflict):
        session(d, m)


def test_written_agreement_opens_performance_confirmation_and_follow_up(demo):
    d, _m = agreed(demo, performance_due=TODAY() + datetime.timedelta(days=10))
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.AGREED
    assert open_codes(d) == {"performance", "judicial_confirmation", "follow_up"}
    assert d.deadlines.get(rule__code="mediation_period").state == "met"
    assert d.deadlines.get(rule__code="performance").due_date == TODAY() + datetime.timedelta(days=10)


def test_agreement_with_a_future_effective_date_is_refused(demo):
    d, m = mediating(demo)
    session(d, m)
    with pytest.raises(TransitionError):
        workflow.record_agreement(
            d.pk,
            m,
            form=AgreementForm.ORAL,
            terms="赔偿",
            effective_date=TODAY() + datetime.timedelta(days=1),
        )
    assert Dispute.objects.get(pk=d.pk).status == S.MEDIATING


def test_terminate_needs_a_route_and_opens_a_follow_up(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError):
        workflow.terminate(d.pk, m, route="", reason="分歧大")
    workflow.terminate(d.pk, m, route="arbitration", reason="分歧大")
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.TERMINATED and d.termination_route == "arbitration"
    assert open_codes(d) == {"follow_up"}


def test_terminate_by_another_village_is_404_and_by_a_grid_worker_403(demo):
    d, _m = mediating(demo)
    with pytest.raises(Http404):
        workflow.terminate(d.pk, demo["yangchun_mediator"], route="litigation", reason="x")
    with pytest.raises(PermissionDenied):
        workflow.terminate(d.pk, demo["xianjin_grid_worker"], route="litigation", reason="x")


def test_extension_needs_consent(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError):
        workflow.extend_mediation(d.pk, m, days=10, consent_note=" ")
    before = d.deadlines.get(rule__code="mediation_period").due_date
    workflow.extend_mediation(d.pk, m, days=10, consent_note="双方书面同意延长")
    after = d.deadlines.get(rule__code="mediation_period")
    assert after.due_date > before and after.extended_days == 10


def test_performance_in_the_future_is_refused_and_today_closes_the_deadline(demo):
    d, m = agreed(demo, performance_due=TODAY())
    with pytest.raises(TransitionError):
        workflow.record_performance(d.pk, m, performed_on=TODAY() + datetime.timedelta(days=1))
    workflow.record_performance(d.pk, m, performed_on=TODAY(), note="已当面付清")
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.PERFORMED and d.agreement.performed_on == TODAY()
    assert "performance" not in open_codes(d)


def test_performance_before_an_agreement_is_a_conflict(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionConflict):
        workflow.record_performance(d.pk, m, performed_on=TODAY())


def test_court_refusal_is_recorded(demo):
    d, m = agreed(demo)
    with pytest.raises(TransitionError):
        workflow.decide_confirmation(d.pk, m, confirmed=False, decided_on=TODAY())  # nothing applied
    workflow.apply_for_confirmation(d.pk, m, applied_on=TODAY(), court="诸暨市人民法院")
    assert "judicial_confirmation" not in open_codes(d)
    with pytest.raises(TransitionError):
        workflow.apply_for_confirmation(d.pk, m, applied_on=TODAY(), court="诸暨市人民法院")
    workflow.decide_confirmation(d.pk, m, confirmed=False, decided_on=TODAY())
    agreement = Dispute.objects.get(pk=d.pk).agreement
    assert agreement.confirmation_state == ConfirmationState.REFUSED
    assert agreement.confirmation_court == "诸暨市人民法院"


def test_confirmation_on_the_30th_day_is_still_allowed(demo):
    effective = TODAY() - datetime.timedelta(days=30)
    d, m = agreed(demo, effective=effective)
    workflow.apply_for_confirmation(d.pk, m, applied_on=TODAY(), court="诸暨市人民法院")
    assert Dispute.objects.get(pk=d.pk).agreement.confirmation_state == ConfirmationState.APPLIED


def test_grid_worker_may_follow_up_but_not_in_the_future(demo):
    d, _m = agreed(demo)
    g = demo["xianjin_grid_worker"]
    with pytest.raises(TransitionError):
        workflow.record_follow_up(
            d.pk, g, date=TODAY() + datetime.timedelta(days=1), method="phone", satisfaction="satisfied"
        )
    workflow.record_follow_up(d.pk, g, date=TODAY(), method="phone", satisfaction="satisfied", new_risks="无")
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.FOLLOWED_UP and d.follow_ups.get().visitor == g
    assert "follow_up" not in open_codes(d)


def test_follow_up_by_another_village_is_404(demo):
    d, _m = agreed(demo)
    with pytest.raises(Http404):
        workflow.record_follow_up(
            d.pk, demo["yangchun_grid_worker"], date=TODAY(), method="phone", satisfaction="satisfied"
        )


def test_archive_cancels_what_is_still_open(demo):
    d, m = agreed(demo, performance_due=TODAY() + datetime.timedelta(days=30))
    workflow.record_follow_up(d.pk, m, date=TODAY(), method="visit", satisfaction="satisfied")
    workflow.archive(d.pk, m)
    d = Dispute.objects.get(pk=d.pk)
    assert open_codes(d) == set() and d.next_due_at is None


def test_archive_records_the_closure_statistics(demo):
    d, m = agreed(demo)
    workflow.record_follow_up(d.pk, m, date=TODAY(), method="visit", satisfaction="satisfied")
    workflow.archive(d.pk, m, prevented_criminal_case=True)
    d = Dispute.objects.get(pk=d.pk)
    assert d.prevented_criminal_case and not d.prevented_mass_petition
    entry = d.timeline.get(action="archive")
    assert entry.before["prevented_criminal_case"] is False and entry.after["prevented_criminal_case"] is True


def refused(demo):
    d, m = agreed(demo, performance_due=TODAY() + datetime.timedelta(days=20))
    workflow.apply_for_confirmation(d.pk, m, applied_on=TODAY(), court="诸暨市人民法院")
    workflow.decide_confirmation(d.pk, m, confirmed=False, decided_on=TODAY())
    return d, m


def test_mediating_again_needs_a_refused_confirmation(demo):
    d, m = agreed(demo)
    with pytest.raises(TransitionError):
        workflow.remediate(d.pk, m, reason="双方愿意变更协议")
    assert Dispute.objects.get(pk=d.pk).status == S.AGREED


def test_after_a_refused_confirmation_the_agreement_is_changed_by_mediating_again(demo):
    d, m = refused(demo)
    with pytest.raises(PermissionDenied):
        workflow.remediate(d.pk, demo["xianjin_grid_worker"], reason="变更协议")
    with pytest.raises(TransitionError):
        workflow.remediate(d.pk, m, reason=" ")
    workflow.remediate(d.pk, m, reason="法院驳回，双方同意变更协议")
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.MEDIATING and open_codes(d) == {"mediation_period"}
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿300元并赔礼道歉", effective_date=TODAY()
    )
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.AGREED and d.agreement.terms == "赔偿300元并赔礼道歉"
    assert d.agreement.confirmation_state == ConfirmationState.NONE and d.agreement.performance_due is None
    assert open_codes(d) == {"judicial_confirmation", "follow_up"}
    entry = d.timeline.filter(action="agree").last()
    assert entry.after["previous_terms"] == "赔偿500元"
