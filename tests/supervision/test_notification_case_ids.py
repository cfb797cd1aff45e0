"""Migration 0027 fills Notification.case_ids for notifications written before it: from the
reminders of a reminder digest, and from the lines of a supervisors' daily digest."""

import datetime
import importlib

import pytest
from django.apps import apps

from accounts.demo import VILLAGES
from cases.deadlines import open_deadline
from supervision.models import Notification, Reminder
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
fill = importlib.import_module("supervision.migrations.0002_notification_case_ids").fill


def test_old_notifications_get_the_cases_they_name(demo):
    user = demo["xianjin_supervisor"]
    first, second, unnamed = (
        CaseFactory(region_id=VILLAGES["xianjin"], number=f"诸暨〔2026〕调字第000{i}号") for i in (1, 2, 3)
    )
    deadline = open_deadline(
        first, "performance", datetime.date(2026, 11, 1), due_date=datetime.date(2026, 11, 20)
    )
    reminder = Reminder.objects.create(deadline=deadline, stage="overdue", due_date=deadline.due_date)
    reminded = Notification.objects.create(user=user, title="期限提醒：1 件", body="whatever")
    reminded.reminders.set([reminder])
    digest = Notification.objects.create(
        user=user, title="每日摘要", digest_of=datetime.date(2026, 11, 24),
        body=f"{second.number} 邻里纠纷 — 受理期限\n督办单（{first.number}）待回复",
    )  # fmt: skip
    Notification.objects.update(case_ids=[])
    fill(apps, None)
    reminded.refresh_from_db()
    digest.refresh_from_db()
    assert reminded.case_ids == [first.pk]
    assert digest.case_ids == sorted([first.pk, second.pk])
    assert unnamed.pk not in digest.case_ids
