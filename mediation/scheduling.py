"""Sessions arranged ahead (预约调解): schedule, move, cancel, and the parties told of them.

Each is a step of the dispute workflow (mediation.workflow.TRANSITIONS lists them), not a plain form:
it changes the case's record, so it needs what every step gets from one declaration — the button
only where it is on offer, the role and the relation to the case (``people.may_arrange``, the same
people who may correct its records), the case row locked, the state checked, and a timeline entry
(the reason of a move or a cancellation is kept there). None changes the state (target None, like
recording a session). Recording the session (mediation.mediating.record_session) fills the
scheduled one: it becomes ``held``. The day-before reminder: mediation.session_reminders.

A step that takes the dispute out of mediation (agreement, termination, referral …) cancels the
sessions still arranged in its own transaction (``cancel_when_closed``), through the code of the
cancel step: the same timeline entry, the same people told (mediation.session_notices).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases.idnumbers import mask_name
from cases.timeline import record
from cases.transitions import TransitionError, perform, step
from mediation import dates
from mediation.corrections import shown
from mediation.mediating import OPEN_STATES
from mediation.models import (
    Dispute,
    DisputeStatus,
    NoticeMethod,
    ScheduledSession,
    ScheduledState,
    SessionNotice,
)
from mediation.people import eligible_among, may_arrange
from mediation.schedule_forms import CancelSessionForm, NotifyPartiesForm, RescheduleForm, ScheduleForm
from mediation.session_notices import tell_cancelled
from supervision.notify import sms_gateway

logger = logging.getLogger(__name__)

S = DisputeStatus
M, SUP = roles.MEDIATOR, roles.SUPERVISOR
# A session is arranged once the dispute is accepted and until mediation ends.
SCHEDULABLE = frozenset({S.ACCEPTED, S.ASSIGNED, S.MEDIATING})

SCHEDULE = step(
    "schedule_session", _l("schedule a session"), SCHEDULABLE, None, {M, SUP}, ScheduleForm,
    lambda pk, u, d: schedule_session(pk, u, **d), form_needs_case=True, guard=may_arrange,
)  # fmt: skip
RESCHEDULE = step(
    "reschedule_session", _l("move a scheduled session"), SCHEDULABLE, None, {M, SUP}, RescheduleForm,
    lambda pk, u, d: reschedule_session(pk, u, **d), form_needs_case=True, guard=may_arrange,
)  # fmt: skip
# Open states: a session left scheduled before this rule existed is still cancelled by hand; since,
# the step that ends mediation cancels them (cancel_when_closed).
CANCEL = step(
    "cancel_session", _l("cancel a scheduled session"), OPEN_STATES, None, {M, SUP}, CancelSessionForm,
    lambda pk, u, d: cancel_session(pk, u, **d), form_needs_case=True, guard=may_arrange,
)  # fmt: skip
NOTIFY = step(
    "notify_parties", _l("record that the parties were told"), SCHEDULABLE, None, {M, SUP}, NotifyPartiesForm,
    lambda pk, u, d: notify_parties(pk, u, **d), form_needs_case=True, guard=may_arrange,
)  # fmt: skip


# The keys these steps write on the timeline, with their labels (registered in MediationConfig.ready).
TIMELINE_LABELS = {
    "starts_at": _l("Scheduled for"),
    "scheduled": _l("Scheduled session"),
    "method": _l("Method"),
    "notified_at": _l("Notified at"),
    "parties": _l("Parties notified"),
}


def _names(users) -> str:
    return "、".join(u.display_name or u.username for u in users)


def _pending(d, scheduled) -> ScheduledSession:
    """The scheduled session, locked, still to be held and of this dispute; else a refusal."""
    row = (
        ScheduledSession.objects.select_for_update()
        .filter(pk=getattr(scheduled, "pk", scheduled), dispute_id=d.pk, state=ScheduledState.SCHEDULED)
        .first()
    )
    if row is None:
        raise TransitionError(_("This session was already held or cancelled. Reload the page."))
    return row


def schedule_session(dispute_id, actor, *, starts_at, place, mediators=(), parties=()):
    """Arrange a session: when (in the future, not before registration), where, the mediators (who
    may see the case; the actor when none is named and they may), the parties to tell."""
    if not place.strip():
        raise TransitionError(_("Say where the session takes place."))
    details = {"starts_at": shown(starts_at), "place": place.strip()}

    def apply(d):
        dates.check_scheduled(d, starts_at)
        allowed = eligible_among(d, [*mediators, actor])
        chosen = list(mediators) or ([actor] if actor.pk in allowed else [])
        if not chosen:
            raise TransitionError(_("Name at least one mediator."))
        if any(m.pk not in allowed for m in chosen):
            raise TransitionError(_("Only mediators who may see this dispute can be named as its mediators."))
        own = set(d.parties.values_list("pk", flat=True))
        if any(p.pk not in own for p in parties):
            raise TransitionError(_("Only parties of this dispute can be notified."))
        session = ScheduledSession.objects.create(
            dispute=d, starts_at=starts_at, place=place.strip(), created_by=actor
        )
        session.mediators.set(chosen)
        session.parties.set(list(parties))
        details["mediators"] = _names(chosen)
        return session

    return perform(
        SCHEDULE,
        Dispute,
        dispute_id,
        actor,
        apply,
        description=_("Mediation session scheduled"),
        details=details,
    )


def reschedule_session(dispute_id, actor, *, scheduled, starts_at, reason, place=""):
    """Move a session to another time (and place); the old ones stay on the timeline. The mediators
    are reminded again the day before the new date."""
    if not (reason or "").strip():
        raise TransitionError(_("Give the reason for moving the session."))
    if scheduled is None:
        raise TransitionError(_("Choose the session."))
    details, previous = {"reason": reason.strip()}, {}

    def apply(d):
        row = _pending(d, scheduled)
        dates.check_scheduled(d, starts_at)
        previous.update(starts_at=shown(row.starts_at), place=row.place)
        row.starts_at, row.reminded_at = starts_at, None
        row.place = place.strip() or row.place
        row.save(update_fields=["starts_at", "place", "reminded_at"])
        details.update(starts_at=shown(row.starts_at), place=row.place)
        return row

    return perform(
        RESCHEDULE, Dispute, dispute_id, actor, apply,
        description=_("Scheduled session moved"), details=details, previous=previous,
    )  # fmt: skip


def cancel_session(dispute_id, actor, *, scheduled, reason):
    if not (reason or "").strip():
        raise TransitionError(_("Give the reason for cancelling the session."))
    if scheduled is None:
        raise TransitionError(_("Choose the session."))
    details = {}

    def apply(d):
        row = _pending(d, scheduled)
        details.update(_cancel(d, row, actor, reason.strip()))
        return row

    return perform(
        CANCEL,
        Dispute,
        dispute_id,
        actor,
        apply,
        description=_("Scheduled session cancelled"),
        details=details,
    )


def cancel_when_closed(d, actor, transition, _before: str) -> int:
    """Sessions still arranged when a step takes the dispute out of mediation (agreement,
    termination, referral, follow-up, archiving — any state where no session can be held) are
    cancelled in that step's transaction, each as the cancel step cancels one, with its own timeline
    entry after the step's. Called by cases.transitions.perform on every change of state (the
    dispute workflow's ``after_change``); returns how many were cancelled."""
    if d.status in SCHEDULABLE:
        return 0
    rows = list(
        ScheduledSession.objects.select_for_update()
        .filter(dispute_id=d.pk, state=ScheduledState.SCHEDULED)
        .order_by("starts_at", "pk")
    )
    reason = _("The case has ended: %(step)s") % {"step": transition.label}
    for row in rows:
        details = _cancel(d, row, actor, reason)
        record(
            d, actor, CANCEL.name, _("Scheduled session cancelled"),
            before={"status": d.status}, after={"status": d.status, **details},
        )  # fmt: skip
    return len(rows)


def _cancel(d, row, actor, reason) -> dict:
    """Cancel one session (locked, still scheduled) and tell its people; the timeline details."""
    row.state, row.cancel_reason = ScheduledState.CANCELLED, reason[:300]
    row.save(update_fields=["state", "cancel_reason"])
    tell_cancelled(d, row, actor, reason)
    return {"reason": reason, "starts_at": shown(row.starts_at), "place": row.place}


def sms_text(dispute, session) -> str:
    local = timezone.localtime(session.starts_at)
    return _(
        "Your dispute %(number)s: a mediation session is arranged for %(when)s at %(place)s. Please attend."
    ) % {
        "number": dispute.number,
        "when": f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}",
        "place": session.place,
    }


def notify_parties(dispute_id, actor, *, scheduled, parties, method, notified_at=None):
    """Record that parties were told of a session, how and when. A text message goes out through
    the deployment's SMS gateway (supervision.notify.sms_gateway; the demo's prints it) once the
    step has committed, so a refused step sends nothing; ``sms_sent_at`` records the gateway took it."""
    if scheduled is None:
        raise TransitionError(_("Choose the session."))
    if not parties:
        raise TransitionError(_("Choose the parties who were told."))
    gateway = None
    if method == NoticeMethod.SMS:
        gateway = sms_gateway()
        if gateway is None:
            raise TransitionError(
                _("No SMS gateway is configured: tell the parties another way and record it.")
            )
        if any(not p.phone for p in parties):
            raise TransitionError(_("A text message needs the party's phone number on this case."))
        notified_at = timezone.now()
    if notified_at is None:
        raise TransitionError(_("Say when the parties were told."))
    details = {
        "method": str(NoticeMethod(method).label),
        "notified_at": shown(notified_at),
        "parties": "、".join(mask_name(p.name) for p in parties),
    }

    def apply(d):
        row = _pending(d, scheduled)
        dates.not_in_future(notified_at, _("A notice cannot be dated in the future."))
        dates.not_before(
            notified_at, dates.registered_on(d),
            _("A notice cannot be dated before the dispute was registered (%(date)s)."),
        )  # fmt: skip
        own = set(d.parties.values_list("pk", flat=True))
        if any(p.pk not in own for p in parties):
            raise TransitionError(_("Only parties of this dispute can be notified."))
        notices = SessionNotice.objects.bulk_create(
            SessionNotice(scheduled=row, party=p, method=method, notified_at=notified_at, recorded_by=actor)
            for p in parties
        )
        if gateway is not None:
            text = sms_text(d, row)
            transaction.on_commit(lambda: _send_sms(gateway, notices, parties, text))
        details["starts_at"] = shown(row.starts_at)
        return row

    return perform(
        NOTIFY,
        Dispute,
        dispute_id,
        actor,
        apply,
        description=_("Parties told of the session"),
        details=details,
    )


def _send_sms(gateway, notices, parties, text) -> None:
    for notice, party in zip(notices, parties, strict=True):
        try:
            gateway.send(party.phone, text)
        except Exception:
            # Not marked sent: the case page shows the text message as not delivered.
            logger.exception("session notice %s: text message failed", notice.pk)
            continue
        SessionNotice.objects.filter(pk=notice.pk).update(sms_sent_at=timezone.now())
