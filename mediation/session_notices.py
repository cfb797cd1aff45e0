"""Telling people that a scheduled session is off, whoever cancelled it (the cancel step, or the step
that ended mediation: mediation.scheduling). Written in the cancelling transaction, so a refused
step tells nobody:

- each mediator of the session but the one who cancelled it gets a notice (supervision's
  ``Notification``, kind ``calendar``, with the case page as its link), in-app at once and by e-mail
  or SMS through supervision's outbox as the day-before reminder goes; only a mediator who may
  still see the case (accounts.scoping_pairs.visible_pairs), as for the reminder;
- the parties told of the session by text message get a text that it is off, through the SMS
  gateway once the step committed (none configured: none sent); the notice names every party
  told of it and how, so the mediators tell the others the way they told them.
"""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping_pairs import visible_pairs
from cases.idnumbers import mask_name
from mediation.models import NoticeMethod
from supervision import notify
from supervision.models import Notification, NotificationKind

logger = logging.getLogger(__name__)


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def tell_cancelled(dispute, session, actor, reason: str) -> list[Notification]:
    """Notices to the mediators, texts to the parties told by SMS; returns the notices written."""
    notices = list(session.notices.select_related("party").order_by("notified_at", "pk"))
    when = _when(session.starts_at)
    lines = [
        f"{dispute.number} {dispute.summary}",
        _("%(when)s at %(place)s") % {"when": when, "place": session.place},
        _("Reason: %(reason)s") % {"reason": reason},
    ]
    if notices:
        told = "、".join(f"{mask_name(n.party.name)}（{n.get_method_display()}）" for n in notices)
        lines.append(_("Parties told of the session: %(parties)s") % {"parties": told})
    mediators = [m for m in session.mediators.all() if m.is_active and m.pk != actor.pk]
    seen = visible_pairs([(m, dispute.pk) for m in mediators])
    notes = [
        notify.queue_outside(
            Notification(
                user=m,
                title=_("Mediation session cancelled: %(when)s") % {"when": when},
                body="\n".join(lines),
                kind=NotificationKind.CALENDAR,
                case=dispute,
                case_ids=[dispute.pk],
                link=reverse("disputes:detail", args=[dispute.pk]),
                action="cancel_session",
            )
        )
        for m in mediators
        if (m.pk, dispute.pk) in seen
    ]
    Notification.objects.bulk_create(notes)
    texted = {n.party_id: n.party for n in notices if n.method == NoticeMethod.SMS and n.party.phone}
    gateway = notify.sms_gateway() if texted else None
    if gateway is not None:
        text = _("Your dispute %(number)s: the mediation session of %(when)s at %(place)s is cancelled.") % {
            "number": dispute.number,
            "when": when,
            "place": session.place,
        }
        parties = list(texted.values())
        transaction.on_commit(lambda: _send(gateway, session.pk, parties, text))
    return notes


def _send(gateway, session_id, parties, text) -> None:
    for party in parties:
        try:
            gateway.send(party.phone, text)
        except Exception:
            # The mediators' notice names the party and how they were told: they can call.
            logger.exception("session %s: the cancellation text to party %s failed", session_id, party.pk)
