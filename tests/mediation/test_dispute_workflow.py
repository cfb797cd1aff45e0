"""Every dispute transition, allowed and refused, by role and by jurisdiction."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from cases.models import TimelineEntry
from cases.transitions import TransitionConflict, TransitionError
from mediation import workflow
from mediation.models import AgreementForm, ConfirmationState, Dispute, DisputeStatus, SessionOutcome
from tests.dispute_helpers import new_dispute, yesterday

pytestmark = pytest.mark.django_db
S = DisputeStatus


def status(d):
    return Dispute.objects.get(pk=d.pk).status


def open_codes(d):
    return set(d.deadlines.filter(state="open").values_list("rule__code", flat=True))


def session(d, user):
    workflow.record_session(
        d.pk, user, held_at=timezone.now(), place="村调解室", attendees="双方当事人",
        record="双方陈述，调解员释法。", outcome=SessionOutcome.AGREED,
    )  # fmt: skip


def test_registration_numbers_the_case_and_opens_acceptance(demo):
    d = new_dispute(demo["xianjin_grid_worker"])
    assert d.number.startswith("诸暨〔") and "调字第" in d.number
    assert d.status == S.REGISTERED and d.parties.count() == 2
    assert open_codes(d) == {"dispute_accept"}
    assert TimelineEntry.objects.filter(case=d, action="register").count() == 1


def test_registration_refused_outside_jurisdiction_and_without_a_role(demo):
    with pytest.raises(TransitionError):
        new_dispute(demo["yangchun_mediator"], village="xianjin")
    with pytest.raises(PermissionDenied):
        new_dispute(demo["xianjin_statistician"])
    assert Dispute.objects.count() == 0


def test_full_path_from_intake_to_archive(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(demo["xianjin_grid_worker"])
    workflow.accept(d.pk, m)
    workflow.assign(d.pk, m, handler=m)
    workflow.start_mediation(d.pk, m)
    assert open_codes(Dispute.objects.get(pk=d.pk)) == {"mediation_period"}
    session(d, m)
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="李四于一周内疏通排水沟。", effective_date=yesterday(),
        performance_due=timezone.localdate(),
    )  # fmt: skip
    assert status(d) == S.AGREED
    assert open_codes(d) == {"performance", "judicial_confirmation", "follow_up"}
    workflow.apply_for_confirmation(d.pk, m, applied_on=timezone.localdate(), court="诸暨市人民法院")
    workflow.decide_confirmation(d.pk, m, confirmed=True, decided_on=timezone.localdate())
    workflow.record_performance(d.pk, m, performed_on=timezone.localdate())
    workflow.record_follow_up(d.pk, m, date=timezone.localdate(), method="phone", satisfaction="satisfied")
    workflow.archive(d.pk, m)
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.ARCHIVED and d.closed_at is not None and d.next_due_at is None
    assert d.agreement.confirmation_state == ConfirmationState.CONFIRMED
    assert list(d.timeline.values_list("action", flat=True)) == [
        "register", "accept", "assign", "start_mediation", "record_session", "agree", "confirmation",
        "confirmation", "record_performance", "follow_up", "archive",
    ]  # fmt: skip


def test_decline_needs_a_reason_and_ends_acceptance(demo):
    d = new_dispute(demo["xianjin_mediator"])
    with pytest.raises(TransitionError):
        workflow.decline(d.pk, demo["xianjin_mediator"], "  ")
    workflow.decline(d.pk, demo["xianjin_mediator"], "已由法院受理")
    assert status(d) == S.DECLINED and open_codes(d) == set()


def test_refer_elsewhere(demo):
    d = new_dispute(demo["xianjin_mediator"])
    workflow.refer(d.pk, demo["xianjin_mediator"], "枫桥派出所")
    assert status(d) == S.REFERRED


def test_other_village_gets_404_and_grid_worker_cannot_accept(demo):
    d = new_dispute(demo["xianjin_mediator"])
    with pytest.raises(Http404):
        workflow.accept(d.pk, demo["yangchun_mediator"])
    with pytest.raises(PermissionDenied):
        workflow.accept(d.pk, demo["xianjin_grid_worker"])
    workflow.accept(d.pk, demo["fengqiao_supervisor"])  # the town above may act
    assert status(d) == S.ACCEPTED


def test_wrong_state_is_a_conflict(demo):
    d = new_dispute(demo["xianjin_mediator"])
    with pytest.raises(TransitionConflict):
        workflow.start_mediation(d.pk, demo["xianjin_mediator"])
    with pytest.raises(TransitionConflict):
        workflow.archive(d.pk, demo["xianjin_mediator"])


def test_assigning_to_another_unit_grants_that_unit_access(demo):
    from accounts.scoping import visible_cases

    d = new_dispute(demo["xianjin_mediator"])
    workflow.accept(d.pk, demo["xianjin_mediator"])
    labour = demo["zhuji_handler"].unit
    assert not visible_cases(demo["zhuji_handler"], Dispute.objects.all()).exists()
    workflow.assign(d.pk, demo["xianjin_mediator"], unit=labour)
    assert visible_cases(demo["zhuji_handler"], Dispute.objects.all()).get().pk == d.pk
    assert not visible_cases(demo["yangchun_mediator"], Dispute.objects.all()).exists()


def test_escalate_to_the_town_centre(demo):
    d = new_dispute(demo["xianjin_mediator"])
    town_centre = demo["fengqiao_supervisor"].unit
    with pytest.raises(TransitionError):
        workflow.escalate(
            d.pk, demo["xianjin_mediator"], unit=demo["yangchun_supervisor"].unit, reason="复杂"
        )
    workflow.escalate(d.pk, demo["xianjin_mediator"], unit=town_centre, reason="涉及多户，村级难以调处")
    assert Dispute.objects.get(pk=d.pk).handling_unit == town_centre


def test_agreement_needs_a_session_and_terms(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    with pytest.raises(TransitionError):
        workflow.record_agreement(
            d.pk, m, form=AgreementForm.ORAL, terms="口头约定", effective_date=yesterday()
        )
    session(d, m)
    with pytest.raises(TransitionError):
        workflow.record_agreement(d.pk, m, form=AgreementForm.ORAL, terms=" ", effective_date=yesterday())
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.ORAL, terms="口头约定赔偿200元", effective_date=yesterday()
    )
    assert open_codes(d) == {"follow_up"}  # no judicial confirmation for an oral agreement
    with pytest.raises(TransitionError):
        workflow.apply_for_confirmation(d.pk, m, applied_on=timezone.localdate(), court="诸暨市人民法院")


def test_confirmation_after_the_30_day_window_is_refused(demo):
    import datetime

    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    session(d, m)
    effective = timezone.localdate() - datetime.timedelta(days=40)
    workflow.record_agreement(d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿", effective_date=effective)
    with pytest.raises(TransitionError) as info:
        workflow.apply_for_confirmation(d.pk, m, applied_on=timezone.localdate(), court="诸暨市人民法院")
    assert "30" in str(info.value)


def test_terminate_records_the_route_and_reopen_needs_a_supervisor(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    workflow.terminate(d.pk, m, route="litigation", reason="双方分歧过大")
    assert Dispute.objects.get(pk=d.pk).termination_route == "litigation"
    with pytest.raises(PermissionDenied):
        workflow.reopen(d.pk, m, "新证据")
    workflow.reopen(d.pk, demo["xianjin_supervisor"], "新证据")
    assert status(d) == S.ACCEPTED


def test_mediation_extension_once_and_at_most_30_days(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    with pytest.raises(TransitionError):
        workflow.extend_mediation(d.pk, m, days=31, consent_note="双方同意")
    workflow.extend_mediation(d.pk, m, days=15, consent_note="双方同意")
    with pytest.raises(TransitionError):
        workflow.extend_mediation(d.pk, m, days=5, consent_note="双方同意")
    assert d.deadlines.get(rule__code="mediation_period").extended_days == 15


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_mediators_accept_at_once_exactly_one_wins():
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    d = new_dispute(User.objects.get(username="xianjin_mediator"))
    actors = [User.objects.get(username="xianjin_mediator"), User.objects.get(username="fengqiao_supervisor")]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        try:
            barrier.wait()
            workflow.accept(d.pk, user)
            outcomes.append("ok")
        except TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert TimelineEntry.objects.filter(case=d, action="accept").count() == 1
