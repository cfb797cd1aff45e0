"""Migration 0027 fills Notification.case_ids for notifications written before it: from the
reminders of a reminder digest, and from the lines of a supervisors' daily digest; migration 0005
moves a digest's reminder links into Notification.reminder_ids."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.demo import VILLAGES
from cases.deadlines import open_deadline
from supervision.models import Notification, Reminder
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
fill = importlib.import_module("supervision.migrations.0002_notification_case_ids").fill


def _migrate(target):
    """Migrate supervision to ``target`` inside the test's transaction; returns the models as they
    were there. Deferred foreign-key checks run first: PostgreSQL alters no table with pending ones."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


BEFORE_IDS = ("supervision", "0004_notification_held_until")
AFTER_IDS = ("supervision", "0005_notification_reminder_ids")


def test_old_notifications_get_the_cases_they_name(demo):
    user = demo["xianjin_supervisor"]
    first, second, unnamed = (
        CaseFactory(region_id=VILLAGES["xianjin"], number=f"诸暨〔2026〕调字第000{i}号") for i in (1, 2, 3)
    )
    deadline = open_deadline(
        first, "performance", datetime.date(2026, 11, 1), due_date=datetime.date(2026, 11, 20)
    )
    reminder = Reminder.objects.create(deadline=deadline, stage="overdue", due_date=deadline.due_date)
    # Notifications as they were before migration 0005: a reminder digest's reminders in link rows.
    old = _migrate(BEFORE_IDS)
    Note = old.get_model("supervision", "Notification")
    reminded = Note.objects.create(user_id=user.pk, title="期限提醒：1 件", body="whatever")
    reminded.reminders.set([reminder.pk])
    digest = Note.objects.create(
        user_id=user.pk, title="每日摘要", digest_of=datetime.date(2026, 11, 24),
        body=f"{second.number} 邻里纠纷 — 受理期限\n督办单（{first.number}）待回复",
    )  # fmt: skip
    Note.objects.update(case_ids=[])
    fill(old, None)
    reminded.refresh_from_db()
    digest.refresh_from_db()
    assert reminded.case_ids == [first.pk]
    assert digest.case_ids == sorted([first.pk, second.pk])
    assert unnamed.pk not in digest.case_ids

    # Migration 0005 moves the links into reminder_ids, and back on reverse.
    _migrate(AFTER_IDS)
    assert Notification.objects.get(pk=reminded.pk).reminder_ids == [reminder.pk]
    assert Notification.objects.get(pk=digest.pk).reminder_ids == []
    old = _migrate(BEFORE_IDS)
    links = old.get_model("supervision", "Notification").reminders.through.objects
    assert list(links.values_list("notification_id", "reminder_id")) == [(reminded.pk, reminder.pk)]
    _migrate(AFTER_IDS)
