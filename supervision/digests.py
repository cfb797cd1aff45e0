"""One reminder digest per recipient per delivery run, however many batches the run works through.

A run (supervision.reminders.send) claims pending reminders batch by batch, each batch in its own
transaction. ``DigestRun`` keeps, for the whole run, each recipient's notification and what it says:
the first batch that names a recipient creates their notification, later batches append their lines,
cases and reminder links to the same row — all in the batch's transaction, the one that marks its
reminders sent, so a reminder is sent exactly when a committed notification names it. A killed run
leaves its committed batches delivered and the rest pending for the next run (whose digest is a new
one: one per recipient per run). Each batch costs the same few statements whatever its number of
recipients or of reminders per recipient: one INSERT of the new notifications, one UPDATE of those
appended to, one INSERT of the reminder links.

While the run goes on, its notifications are held from the e-mail/SMS outbox (``held_until``), so a
concurrent outbox never mails half a digest; ``release`` lifts the hold at the end of the run. A run
killed before that is released by time: its outbox then sends what was committed.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from supervision import notify
from supervision.models import Notification, Reminder

# Statements of ids: each UPDATE or DELETE lists at most this many.
IDS_PER_STATEMENT = 5000


def hold() -> datetime.timedelta:
    """How long a killed run's digests wait before the outbox sends them anyway; a live run renews it."""
    return datetime.timedelta(seconds=getattr(settings, "REMINDER_DIGEST_HOLD_SECONDS", 900))


def line(reminder: Reminder) -> str:
    deadline, case = reminder.deadline, reminder.deadline.case
    due = formats.date_format(deadline.due_date, "DATE_FORMAT")
    return f"{case.number} {case.summary} — {reminder.get_stage_display()} — {deadline.rule.label} {due}"


@dataclass
class Digest:
    user: User
    note: Notification | None = None
    lines: list[str] = field(default_factory=list)
    case_ids: set[int] = field(default_factory=set)

    def title(self) -> str:
        return _("Deadline reminders: %(count)d case(s)") % {"count": len(self.case_ids)}


class DigestRun:
    """The digests of one delivery run, keyed by recipient."""

    def __init__(self):
        self.digests: dict[int, Digest] = {}
        self.renewed = timezone.now()

    def add(self, to: dict[int, list[User]], reminders: list[Reminder]) -> None:
        """Write this batch's reminders into their recipients' digests; call inside the batch's
        transaction. ``to``: reminder id -> the users it is addressed to (supervision.addressing)."""
        touched: dict[int, list[Reminder]] = {}
        for reminder in reminders:
            for user in to.get(reminder.pk, ()):
                digest = self.digests.setdefault(user.pk, Digest(user))
                digest.lines.append(line(reminder))
                digest.case_ids.add(reminder.deadline.case_id)
                touched.setdefault(user.pk, []).append(reminder)
        if not touched:
            return
        held = timezone.now() + hold()
        new = [self.digests[pk] for pk in touched if self.digests[pk].note is None]
        old = [self.digests[pk] for pk in touched if self.digests[pk].note is not None]
        created = Notification.objects.bulk_create(
            [notify.queue_outside(self._note(d, Notification(user=d.user), held)) for d in new]
        )
        for digest, note in zip(new, created, strict=True):
            digest.note = note
        if old:
            Notification.objects.bulk_update(
                # Unread again: what was read mid-run did not say what this batch adds.
                [self._note(d, d.note, held) for d in old],
                ["title", "body", "case_ids", "held_until", "read_at"],
            )
        links = Notification.reminders.through
        links.objects.bulk_create(
            [
                links(notification_id=self.digests[pk].note.pk, reminder_id=r.pk)
                for pk, items in touched.items()
                for r in items
            ]
        )
        if timezone.now() - self.renewed > hold() / 2:
            self._set_hold(held)  # a long run: its earlier digests must not go out half written

    @staticmethod
    def _note(digest: Digest, note: Notification, held: datetime.datetime) -> Notification:
        note.title, note.body = digest.title(), "\n".join(digest.lines)
        note.case_ids, note.held_until, note.read_at = sorted(digest.case_ids), held, None
        return note

    def _set_hold(self, until: datetime.datetime | None) -> None:
        ids = [d.note.pk for d in self.digests.values() if d.note is not None]
        for i in range(0, len(ids), IDS_PER_STATEMENT):
            Notification.objects.filter(pk__in=ids[i : i + IDS_PER_STATEMENT]).update(held_until=until)
        self.renewed = timezone.now()

    def release(self) -> None:
        """The run is over: its digests are whole, the outbox may send them."""
        self._set_hold(None)

    @property
    def written(self) -> int:
        return sum(1 for d in self.digests.values() if d.note is not None)
