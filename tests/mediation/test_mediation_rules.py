"""人民调解法 §33 (judicial-confirmation window with holidays), §25 (risk reports) and dates checked
against each other in the workflow functions, so a form, an import and an API are refused alike."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from cases.models import CalendarDay
from cases.transitions import TransitionError
from mediation import dates, workflow
from mediation.forms import ArchiveForm
from mediation.models import AgreementForm, ConfirmationState, Dispute, RiskReport, SessionOutcome
from reporting import mediation_stats
from reporting.periods import Period
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
D = datetime.date


def mediating(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def session(d, m, **extra):
    fields = dict(
        held_at=timezone.now(), place="村调解室", attendees="双方当事人", record="双方陈述。",
        outcome=SessionOutcome.AGREED,
    )  # fmt: skip
    return workflow.record_session(d.pk, m, **{**fields, **extra})


def agreed(demo, effective, **extra):
    d, m = mediating(demo)
    session(d, m)
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="赔偿", effective_date=effective, **extra
    )
    return d, m


def test_s33_confirmation_window_ending_on_a_holiday_runs_to_the_next_working_day(demo):
    # 30 days after 1 September 2026 is 1 October, 国庆节: the window runs to the next working day
    # (民事诉讼法 §85), the date the case page shows, and the check uses that same date.
    effective = D(2026, 9, 1)
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).is_workday is False
    d, m = agreed(demo, effective)
    shown = Dispute.objects.get(pk=d.pk).deadlines.get(rule__code="judicial_confirmation").due_date
    assert shown > effective + datetime.timedelta(days=30)
    assert not CalendarDay.objects.filter(date=shown, is_workday=False).exists()
    assert dates.confirmation_last_day(d, d.agreement) == shown
    with pytest.raises(TransitionError) as info:
        workflow.apply_for_confirmation(
            d.pk, m, applied_on=shown + datetime.timedelta(days=1), court="诸暨市人民法院"
        )
    assert "30" in str(info.value)
    workflow.apply_for_confirmation(d.pk, m, applied_on=shown, court="诸暨市人民法院")
    assert Dispute.objects.get(pk=d.pk).agreement.confirmation_state == ConfirmationState.APPLIED


def test_s33_window_without_an_open_deadline_is_computed_by_the_same_rule(demo):
    d, _m = agreed(demo, D(2026, 9, 1))
    d.deadlines.filter(rule__code="judicial_confirmation").update(state="cancelled")
    due = Dispute.objects.get(pk=d.pk).deadlines.get(rule__code="judicial_confirmation").due_date
    assert dates.confirmation_last_day(d, Dispute.objects.get(pk=d.pk).agreement) == due


def test_s25_risk_report_recorded_with_time_and_recipient(demo, client):
    d, m = mediating(demo)
    at = timezone.now()
    workflow.report_risk(
        d.pk, m, recipient_kind="police", recipient_name="枫桥派出所", reported_at=at,
        content="双方扬言持械报复，请派出所介入。",
    )  # fmt: skip
    report = RiskReport.objects.get(dispute=d)
    assert report.recipient_name == "枫桥派出所" and report.reported_at == at and report.reported_by == m
    entry = Dispute.objects.get(pk=d.pk).timeline.get(action="report_risk")
    assert entry.actor == m
    assert "枫桥派出所" in entry.after["recipient"]
    assert entry.after["reported_at"] == timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    # Shown on the case page's timeline with time and recipient.
    client.force_login(m)
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "枫桥派出所" in html and entry.after["reported_at"] in html
    # Counted in the mediation statistics (防止民转刑) and offered ticked when the file is closed.
    now = timezone.localdate()
    county = Region.objects.get(code=d.region_id[:6] + "000000")
    listed = mediation_stats.drill(
        demo["zhuji_statistician"], county, Period.month(now.year, now.month), "risk_reported", "total"
    )
    assert list(listed) == [Dispute.objects.get(pk=d.pk)]
    assert (
        ArchiveForm(user=m, case=Dispute.objects.get(pk=d.pk)).fields["prevented_criminal_case"].initial
        is True
    )


def test_s25_risk_report_needs_a_recipient_and_no_future_time(demo):
    d, m = mediating(demo)
    base = dict(recipient_kind="township", recipient_name="枫桥镇人民政府", content="可能激化")
    with pytest.raises(TransitionError):
        workflow.report_risk(d.pk, m, **{**base, "recipient_name": " "}, reported_at=timezone.now())
    with pytest.raises(TransitionError):
        workflow.report_risk(d.pk, m, **base, reported_at=timezone.now() + datetime.timedelta(days=1))
    assert not RiskReport.objects.exists()


def test_s25_risk_report_through_its_page(demo, client):
    d, m = mediating(demo)
    client.force_login(demo["xianjin_grid_worker"])
    response = client.post(
        reverse("disputes:action", args=[d.pk, "report_risk"]),
        {"recipient_kind": "other", "recipient_name": "诸暨市公安局", "content": "有打架苗头",
         "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 302
    assert RiskReport.objects.get(dispute=d).recipient_kind == "other"


def test_session_before_registration_is_refused(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError) as info:
        session(d, m, held_at=timezone.now() - datetime.timedelta(days=3))
    assert "登记" in str(info.value) or "registered" in str(info.value)
    assert not d.sessions.exists()


def test_performance_before_the_agreement_takes_effect_is_refused(demo):
    d, m = agreed(demo, TODAY() - datetime.timedelta(days=5))
    with pytest.raises(TransitionError):
        workflow.record_performance(d.pk, m, performed_on=TODAY() - datetime.timedelta(days=6))
    workflow.record_performance(d.pk, m, performed_on=TODAY() - datetime.timedelta(days=5))


def test_performance_due_before_the_agreement_is_refused_but_may_lie_ahead(demo):
    d, m = mediating(demo)
    session(d, m)
    with pytest.raises(TransitionError):
        workflow.record_agreement(
            d.pk, m, form=AgreementForm.ORAL, terms="赔偿", effective_date=TODAY(),
            performance_due=TODAY() - datetime.timedelta(days=1),
        )  # fmt: skip
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.ORAL, terms="赔偿", effective_date=TODAY(),
        performance_due=TODAY() + datetime.timedelta(days=60),
    )  # fmt: skip


def test_follow_up_before_the_agreement_is_refused(demo):
    d, m = agreed(demo, TODAY() - datetime.timedelta(days=2))
    with pytest.raises(TransitionError):
        workflow.record_follow_up(
            d.pk, m, date=TODAY() - datetime.timedelta(days=3), method="phone", satisfaction="satisfied"
        )
    workflow.record_follow_up(
        d.pk, m, date=TODAY() - datetime.timedelta(days=2), method="phone", satisfaction="satisfied"
    )


def test_confirmation_dates_follow_each_other(demo):
    d, m = agreed(demo, TODAY() - datetime.timedelta(days=3))
    with pytest.raises(TransitionError):  # before the agreement took effect
        workflow.apply_for_confirmation(
            d.pk, m, applied_on=TODAY() - datetime.timedelta(days=4), court="法院"
        )
    with pytest.raises(TransitionError):  # in the future
        workflow.apply_for_confirmation(
            d.pk, m, applied_on=TODAY() + datetime.timedelta(days=1), court="法院"
        )
    workflow.apply_for_confirmation(d.pk, m, applied_on=TODAY() - datetime.timedelta(days=1), court="法院")
    with pytest.raises(TransitionError):  # the court decided before the parties applied
        workflow.decide_confirmation(d.pk, m, confirmed=True, decided_on=TODAY() - datetime.timedelta(days=2))
    workflow.decide_confirmation(d.pk, m, confirmed=True, decided_on=TODAY())
