"""One reminder digest per recipient per delivery run, however many batches the run works through.

A run (supervision.reminders.send) claims pending reminders batch by batch, each batch in its own
transaction. ``DigestRun`` keeps, for the whole run, each recipient's notification and what it says:
the first batch that names a recipient creates their notification; each later batch writes what it
adds (lines, cases not named before, reminder ids) as parts of its own (supervision.parts:
DigestChunk, one a list of recipients, and DigestPart, one a digest) — all in the batch's
transaction, the one that marks its reminders sent, so a reminder is sent exactly when a committed
notification or part of one names it. When the run ends its parts are
folded into the notifications, each read and written once (rewriting each digest's growing text
every batch was quadratic in the run). A killed run leaves its committed batches delivered and the
rest pending for the next run (whose digest is a new one: one per recipient per run); its parts are
folded by the next run or the outbox. Each batch costs the same few statements whatever its number
of recipients or of reminders per recipient: one INSERT of the new notifications, one of the parts.

While the run goes on, its notifications are held from the e-mail/SMS outbox (``held_until``), so a
concurrent outbox never mails half a digest; ``release`` folds the parts and lifts the hold at the
end of the run. A run killed before that is released by time: its outbox then folds and sends what
was committed. Other databases than PostgreSQL append to the notification itself (``_append``).
"""

import datetime
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from supervision import notify
from supervision.models import Notification, Reminder
from supervision.parts import add_parts, fold

# Statements of ids: each UPDATE lists at most this many ids, or appends to this many rows.
IDS_PER_STATEMENT = 5000
ROWS_PER_STATEMENT = 1000


def hold() -> datetime.timedelta:
    """How long a killed run's digests wait before the outbox sends them anyway; a live run renews it."""
    return datetime.timedelta(seconds=getattr(settings, "REMINDER_DIGEST_HOLD_SECONDS", 900))


def line(reminder: Reminder, memo: dict | None = None) -> str:
    """One reminder's line; ``memo`` keeps the parts many lines share (stage names, rule and date),
    which translation and date formatting would otherwise compute again on every line."""
    deadline, case = reminder.deadline, reminder.deadline.case
    memo = {} if memo is None else memo
    stage = memo.get(reminder.stage) or memo.setdefault(reminder.stage, reminder.get_stage_display())
    key = (deadline.rule_id, deadline.due_date)
    if key not in memo:
        memo[key] = f"{deadline.rule.label} {formats.date_format(deadline.due_date, 'DATE_FORMAT')}"
    return f"{case.number} {case.summary} — {stage} — {memo[key]}"


@dataclass
class Digest:
    """What the run has told one recipient so far: their notification and the cases it names (its
    text is in the row; each batch appends to it there)."""

    user: User
    pk: int | None = None
    case_ids: set[int] = field(default_factory=set)
    reminder_ids: list[int] = field(default_factory=list)  # the whole run's, for other databases

    def title(self) -> str:
        return _("Deadline reminders: %(count)d case(s)") % {"count": len(self.case_ids)}


class DigestRun:
    """The digests of one delivery run, keyed by recipient."""

    def __init__(self):
        self.digests: dict[int, Digest] = {}
        self.renewed = timezone.now()
        self.memo: dict = {}

    def add(self, to: dict[int, list[User]], reminders: list[Reminder]) -> None:
        """Write this batch's reminders into their recipients' digests; call inside the batch's
        transaction. ``to``: reminder id -> the users it is addressed to (supervision.addressing)."""
        digests = self.digests
        # Reminders addressed to the same list of users (supervision.addressing hands the members of
        # a unit as one list, and the same list to the whole run: supervision.batch.Shared) are
        # written for all of them at once: one chunk of lines for the digests that exist already,
        # the lines joined into each new digest. The (reminder, recipient) pairs, ~7 a reminder at
        # the bench's volume, are never a step in Python. A digest thus lists a batch's reminders by
        # whom they were addressed to, each group in the order of the reminders.
        groups: dict[int, tuple[list[User], list[str], list[int], list[int]]] = {}
        for reminder in reminders:
            users = to.get(reminder.pk)
            if not users:
                continue
            group = groups.get(id(users))
            if group is None:
                group = groups[id(users)] = (users, [], [], [])
            group[1].append(line(reminder, self.memo))
            group[2].append(reminder.pk)
            group[3].append(reminder.deadline.case_id)
        if not groups:
            return
        new: dict[int, Digest] = {}  # user id -> a digest this batch creates
        fresh: dict[int, list[int]] = {}  # user id -> the groups that make their new digest
        chunks: list[tuple[str, list[int], list[int]]] = []  # (lines, cases, reminder ids)
        parts: list[tuple[int, int, list[int] | None]] = []  # (digest, chunk from 1, own cases)
        listed = list(groups.values())
        for index, (users, texts, reminder_ids, case_ids) in enumerate(listed):
            cases_here = set(case_ids)
            chunk = 0
            for user in users:
                uid = user.id
                digest = digests.get(uid)
                if digest is None:
                    digest = digests[uid] = new[uid] = Digest(user)
                    fresh[uid] = []
                if uid in new:
                    fresh[uid].append(index)
                    digest.case_ids |= cases_here
                    digest.reminder_ids += reminder_ids
                    continue
                if not chunk:
                    chunks.append(("\n" + "\n".join(texts), sorted(cases_here), reminder_ids))
                    chunk = len(chunks)
                first = cases_here - digest.case_ids
                digest.case_ids |= first
                # Usually every case of the group is new to the digest (one reminder a case a run).
                parts.append((digest.pk, chunk, None if len(first) == len(cases_here) else sorted(first)))
        held = timezone.now() + hold()
        created = Notification.objects.bulk_create(
            [
                notify.queue_outside(
                    Notification(
                        user=d.user,
                        title=d.title(),
                        body="\n".join(line for i in fresh[uid] for line in listed[i][1]),
                        case_ids=sorted(d.case_ids),
                        reminder_ids=d.reminder_ids,
                        held_until=held,
                    )
                )  # fmt: skip
                for uid, d in new.items()
            ]
        )
        for digest, note in zip(new.values(), created, strict=True):
            digest.pk = note.pk
        if connection.vendor == "postgresql":
            add_parts(chunks, parts)
        else:
            named: dict[int, list[str]] = {}
            for pk, chunk, _own in parts:
                named.setdefault(pk, []).append(chunks[chunk - 1])
            by_pk = {d.pk: d for d in digests.values()}
            for pk, added in named.items():
                by_pk[pk].reminder_ids += [r for _text, _cases, ids in added for r in ids]
            _append(
                [
                    (
                        pk,
                        "".join(text for text, _cases, _ids in added),
                        by_pk[pk].title(),
                        sorted(by_pk[pk].case_ids),
                        by_pk[pk].reminder_ids,
                    )
                    for pk, added in named.items()
                ],  # fmt: skip
                held,
            )
        if timezone.now() - self.renewed > hold() / 2:
            self._set_hold(held)  # a long run: its earlier digests must not go out half written

    def _set_hold(self, until: datetime.datetime | None) -> None:
        ids = [d.pk for d in self.digests.values() if d.pk is not None]
        for i in range(0, len(ids), IDS_PER_STATEMENT):
            Notification.objects.filter(pk__in=ids[i : i + IDS_PER_STATEMENT]).update(held_until=until)
        self.renewed = timezone.now()

    def release(self) -> None:
        """The run is over: its parts are folded into its digests, which are whole, and the outbox
        may send them."""
        ids = [d.pk for d in self.digests.values() if d.pk is not None]
        if connection.vendor == "postgresql" and ids:
            fold(ids)
        self._set_hold(None)

    @property
    def written(self) -> int:
        return sum(1 for d in self.digests.values() if d.pk is not None)


def _append(rows: list[tuple[int, str, str, list[int], list[int]]], held: datetime.datetime) -> None:
    """Append text and reminder ids to notifications and set their title and cases: one statement
    per ROWS_PER_STATEMENT notifications, sending only what this batch adds (Django's bulk_update
    would send each whole text again, batch after batch, and build a CASE of every row for every
    field). Other databases than PostgreSQL get the run's whole list of reminder ids (no jsonb
    concatenation there). Read mid-run, the notification is unread again: what was read did not say
    what is added."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    postgres = connection.vendor == "postgresql"
    as_json = "::jsonb" if postgres else ""
    reminder_ids = f"{table}.reminder_ids || v.reminder_ids::jsonb" if postgres else "v.reminder_ids"
    held = connection.ops.adapt_datetimefield_value(held)
    for i in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[i : i + ROWS_PER_STATEMENT]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params = [
            part
            for pk, more, title, cases, ids in chunk
            for part in (pk, more, title, json.dumps(cases), json.dumps(ids))
        ]
        with connection.cursor() as cur:
            cur.execute(  # the table name from model metadata, every value a parameter
                f"WITH v(id, more, title, case_ids, reminder_ids) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET body = {table}.body || v.more, title = v.title, "
                f"case_ids = v.case_ids{as_json}, reminder_ids = {reminder_ids}, held_until = %s, "
                f"read_at = NULL FROM v WHERE {table}.id = v.id",
                [*params, held],
            )
