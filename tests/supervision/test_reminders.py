"""Reminder scanning and delivery with exact counts."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.demo import VILLAGES
from cases.deadlines import close_deadline, extend_deadline, open_deadline
from supervision.models import Notification, Reminder, ScanRun, SupervisionOrder, named_reminder_ids
from supervision.reminders import may_send_now, scan, send, stage_limits
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
# Tuesday 2026-11-24, 10:00 in Shanghai: a working day, within working hours.
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))


def case_due(demo, due: datetime.date, handler="xianjin_mediator"):
    user = demo[handler]
    case = CaseFactory(region_id=VILLAGES["xianjin"], handler=user, handling_unit=user.unit)
    return open_deadline(case, "performance", due - datetime.timedelta(days=1), due_date=due)


def stages():
    return sorted(Reminder.objects.values_list("deadline_id", "stage"))


def test_stage_limits_use_working_days():
    limits = stage_limits(D(2026, 9, 28))
    assert limits["due_3"] == D(2026, 10, 8)  # 09-29, 09-30, 10-08 across National Day
    assert limits["due_tomorrow"] == D(2026, 9, 29) and limits["overdue"] == D(2026, 9, 27)


def test_each_deadline_gets_its_most_severe_stage_once(demo):
    far = case_due(demo, D(2026, 12, 31))
    in3 = case_due(demo, D(2026, 11, 27))
    tomorrow = case_due(demo, D(2026, 11, 25))
    today = case_due(demo, D(2026, 11, 24))
    late = case_due(demo, D(2026, 11, 23))
    very_late = case_due(demo, D(2026, 11, 10))
    scan(NOW)
    assert stages() == sorted([
        (in3.pk, "due_3"), (tomorrow.pk, "due_tomorrow"), (today.pk, "due_today"), (late.pk, "overdue"),
        (very_late.pk, "overdue"), (very_late.pk, "escalated"),
    ])  # fmt: skip
    assert far.pk not in {d for d, _ in stages()}
    scan(NOW)  # the same scan again changes nothing
    assert Reminder.objects.count() == 6
    assert ScanRun.objects.count() == 2


def test_a_skipped_day_is_caught_up_by_range_not_lost(demo):
    d = case_due(demo, D(2026, 11, 25))
    # Nobody scanned on 11-24; on 11-26 the deadline is overdue and the scan says so.
    scan(timezone.make_aware(datetime.datetime(2026, 11, 26, 9, 0)))
    assert stages() == [(d.pk, "overdue")]


def test_later_stages_follow_as_time_passes(demo):
    case_due(demo, D(2026, 11, 27))
    for day in (24, 26, 27, 28):
        scan(timezone.make_aware(datetime.datetime(2026, 11, day, 9, 0)))
    assert [s for _, s in stages()] == sorted(["due_3", "due_tomorrow", "due_today", "overdue"])


def test_delivery_is_one_digest_per_recipient_and_exactly_once(demo):
    for due in (D(2026, 11, 25), D(2026, 11, 24), D(2026, 11, 23)):
        case_due(demo, due)
    scan(NOW)
    assert send(NOW) == 3
    mediator = demo["xianjin_mediator"]
    assert Notification.objects.filter(user=mediator).count() == 1
    note = Notification.objects.get(user=mediator)
    assert len(note.reminder_ids) == 3 and "3" in note.title
    # The overdue one also reaches the village centre's supervisor.
    assert Notification.objects.filter(user=demo["xianjin_supervisor"]).count() == 1
    assert send(NOW) == 0 and Notification.objects.count() == 2
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}


def test_no_email_at_night_or_on_holidays_but_the_in_app_notice_never_waits(demo):
    user = demo["xianjin_mediator"]
    user.email = "mediator@example.org"
    user.save()
    case_due(demo, D(2026, 11, 24))
    scan(NOW)
    night = timezone.make_aware(datetime.datetime(2026, 11, 24, 22, 0))
    national_day = timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 0))
    assert not may_send_now(night) and not may_send_now(national_day) and may_send_now(NOW)
    assert send(night) == 1 and Notification.objects.get(user=user).email_pending is True
    assert mail.outbox == []
    assert send(NOW) == 0 and [m.to for m in mail.outbox] == [["mediator@example.org"]]


def test_escalation_creates_one_supervision_order_to_the_town(demo):
    d = case_due(demo, D(2026, 11, 10))
    scan(NOW)
    send(NOW)
    order = SupervisionOrder.objects.get()
    assert order.issuing_unit == demo["fengqiao_supervisor"].unit
    assert order.target_unit == demo["xianjin_mediator"].unit and order.case_id == d.case_id
    assert Notification.objects.filter(user=demo["fengqiao_supervisor"]).exists()
    scan(NOW)
    send(NOW)
    assert SupervisionOrder.objects.count() == 1


def test_a_moved_deadline_drops_its_pending_reminders(demo):
    d = case_due(demo, D(2026, 11, 25))
    scan(NOW)
    assert Reminder.objects.filter(state="pending").count() == 1
    d.rule.unit = "calendar"
    extend_deadline(d, 30)
    assert Reminder.objects.count() == 0
    close_deadline(d)
    scan(NOW)
    assert Reminder.objects.count() == 0


def test_email_goes_to_recipients_with_an_address(demo):
    user = demo["xianjin_mediator"]
    user.email = "mediator@example.org"
    user.save()
    case_due(demo, D(2026, 11, 24))
    scan(NOW)
    send(NOW)
    assert [m.to for m in mail.outbox] == [["mediator@example.org"]]


def test_notification_centre(client, demo):
    case_due(demo, D(2026, 11, 24))
    scan(NOW)
    send(NOW)
    client.force_login(demo["xianjin_mediator"])
    home = client.get("/").content.decode()
    assert 'aria-label="未读"' in home
    page = client.get(reverse("supervision:notifications")).content.decode()
    assert "期限提醒" in page
    note = Notification.objects.get(user=demo["xianjin_mediator"])
    other = Notification.objects.create(user=demo["yangchun_mediator"], title="x", body="y")
    client.post(reverse("supervision:mark_read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None  # someone else's notification is untouched
    client.post(reverse("supervision:mark_read"), {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_scanners_and_two_senders_at_once_deliver_each_reminder_once():
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    demo = {u.username: u for u in User.objects.all()}
    for i in range(60):
        case_due(demo, D(2026, 11, 20) + datetime.timedelta(days=i % 10))
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            scan(NOW)
            send(NOW, batch=7)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Due 11-20..11-29, six a day, scanned on 11-24: 48 are within 3 working days or past, and the
    # 12 due on 11-20/21 are also escalated; 11-28/29 are not due for a reminder yet.
    expected = Reminder.objects.count()
    assert expected == 60 and Reminder.objects.filter(stage="escalated").count() == 12
    assert Reminder.objects.filter(state="sent").count() == expected
    linked = named_reminder_ids(Notification.objects.filter(user__username="xianjin_mediator"))
    assert len(linked) == Reminder.objects.exclude(stage="escalated").count()
    assert len(set(linked)) == len(linked)


def test_calendar_edit_recomputes_open_deadlines_and_says_so(demo, django_capture_on_commit_callbacks):
    from cases.models import CalendarDay, Case, Deadline
    from cases.recompute import recompute_open_deadlines

    case = CaseFactory(region_id=VILLAGES["xianjin"])
    d = open_deadline(case, "petition_objection", D(2026, 9, 28))  # 5 working days → 10-10
    met = open_deadline(case, "petition_objection", D(2026, 9, 28))
    close_deadline(met, timezone.make_aware(datetime.datetime(2026, 10, 9, 12)))
    with django_capture_on_commit_callbacks() as callbacks:
        CalendarDay.objects.update_or_create(
            date=D(2026, 10, 10), defaults={"is_workday": False, "name": "测试"}
        )
    assert len(callbacks) == 1  # the background job is queued after commit
    assert recompute_open_deadlines(2026) == 1
    d.refresh_from_db()
    assert d.due_date == D(2026, 10, 12)
    assert Deadline.objects.get(pk=met.pk).met_on_time is True  # closed deadlines keep their frozen flag
    entry = Case.objects.get(pk=case.pk).timeline.get(action="deadline_recomputed")
    assert "2026年10月10日" in entry.description and "2026年10月12日" in entry.description


def test_supervisor_daily_digest_on_working_days_only(demo):
    from supervision.reminders import supervisor_digest

    case_due(demo, D(2026, 11, 20))
    assert supervisor_digest(timezone.make_aware(datetime.datetime(2026, 11, 28, 8, 30))) == 0  # Saturday
    written = supervisor_digest(NOW)
    # The village, town and county supervisors all see the overdue case in their jurisdiction.
    names = set(Notification.objects.values_list("user__username", flat=True))
    assert names == {"xianjin_supervisor", "fengqiao_supervisor", "zhuji_supervisor"} and written == 3
    assert "超期共 1 件" in Notification.objects.get(user=demo["zhuji_supervisor"]).title
