"""One reminder digest per recipient per delivery run, whatever the number of batches (issue 16), in
a fixed number of statements per batch, exactly once, and held from the outbox until whole."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.deadlines import open_deadline
from cases.models import Case
from supervision import notify, reminders
from supervision.models import (
    DigestChunk,
    DigestPart,
    Notification,
    Reminder,
    SupervisionOrder,
    named_reminder_ids,
)
from supervision.reminders import scan, send
from tests.supervision.test_reminders import NOW, case_due

pytestmark = pytest.mark.django_db
D = datetime.date


def due_cases(demo, n):
    """``n`` cases of the village mediator: a third due tomorrow, a third overdue (the village
    supervisor too), a third overdue long enough to be escalated (the town supervisor, an order)."""
    days = (D(2026, 11, 25), D(2026, 11, 23), D(2026, 11, 10))
    return [case_due(demo, days[i % 3]) for i in range(n)]


def notes_of(username):
    return Notification.objects.filter(user__username=username, kind="reminder")


def test_one_notification_per_recipient_per_run_across_batches(demo):
    due_cases(demo, 12)
    scan(NOW)
    pending = Reminder.objects.filter(state="pending").count()
    assert pending == 16  # 12 on the handler's track, 4 escalated
    assert send(NOW, batch=3) == pending  # six batches
    for username, cases in (("xianjin_mediator", 12), ("xianjin_supervisor", 8), ("fengqiao_supervisor", 4)):
        note = notes_of(username).get()
        assert len(note.case_ids) == cases and f"{cases}" in note.title
        assert len(note.body.splitlines()) == len(note.reminder_ids)
        assert note.held_until is None  # released at the end of the run
    mediator = notes_of("xianjin_mediator").get()
    assert len(mediator.reminder_ids) == 12
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}
    assert SupervisionOrder.objects.count() == 4
    # The next run has nothing to say: no notification, no order more.
    assert send(NOW, batch=3) == 0
    assert Notification.objects.filter(kind="reminder").count() == 3 and SupervisionOrder.objects.count() == 4


def test_a_later_run_is_a_new_digest(demo):
    case_due(demo, D(2026, 11, 25))
    scan(NOW)
    send(NOW)
    case_due(demo, D(2026, 11, 26))
    scan(NOW)
    send(NOW)
    assert notes_of("xianjin_mediator").count() == 2


def _queries_of_a_run(demo, n) -> int:
    # Due tomorrow, overdue and escalated: the automatic orders and their hand-off notices are
    # written for the whole batch (cases.handoffs.hand_off_many), not per escalation.
    for i in range(n):
        case_due(demo, (D(2026, 11, 25), D(2026, 11, 23), D(2026, 11, 10))[i % 3])
    scan(NOW)
    with CaptureQueriesContext(connection) as ctx:
        send(NOW, batch=1000)
    return len(ctx.captured_queries)


def test_the_queries_of_a_run_do_not_grow_with_the_reminders_per_recipient(demo):
    _queries_of_a_run(demo, 3)  # warm-up: the calendar, role groups and the like are read once
    few = _queries_of_a_run(demo, 9)
    many = _queries_of_a_run(demo, 201)
    assert few == many, (few, many)
    # Three runs, three digests each for the mediator and the village supervisor (the warm-up too).
    assert notes_of("xianjin_mediator").count() == 3 and notes_of("xianjin_supervisor").count() == 3
    assert len(notes_of("xianjin_mediator").first().case_ids) == 201
    assert SupervisionOrder.objects.count() == 1 + 3 + 67  # one per escalated deadline
    assert Notification.objects.filter(kind="handoff", action="supervise").count() > 0


def test_a_run_that_dies_midway_loses_and_duplicates_nothing(demo, monkeypatch):
    due_cases(demo, 6)
    scan(NOW)
    real, calls = reminders.addressed, []

    def dies_on_the_second_batch(live, shared):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(live, shared)

    monkeypatch.setattr(reminders, "addressed", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        send(NOW, batch=4)
    assert Reminder.objects.filter(state="sent").count() == 4  # the first batch, committed
    first = notes_of("xianjin_mediator").get()
    assert len(first.reminder_ids) == first.named_reminders().filter(state="sent").count() > 0
    monkeypatch.undo()
    send(NOW, batch=4)
    assert not Reminder.objects.filter(state="pending").exists()
    links = named_reminder_ids(Notification.objects.filter(user__username="xianjin_mediator"))
    assert len(links) == len(set(links)) == 6
    assert notes_of("xianjin_mediator").count() == 2


def test_the_outbox_waits_for_a_digest_still_being_written(demo):
    user = demo["xianjin_mediator"]
    user.email = "mediator@example.org"
    user.save()
    case_due(demo, D(2026, 11, 25))
    scan(NOW)
    send(NOW)
    note = notes_of("xianjin_mediator").get()
    # As a run killed before its end leaves it: held, e-mail pending.
    Notification.objects.filter(pk=note.pk).update(
        held_until=timezone.now() + datetime.timedelta(minutes=10), email_pending=True, emailed_at=None
    )
    mail.outbox.clear()
    assert notify.deliver_outbox()["email"] == 0 and mail.outbox == []
    Notification.objects.filter(pk=note.pk).update(held_until=timezone.now() - datetime.timedelta(seconds=1))
    assert notify.deliver_outbox()["email"] == 1 and len(mail.outbox) == 1


def test_later_batches_are_parts_folded_in_once_when_the_run_ends(demo):
    due_cases(demo, 12)
    scan(NOW)
    send(NOW, batch=3)
    assert not DigestPart.objects.exists()  # folded when the run ended
    note = notes_of("xianjin_mediator").get()
    # The lines, the reminder ids and the cases in order, each once, whatever batch wrote them.
    assert len(note.body.splitlines()) == len(note.reminder_ids) == len(set(note.reminder_ids)) == 12
    # Each case once, and the cases the lines name (each part appends only cases its digest did not
    # name before: supervision.parts.FOLD), batch after batch.
    heads = {f"{c.number} {c.summary}".strip(): c.pk for c in Case.objects.filter(pk__in=note.case_ids)}
    named = {heads[line.split(" — ")[0].strip()] for line in note.body.splitlines()}
    assert len(note.case_ids) == len(set(note.case_ids)) == 12 and set(note.case_ids) == named
    assert "12" in note.title and note.read_at is None


def test_a_killed_run_s_parts_count_as_delivered_and_are_folded_by_the_outbox(
    demo, monkeypatch, django_assert_num_queries
):
    user = demo["xianjin_mediator"]
    user.email = "mediator@example.org"
    user.save()
    for _i in range(9):
        case_due(demo, D(2026, 11, 25))  # due tomorrow: the mediator's alone
    scan(NOW)
    real, calls = reminders.addressed, []

    def dies_on_the_third_batch(live, shared):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real(live, shared)

    monkeypatch.setattr(reminders, "addressed", dies_on_the_third_batch)
    monkeypatch.setattr(reminders.DigestRun, "release", lambda run: None)  # killed: no end of run
    with pytest.raises(RuntimeError):
        send(NOW, batch=3)
    monkeypatch.undo()
    sent = set(Reminder.objects.filter(state="sent").values_list("pk", flat=True))
    note = notes_of("xianjin_mediator").get()
    assert DigestPart.objects.filter(notification=note).exists()  # the second batch's
    # Every reminder marked sent is named, once: by the notification or by a part of it.
    # Read in one statement (one snapshot): a fold committed between two reads would hide its ids.
    with django_assert_num_queries(1):
        named = named_reminder_ids(Notification.objects.filter(user=user))
    assert sorted(named) == sorted(sent) and len(sent) == 6
    assert set(note.named_reminders().values_list("pk", flat=True)) == sent
    # Held: the outbox neither sends nor folds it; once the hold has passed it folds, then sends.
    assert notify.deliver_outbox()["email"] == 0 and DigestPart.objects.exists()
    Notification.objects.filter(pk=note.pk).update(held_until=timezone.now() - datetime.timedelta(seconds=1))
    mail.outbox.clear()
    assert notify.deliver_outbox()["email"] == 1 and not DigestPart.objects.exists()
    note.refresh_from_db()
    assert len(note.body.splitlines()) == len(note.reminder_ids) == 6 and len(note.case_ids) == 6
    assert mail.outbox[0].body == note.body and "6" in note.title
    # The next run delivers the rest in a digest of its own; nothing twice.
    send(NOW, batch=3)
    links = named_reminder_ids(Notification.objects.filter(user=user))
    assert len(links) == len(set(links)) == 9 and notes_of("xianjin_mediator").count() == 2


def test_s39_an_automatic_order_tells_the_handler_or_without_one_the_unit(demo):
    from accounts.models import User
    from cases.models import Case

    User.objects.create(username="xianjin_colleague", unit=demo["xianjin_mediator"].unit)
    handled = case_due(demo, D(2026, 11, 10))
    unhandled = case_due(demo, D(2026, 11, 10))
    Case.objects.filter(pk=unhandled.case_id).update(handler=None)
    scan(NOW)
    send(NOW)
    told = lambda d: set(  # noqa: E731
        Notification.objects.filter(kind="handoff", action="supervise", case_id=d.case_id).values_list(
            "user__username", flat=True
        )
    )
    assert told(handled) == {"xianjin_mediator"}
    unit = demo["xianjin_mediator"].unit
    members = set(unit.members.filter(is_active=True).values_list("username", flat=True))
    assert told(unhandled) == members and "xianjin_colleague" in members
    # Every member still finds the order to answer in the inbox, notice or not.
    assert SupervisionOrder.objects.filter(target_unit=unit).count() == 2


def test_a_case_named_again_in_a_later_batch_is_listed_once(demo):
    """Two deadlines of one case, reminded in two batches: the second batch's chunk names a case the
    digest names already, so its part carries the cases new to that digest (none): each case once."""
    first = case_due(demo, D(2026, 11, 25))
    open_deadline(first.case, "performance", D(2026, 11, 24), due_date=D(2026, 11, 25))
    other = case_due(demo, D(2026, 11, 25))
    scan(NOW)
    assert send(NOW, batch=1) == 3
    note = notes_of("xianjin_mediator").get()
    assert len(note.body.splitlines()) == len(note.reminder_ids) == 3
    assert sorted(note.case_ids) == sorted([first.case_id, other.case_id]) and "2" in note.title
    assert not DigestPart.objects.exists() and not DigestChunk.objects.exists()
