"""A reminder always names a deadline that exists (supervision migration 0011): the triggers that took
the per-row foreign key's place refuse what the key refused, and a deadline deleted while reminders
for it are being written is caught by whichever of the two transactions commits second."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import Deadline
from supervision.models import Reminder
from tests.services import wait_for, waiting_on_advisory_lock
from tests.supervision.test_reminders import case_due

pytestmark = pytest.mark.requires_postgres
D = datetime.date
DEADLINE_NAMED = 0x4A494547  # supervision migration 0011


def remind(deadline_id, stage="due_tomorrow"):
    return Reminder.objects.create(deadline_id=deadline_id, stage=stage, due_date=D(2026, 11, 25))


def missing_deadline_id() -> int:
    return (Deadline.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.django_db
def test_a_reminder_naming_no_deadline_is_refused_with_its_whole_statement(demo):
    d = case_due(demo, D(2026, 11, 25))
    with pytest.raises(IntegrityError, match="names a deadline that does not exist"), transaction.atomic():
        remind(missing_deadline_id())
    rows = [
        Reminder(deadline_id=d.pk, stage="due_tomorrow", due_date=d.due_date),
        Reminder(deadline_id=missing_deadline_id(), stage="due_tomorrow", due_date=d.due_date),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.bulk_create(rows)
    assert not Reminder.objects.exists()
    remind(d.pk)  # a deadline that exists is named as before
    assert Reminder.objects.get().deadline == d


@pytest.mark.django_db
def test_a_reminder_keeps_its_deadline(demo):
    first, second = case_due(demo, D(2026, 11, 25)), case_due(demo, D(2026, 11, 26))
    reminder = remind(first.pk)
    with pytest.raises(IntegrityError, match="does not change"), transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(deadline=second)
    Reminder.objects.filter(pk=reminder.pk).update(state="sent")  # its other columns change as before
    reminder.refresh_from_db()
    assert (reminder.deadline_id, reminder.state) == (first.pk, "sent")


@pytest.mark.django_db
def test_a_named_deadline_is_not_deleted_or_renumbered_but_the_orm_cascades(demo):
    d = case_due(demo, D(2026, 11, 25))
    remind(d.pk)
    with pytest.raises(IntegrityError, match="still names"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM cases_deadline WHERE id = %s", [d.pk])
    with (
        pytest.raises(IntegrityError, match="id does not change"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE cases_deadline SET id = id + 100000 WHERE id = %s", [d.pk])
    assert Reminder.objects.filter(deadline_id=d.pk).count() == 1
    Deadline.objects.filter(pk=d.pk).delete()  # Django deletes the reminders first
    assert not Deadline.objects.filter(pk=d.pk).exists() and not Reminder.objects.exists()


def _in_thread(work, results):
    def run():
        try:
            results["value"] = work()
        except IntegrityError as error:
            results["error"] = str(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _a_due_deadline():
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    return case_due({u.username: u for u in User.objects.all()}, D(2026, 11, 25))


@pytest.mark.django_db(transaction=True)
def test_a_deadline_deleted_while_its_reminder_is_written_waits_and_is_refused():
    d = _a_due_deadline()
    results = {}
    with transaction.atomic():
        remind(d.pk)  # written and checked, not committed: the deleter cannot see it yet
        thread = _in_thread(lambda: Deadline.objects.filter(pk=d.pk).delete(), results)
        assert wait_for(lambda: waiting_on_advisory_lock(DEADLINE_NAMED), seconds=30)
    thread.join(30)
    assert not thread.is_alive()
    assert "still names" in results.get("error", ""), results
    assert Deadline.objects.filter(pk=d.pk).exists() and Reminder.objects.filter(deadline_id=d.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_reminder_written_while_its_deadline_is_deleted_waits_and_is_refused():
    d = _a_due_deadline()
    results = {}
    with transaction.atomic():
        Deadline.objects.filter(pk=d.pk).delete()  # deleted and checked, not committed
        thread = _in_thread(lambda: remind(d.pk), results)
        assert wait_for(lambda: waiting_on_advisory_lock(DEADLINE_NAMED), seconds=30)
    thread.join(30)
    assert not thread.is_alive()
    assert "does not exist" in results.get("error", ""), results
    assert not Deadline.objects.filter(pk=d.pk).exists() and not Reminder.objects.exists()
