"""The day-before reminder of a scheduled mediation session, to its mediators, through supervision's
notifications: one in-app ``Notification`` (kind ``calendar``, with a link to the calendar or the
case) per mediator per run, naming all their sessions due by the end of tomorrow, and its e-mail /
SMS in supervision's outbox, sent within the working-hours window (supervision.reminders.
may_send_now; outside it they wait for the next run within, as deadline reminders do).

Exactly once: the sessions are claimed (SKIP LOCKED) and marked ``reminded_at`` in the transaction
that writes the notifications, so a second beat tick or a second worker writes nothing. A moved
session is reminded again (mediation.scheduling clears ``reminded_at``). A mediator who may no
longer see the case (moved, deactivated, the case withheld from their unit) is not told
(accounts.scoping_pairs.visible_pairs; the outbox checks ``case_ids`` again before sending).
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping_pairs import visible_pairs
from mediation.models import ScheduledSession, ScheduledState
from mediation.scheduling import SCHEDULABLE
from supervision import notify
from supervision.models import Notification, NotificationKind
from supervision.reminders import may_send_now


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def remind_tomorrow(now: datetime.datetime | None = None, *, force_outbox: bool = False) -> int:
    """Write the reminders of sessions starting before the end of tomorrow (a session arranged
    for later today and not yet reminded is included); returns the notifications written."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    day_after = tomorrow + datetime.timedelta(days=1)
    until = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    written = 0
    with transaction.atomic():
        sessions = list(
            ScheduledSession.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ScheduledState.SCHEDULED, reminded_at__isnull=True)
            .filter(starts_at__gt=now, starts_at__lt=until)
            # Ending mediation cancels its sessions (scheduling.cancel_when_closed); one left
            # scheduled on a dispute closed before that rule is not announced either.
            .filter(dispute__status__in=SCHEDULABLE)
            .select_related("dispute")
            .prefetch_related("mediators")
            .order_by("starts_at", "pk")
        )
        if not sessions:
            return 0
        pairs = [(m, s.dispute_id) for s in sessions for m in s.mediators.all() if m.is_active]
        seen = visible_pairs(pairs)
        per_user: dict[int, tuple[object, list[ScheduledSession]]] = {}
        for s in sessions:
            for m in s.mediators.all():
                if (m.pk, s.dispute_id) in seen:
                    per_user.setdefault(m.pk, (m, []))[1].append(s)
        notes = []
        calendar = reverse("disputes:calendar")
        for user, own in per_user.values():
            lines = [f"{_when(s.starts_at)} {s.place} — {s.dispute.number} {s.dispute.summary}" for s in own]
            single = own[0].dispute if len({s.dispute_id for s in own}) == 1 else None
            day = timezone.localdate(own[0].starts_at)
            note = Notification(
                user=user,
                title=_("Mediation sessions coming up: %(count)d") % {"count": len(own)},
                body="\n".join(lines),
                kind=NotificationKind.CALENDAR,
                case=single,
                case_ids=sorted({s.dispute_id for s in own}),
                link=reverse("disputes:detail", args=[single.pk]) if single else f"{calendar}?date={day}",
            )
            notes.append(notify.queue_outside(note))
        Notification.objects.bulk_create(notes)
        ScheduledSession.objects.filter(pk__in=[s.pk for s in sessions]).update(reminded_at=now)
        written = len(notes)
    if force_outbox or may_send_now(now):
        notify.deliver_outbox()
    return written
