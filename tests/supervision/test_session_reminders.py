"""The day-before reminder of a scheduled mediation session (mediation.session_reminders, beat task
mediation.tasks.remind_sessions): an in-app notification with a link to each mediator, exactly once,
its e-mail and SMS in supervision's outbox, sent within the working-hours window."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from cases.calendar import WorkCalendar
from mediation import workflow
from mediation.models import ScheduledSession
from mediation.session_reminders import remind_tomorrow
from mediation.tasks import remind_sessions
from supervision.models import Notification, NotificationKind
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def next_workday_after(day):
    calendar = WorkCalendar()
    day += datetime.timedelta(days=1)
    while not calendar.is_workday(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def scheduled(demo):
    m, other = demo["xianjin_mediator"], demo["fengqiao_mediator"]
    m.email, m.phone = "mediator@example.org", "13800000000"
    m.save()
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    return d, m, other


def test_the_task_reminds_each_mediator_once_with_a_link(scheduled):
    d, m, other = scheduled
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    s = workflow.schedule_session(
        d.pk, m, starts_at=at(tomorrow, 23, 50), place="村调解室", mediators=[m, other]
    )
    workflow.schedule_session(
        d.pk, m, starts_at=at(tomorrow + datetime.timedelta(days=2), 9), place="后天以后"
    )
    assert remind_sessions() == 2  # the real task function, as beat runs it
    notes = Notification.objects.filter(kind=NotificationKind.CALENDAR)
    assert {n.user.username for n in notes} == {"xianjin_mediator", "fengqiao_mediator"}
    for note in notes:
        assert note.link == f"/disputes/{d.pk}/" and note.case_ids == [d.pk]
        assert "村调解室" in note.body and "后天以后" not in note.body
    assert remind_sessions() == 0  # exactly once
    s.refresh_from_db()
    assert s.reminded_at is not None


def test_a_moved_session_is_reminded_again(scheduled):
    d, m, _other = scheduled
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    s = workflow.schedule_session(d.pk, m, starts_at=at(tomorrow, 23, 0), place="村调解室")
    assert remind_sessions() == 1
    workflow.reschedule_session(d.pk, m, scheduled=s, starts_at=at(tomorrow, 23, 30), reason="改时间")
    assert remind_sessions() == 1
    assert Notification.objects.filter(user=m, kind=NotificationKind.CALENDAR).count() == 2


def test_a_cancelled_session_is_not_reminded(scheduled):
    d, m, _other = scheduled
    s = workflow.schedule_session(d.pk, m, starts_at=at(timezone.localdate() + datetime.timedelta(days=1), 23),
                                  place="村调解室")  # fmt: skip
    workflow.cancel_session(d.pk, m, scheduled=s, reason="和解")
    assert remind_sessions() == 0


def test_several_sessions_make_one_digest_linking_the_calendar(scheduled, demo):
    d, m, _other = scheduled
    e = new_dispute(m, summary="第二件纠纷")
    workflow.accept(e.pk, m)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    workflow.schedule_session(d.pk, m, starts_at=at(tomorrow, 22), place="村调解室")
    workflow.schedule_session(e.pk, m, starts_at=at(tomorrow, 23), place="镇调解中心")
    assert remind_sessions() == 1
    note = Notification.objects.get(user=m, kind=NotificationKind.CALENDAR)
    assert note.link == f"/disputes/calendar/?date={tomorrow}" and sorted(note.case_ids) == sorted(
        [d.pk, e.pk]
    )
    assert note.body.index("村调解室") < note.body.index("镇调解中心")


def test_a_mediator_who_no_longer_sees_the_case_is_not_told(scheduled, demo):
    d, m, other = scheduled
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    workflow.schedule_session(d.pk, m, starts_at=at(tomorrow, 23), place="村调解室", mediators=[m, other])
    other.unit = demo["jiyang_supervisor"].unit  # moved to another town since
    other.save()
    remind_sessions()
    assert not Notification.objects.filter(user=other).exists()
    assert Notification.objects.filter(user=m, kind=NotificationKind.CALENDAR).exists()


@override_settings(REMINDER_SEND_FROM="08:30", REMINDER_SEND_UNTIL="17:30")
def test_e_mail_waits_for_the_working_hours_window(scheduled):
    d, m, _other = scheduled
    day = next_workday_after(timezone.localdate())  # the day before the session, a working day
    session = day + datetime.timedelta(days=1)
    workflow.schedule_session(d.pk, m, starts_at=at(session, 9, 30), place="村调解室")
    mail.outbox.clear()
    assert remind_tomorrow(now=at(day, 20, 0)) == 1  # evening: the in-app notice only
    note = Notification.objects.get(user=m, kind=NotificationKind.CALENDAR)
    assert note.email_pending and not mail.outbox
    ScheduledSession.objects.update(reminded_at=None)
    Notification.objects.all().delete()
    assert remind_tomorrow(now=at(day, 10, 0)) == 1  # within the window: the outbox sends it
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mediator@example.org"]
    assert "村调解室" in mail.outbox[0].body
