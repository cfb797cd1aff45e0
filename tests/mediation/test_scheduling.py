"""Sessions arranged ahead (mediation.scheduling): scheduled, moved, cancelled with a reason on the
timeline, dates checked, parties told (a text message through the SMS gateway), and filled by the
record of the session, which makes it held."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import TimelineEntry
from cases.transitions import TransitionError
from mediation import workflow
from mediation.models import MediationSession, NoticeMethod, ScheduledSession, ScheduledState, SessionNotice
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db

SENT = []


class RecordingSms:
    def send(self, recipient, text):
        SENT.append((recipient, text))


class BrokenSms:
    def send(self, recipient, text):
        raise OSError("gateway down")


def tomorrow_at(hour=9, minute=30):
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def mediating(demo):
    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m


def test_schedule_a_session_with_mediators_and_parties_to_tell(demo, client):
    d, m = mediating(demo)
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "schedule_session"])
    page = client.get(url).content.decode()
    assert "张三明" in page and "村东排水沟" in page  # the parties offered, the dispute's place filled in
    when = tomorrow_at()
    response = client.post(url, {
        "date": when.date().isoformat(), "time": "09:30", "place": "村调解室",
        "mediators": [m.pk, demo["fengqiao_mediator"].pk], "parties": [p.pk for p in d.parties.all()],
    })  # fmt: skip
    assert response.status_code == 302
    s = ScheduledSession.objects.get(dispute=d)
    assert s.starts_at == when and s.place == "村调解室" and s.state == ScheduledState.SCHEDULED
    assert {u.username for u in s.mediators.all()} == {"xianjin_mediator", "fengqiao_mediator"}
    assert s.parties.count() == 2
    entry = TimelineEntry.objects.filter(case=d, action="schedule_session").get()
    assert entry.after["place"] == "村调解室" and entry.after["starts_at"].endswith("09:30")
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "村调解室" in html


def test_scheduling_needs_a_time_still_to_come_and_not_before_registration(demo):
    d, m = mediating(demo)
    with pytest.raises(TransitionError):
        workflow.schedule_session(
            d.pk, m, starts_at=timezone.now() - datetime.timedelta(hours=1), place="村调解室"
        )
    d.opened_at = timezone.now() + datetime.timedelta(days=3)  # registered (in this test) after tomorrow
    d.save(update_fields=["opened_at"])
    with pytest.raises(TransitionError):
        workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    assert not ScheduledSession.objects.exists()


def test_only_mediators_who_see_the_case_and_its_own_parties(demo):
    d, m = mediating(demo)
    other = new_dispute(m, summary="另一纠纷")
    with pytest.raises(TransitionError):
        workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室",
                                  mediators=[demo["yangchun_mediator"]])  # fmt: skip
    with pytest.raises(TransitionError):
        workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室",
                                  parties=list(other.parties.all()))  # fmt: skip
    assert not ScheduledSession.objects.exists()


def test_a_schedule_post_reads_the_county_mediators_once_and_its_queries_do_not_grow(
    demo, client, monkeypatch
):
    """The form offers every mediator who may see the case; the step checks again, under the case's
    lock, only the ones named (mediation.people.eligible_among): one read of the county's mediators
    per POST, and as many statements with twelve more mediators in the county as without."""
    from accounts import roles
    from mediation import people
    from tests.factories import UserFactory

    d, m = mediating(demo)
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "schedule_session"])
    reads = []
    whole = people._mediators_seeing
    monkeypatch.setattr(
        people, "_mediators_seeing", lambda case, only=None: reads.append(only) or whole(case, only)
    )

    def post(hour):
        reads.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {
                "date": tomorrow_at().date().isoformat(), "time": f"{hour}:00", "place": "村调解室",
                "mediators": [m.pk, demo["fengqiao_mediator"].pk], "parties": [p.pk for p in d.parties.all()],
            })  # fmt: skip
        assert response.status_code == 302
        assert reads == [None, {m.pk, demo["fengqiao_mediator"].pk}]  # the county once, then the named
        return len(queries.captured_queries)

    before = post(9)
    for name in ("xianjin_mediator", "fengqiao_mediator", "zhuji_mediator") * 4:
        UserFactory(unit=demo[name].unit, roles=[roles.MEDIATOR])
    assert len(people.eligible_mediators(d)) >= 3 + 12
    assert post(10) <= before
    assert ScheduledSession.objects.filter(dispute=d).count() == 2


def test_the_step_is_for_who_answers_for_the_case(demo, client):
    """Guard (mediation.people.may_arrange): a mediator of another unit who sees the case does not
    arrange its sessions; the page answers 403 and the button is not shown."""
    d, _m = mediating(demo)
    client.force_login(demo["fengqiao_mediator"])
    assert client.get(reverse("disputes:action", args=[d.pk, "schedule_session"])).status_code == 403
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "/schedule_session/" not in html


def test_move_and_cancel_need_a_reason_and_keep_the_old_values_on_the_timeline(demo):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    s.reminded_at = timezone.now()
    s.save()
    with pytest.raises(TransitionError):
        workflow.reschedule_session(d.pk, m, scheduled=s, starts_at=tomorrow_at(14), reason=" ")
    later = tomorrow_at(14) + datetime.timedelta(days=2)
    workflow.reschedule_session(
        d.pk, m, scheduled=s, starts_at=later, place="镇调解中心", reason="当事人出差"
    )
    s.refresh_from_db()
    assert s.starts_at == later and s.place == "镇调解中心" and s.reminded_at is None  # reminded again
    entry = TimelineEntry.objects.get(case=d, action="reschedule_session")
    assert entry.before["place"] == "村调解室" and entry.after["reason"] == "当事人出差"
    with pytest.raises(TransitionError):
        workflow.cancel_session(d.pk, m, scheduled=s, reason="")
    workflow.cancel_session(d.pk, m, scheduled=s, reason="双方已自行和解")
    s.refresh_from_db()
    assert s.state == ScheduledState.CANCELLED and s.cancel_reason == "双方已自行和解"
    with pytest.raises(TransitionError):  # a cancelled session is neither moved nor cancelled again
        workflow.reschedule_session(d.pk, m, scheduled=s, starts_at=later, reason="再改")


def test_a_session_cannot_be_moved_into_the_past(demo):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    with pytest.raises(TransitionError):
        workflow.reschedule_session(
            d.pk, m, scheduled=s, starts_at=timezone.now() - datetime.timedelta(days=1), reason="改期"
        )


def test_recording_the_session_fills_the_scheduled_one(demo, client):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室",
                                  mediators=[m, demo["fengqiao_mediator"]])  # fmt: skip
    # The next day: the session began, so the record's form is filled from it.
    ScheduledSession.objects.filter(pk=s.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    client.force_login(m)
    url = reverse("disputes:action", args=[d.pk, "record_session"])
    form = client.get(url).context["form"]
    assert form.fields["scheduled"].initial == str(s.pk)
    assert form.fields["place"].initial == "村调解室"
    assert set(form.fields["mediators"].initial) == {str(m.pk), str(demo["fengqiao_mediator"].pk)}
    response = client.post(url, {
        "scheduled": s.pk, "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "村调解室",
        "mediators": [m.pk], "attendees": "双方", "record": "笔录", "outcome": "continue",
    })  # fmt: skip
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.state == ScheduledState.HELD and s.session == MediationSession.objects.get(dispute=d)
    with pytest.raises(TransitionError):  # held once only
        workflow.record_session(d.pk, m, held_at=timezone.now(), place="x", attendees="x", record="x",
                                outcome="continue", scheduled=s)  # fmt: skip
    assert MediationSession.objects.filter(dispute=d).count() == 1


def test_a_session_of_another_dispute_is_not_filled(demo):
    d, m = mediating(demo)
    e, _ = mediating(demo)
    s = workflow.schedule_session(e.pk, m, starts_at=tomorrow_at(), place="村调解室")
    with pytest.raises(TransitionError):
        workflow.record_session(d.pk, m, held_at=timezone.now(), place="x", attendees="x", record="x",
                                outcome="continue", scheduled=s)  # fmt: skip
    assert not MediationSession.objects.exists()


def test_parties_told_by_phone_are_recorded_with_method_and_time(demo):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    at = timezone.now() - datetime.timedelta(hours=1)
    workflow.notify_parties(
        d.pk, m, scheduled=s, parties=list(d.parties.all()), method="phone", notified_at=at
    )
    notices = SessionNotice.objects.filter(scheduled=s)
    assert notices.count() == 2 and {n.method for n in notices} == {NoticeMethod.PHONE}
    assert {n.notified_at for n in notices} == {at}
    entry = TimelineEntry.objects.get(case=d, action="notify_parties")
    assert (
        "张*明" in entry.after["parties"] and "张三明" not in entry.after["parties"]
    )  # masked on the timeline
    with pytest.raises(TransitionError):
        workflow.notify_parties(d.pk, m, scheduled=s, parties=list(d.parties.all()), method="phone",
                                notified_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip


@override_settings(SMS_GATEWAY="tests.mediation.test_scheduling.RecordingSms")
def test_a_text_message_goes_through_the_sms_gateway_after_the_step_commits(
    demo, django_capture_on_commit_callbacks
):
    SENT.clear()
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    applicant = d.parties.get(role="applicant")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.notify_parties(d.pk, m, scheduled=s, parties=[applicant], method="sms")
    assert len(SENT) == 1 and SENT[0][0] == "13800138000"
    assert d.number in SENT[0][1] and "村调解室" in SENT[0][1]
    assert SessionNotice.objects.get(scheduled=s).sms_sent_at is not None


@override_settings(SMS_GATEWAY="tests.mediation.test_scheduling.BrokenSms")
def test_a_failed_text_message_is_recorded_as_not_delivered(demo, client, django_capture_on_commit_callbacks):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.notify_parties(d.pk, m, scheduled=s, parties=[d.parties.get(role="applicant")], method="sms")
    assert SessionNotice.objects.get(scheduled=s).sms_sent_at is None
    client.force_login(m)
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert "短信未送达" in html or "text message not delivered" in html


@override_settings(SMS_GATEWAY="")
def test_no_text_message_without_a_gateway(demo):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    with pytest.raises(TransitionError):
        workflow.notify_parties(d.pk, m, scheduled=s, parties=list(d.parties.all()), method="sms")
    assert not SessionNotice.objects.exists()


def test_the_case_page_costs_the_same_queries_whatever_its_scheduled_sessions(demo, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d, m = mediating(demo)
    client.force_login(m)
    url = reverse("disputes:detail", args=[d.pk])
    s = workflow.schedule_session(
        d.pk, m, starts_at=tomorrow_at(), place="村调解室", parties=list(d.parties.all())
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    workflow.notify_parties(d.pk, m, scheduled=s, parties=list(d.parties.all()), method="phone",
                            notified_at=timezone.now())  # fmt: skip
    for hour in (10, 11, 14):
        workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(hour), place=f"调解室{hour}")
    client.get(url)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    assert len(four.captured_queries) == len(one.captured_queries)
    assert "调解室14" in html and "2/2" in html


@override_settings(SMS_GATEWAY="supervision.notify.ConsoleSmsGateway")
def test_the_demo_prints_the_text_message(demo, capsys, django_capture_on_commit_callbacks):
    d, m = mediating(demo)
    s = workflow.schedule_session(d.pk, m, starts_at=tomorrow_at(), place="村调解室")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.notify_parties(
            d.pk, m, scheduled=s, parties=[d.parties.get(role="respondent")], method="sms"
        )
    printed = capsys.readouterr().out
    assert "[SMS to 13900139000]" in printed and "村调解室" in printed
