"""Beat reminders of 包案 time limits and key-person reviews (analysis.duty_reminders): each stage
once per date, to the leader and staff (and, once passed, the unit's supervisors), only to those
who may see what they are told; the beat task and the command run the same."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from analysis import duty_reminders
from analysis.duties import assign, review
from analysis.duty_models import DutyReminder, Responsibility
from supervision.models import Notification
from tests.analysis.test_key_persons import listed
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def reminded():
    return Notification.objects.filter(kind="reminder", action="baoan")


def baoan(demo, due_in):
    case = new_dispute(demo["fengqiao_mediator"], village="xianjin")
    county, leader, staff = demo["zhuji_supervisor"], demo["fengqiao_supervisor"], demo["fengqiao_mediator"]
    r = assign(county, case_pk=case.pk, leader=leader, unit=leader.unit, staff=[staff], due_on=days(30),
               duty="限期化解")  # fmt: skip
    Responsibility.objects.filter(pk=r.pk).update(due_on=days(due_in))
    return r, leader, staff


def test_a_time_limit_approaching_tells_the_leader_and_staff_once(demo):
    r, leader, staff = baoan(demo, 2)
    assert duty_reminders.remind(force_outbox=True) == 2
    notes = reminded()
    assert set(notes.values_list("user_id", flat=True)) == {leader.pk, staff.pk}
    note = notes.get(user=leader)
    assert note.link == reverse("analysis:baoan", args=[r.pk]) and note.case_ids == [r.case_id]
    assert "时限" in note.body or "time limit" in note.body
    assert DutyReminder.objects.get().stage == "due"
    # E-mail through supervision's outbox, for the users with an address.
    assert {m.to[0] for m in mail.outbox} <= set(User.objects.values_list("email", flat=True))
    assert duty_reminders.remind() == 0  # the same stage and date: nothing again


def test_a_time_limit_passed_also_tells_the_unit_s_supervisors(demo):
    r, leader, staff = baoan(demo, 2)
    duty_reminders.remind()
    Responsibility.objects.filter(pk=r.pk).update(due_on=days(-1))
    extra = User.objects.create_user("fengqiao_supervisor2", password="x", unit=leader.unit)
    extra.groups.add(*leader.groups.filter(name="supervisor"))
    before = reminded().order_by("-pk").values_list("pk", flat=True).first()
    assert duty_reminders.remind() == 3
    told = set(reminded().filter(pk__gt=before).values_list("user_id", flat=True))
    assert told == {leader.pk, staff.pk, extra.pk}
    assert sorted(DutyReminder.objects.values_list("stage", flat=True)) == ["due", "overdue"]
    assert duty_reminders.remind() == 0


def test_a_concluded_baoan_and_one_far_off_are_not_reminded(demo):
    baoan(demo, 10)
    r, _leader, _staff = baoan(demo, 1)
    Responsibility.objects.filter(pk=r.pk).update(status="closed")
    assert duty_reminders.remind() == 0 and not DutyReminder.objects.exists()


def test_a_staff_member_who_may_no_longer_see_the_case_is_not_told(demo):
    r, leader, staff = baoan(demo, 1)
    staff.unit = demo["jiyang_supervisor"].unit  # moved to another town
    staff.save()
    duty_reminders.remind()
    assert set(reminded().values_list("user_id", flat=True)) == {leader.pk}


def test_a_key_person_review_due_reminds_the_responsible_person_and_a_new_date_rearms(demo):
    kp, _case = listed(demo)  # review in 3 days, xianjin_supervisor responsible
    responsible = demo["xianjin_supervisor"]
    assert duty_reminders.remind() == 1
    note = reminded().get()
    assert note.user == responsible and note.link == reverse("analysis:key_person", args=[kp.pk])
    assert kp.name in note.body and note.case_ids == []
    assert duty_reminders.remind() == 0
    review(kp.pk, responsible, note="已走访", review_on=days(2))
    assert duty_reminders.remind() == 1  # the new date is reminded in its turn


def test_the_command_and_the_beat_task_run_the_same(demo, capsys):
    from analysis.tasks import remind_duties

    baoan(demo, 1)
    call_command("remind_duties")
    assert "2 notifications written" in capsys.readouterr().out
    assert remind_duties() == 0
    baoan(demo, 0)
    assert remind_duties() == 2


def test_the_beat_schedule_runs_the_task():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["remind-duties"]["task"] == "analysis.tasks.remind_duties"
