"""E-mail and SMS as an outbox behind the in-app notification; the supervisors' daily digest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.demo import VILLAGES
from cases.deadlines import open_deadline
from supervision import notify
from supervision.models import Notification
from supervision.reminders import scan, send, supervisor_digest
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))  # Tuesday, working hours
MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 30))


class RecordingGateway:
    """A test double standing where a deployment's SMS gateway would be."""

    sent: list = []

    def send(self, recipient, text):
        self.sent.append((recipient, text))


def due_case(demo, due, handler="xianjin_mediator"):
    user = demo[handler]
    case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
    return open_deadline(case, "performance", due - datetime.timedelta(days=1), due_date=due)


@pytest.fixture
def mediator(demo):
    user = demo["xianjin_mediator"]
    user.email, user.phone = "mediator@example.org", "13800000000"
    user.save()
    return user


def test_email_is_sent_then_marked_with_a_message_id_from_the_notification(demo, mediator):
    due_case(demo, D(2026, 11, 25))
    scan(NOW)
    send(NOW)
    note = Notification.objects.get(user=mediator)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{note.pk}@jiefen.local>"
    assert note.email_pending is False and note.emailed_at is not None
    assert notify.deliver_outbox()["email"] == 0
    assert len(mail.outbox) == 1


def test_a_failed_email_stays_pending_and_goes_on_the_next_run(demo, mediator, monkeypatch):
    due_case(demo, D(2026, 11, 25))

    def smtp_down(note):
        raise OSError("connection refused")

    monkeypatch.setattr(notify, "_send_email", smtp_down)
    scan(NOW)
    send(NOW)
    note = Notification.objects.get(user=mediator)  # the in-app notification is there regardless
    assert note.email_pending is True and mail.outbox == []
    monkeypatch.undo()
    assert notify.deliver_outbox() == {"email": 1, "email_failed": 0}
    assert len(mail.outbox) == 1
    assert notify.deliver_outbox()["email"] == 0


def test_sms_goes_through_the_configured_gateway_once(demo, mediator, settings):
    settings.SMS_GATEWAY = f"{__name__}.RecordingGateway"
    RecordingGateway.sent = []
    assert isinstance(notify.sms_gateway(), notify.SmsGateway)
    due_case(demo, D(2026, 11, 25))
    due_case(demo, D(2026, 11, 26))
    scan(NOW)
    send(NOW)
    send(NOW)
    assert RecordingGateway.sent == [("13800000000", Notification.objects.get(user=mediator).title)]


def test_no_sms_without_a_gateway(demo, mediator):
    due_case(demo, D(2026, 11, 25))
    scan(NOW)
    send(NOW)
    assert notify.sms_gateway() is None
    assert Notification.objects.get(user=mediator).sms_pending is False


def test_monday_digest_counts_the_weekend_as_newly_overdue(demo):
    due_case(demo, D(2026, 11, 20))  # overdue since last week: not new on Monday
    due_case(demo, D(2026, 11, 27))  # Friday
    due_case(demo, D(2026, 11, 28))  # Saturday
    assert supervisor_digest(MONDAY) == 3
    title = Notification.objects.get(user=demo["fengqiao_supervisor"]).title
    assert "新增超期 2 件" in title and "超期共 3 件" in title


def test_the_digest_is_written_once_a_day_however_often_beat_fires(demo):
    due_case(demo, D(2026, 11, 27))
    assert supervisor_digest(MONDAY) == 3
    assert supervisor_digest(MONDAY + datetime.timedelta(minutes=1)) == 0
    assert Notification.objects.filter(digest_of=D(2026, 11, 30)).count() == 3
    assert supervisor_digest(MONDAY + datetime.timedelta(days=1)) == 3  # Tuesday's is a new one


def test_the_portal_says_when_the_scan_is_late(client, demo):
    from supervision.models import ScanRun

    client.force_login(demo["zhuji_administrator"])
    scan()
    assert "期限扫描已延误" not in client.get("/").content.decode()
    ScanRun.objects.update(finished_at=timezone.now() - datetime.timedelta(minutes=11))  # beat: 5 min
    assert "期限扫描已延误" in client.get("/").content.decode()


def test_send_reminders_task_delivers_like_the_scan(demo, settings):
    from supervision.tasks import send_reminders

    settings.REMINDER_WORKDAYS_ONLY, settings.REMINDER_SEND_FROM = False, "00:00"
    settings.REMINDER_SEND_UNTIL = "23:59:59"
    due_case(demo, D(2026, 11, 25))
    scan(NOW)
    assert send_reminders() == 1
    assert send_reminders() == 0
