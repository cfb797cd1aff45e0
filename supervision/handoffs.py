"""In-app notices of hand-offs (cases.handoffs): written in the hand-off's transaction, to the
active members of the receiving units and the named users who may see the case under the one rule
(accounts.scoping.visible_pairs, the §30 exclusion included) — never to the one who acted.

A hand-off notice is the inbox's "new hand-offs not yet opened": it is read when its user opens the
case page (``mark_opened``) or marks it read. It is in-app only and never waits for the e-mail
window; the daily digest still summarises what is due.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import visible_pairs
from cases.handoffs import case_url
from supervision.models import Notification, NotificationKind


def notify_handoff(
    sender, case, actor, units, users, action, title, sender_unit=None, link=None, **kwargs
) -> list[Notification]:
    candidates = {u.pk: u for u in users if u.is_active}
    unit_ids = [unit.pk for unit in units]
    if unit_ids:
        members = User.objects.filter(is_active=True, unit_id__in=unit_ids).select_related("unit__region")
        candidates.update({u.pk: u for u in members})
    candidates.pop(getattr(actor, "pk", None), None)
    allowed = {pk for pk, _case in visible_pairs([(u, case.pk) for u in candidates.values()])}
    sender_unit = getattr(sender_unit or getattr(actor, "unit", None), "name", "") or str(actor or "")
    heading = f"{title}：{case.number or case.pk}"
    body = _("%(summary)s\nFrom %(sender)s. Open the case to act on it.") % {
        "summary": case.summary,
        "sender": sender_unit,
    }
    notes = [
        Notification(
            user_id=pk,
            title=heading[:200],
            body=body,
            kind=NotificationKind.HANDOFF,
            link=link or case_url(case),
            case=case,
            case_ids=[case.pk],
            action=action,
        )  # fmt: skip
        for pk in sorted(allowed)
    ]
    return Notification.objects.bulk_create(notes)


def mark_opened(sender, case, user, **kwargs) -> None:
    """Opening the case page reads its hand-off notices (one UPDATE, usually of nothing)."""
    Notification.objects.filter(
        user_id=user.pk, kind=NotificationKind.HANDOFF, read_at__isnull=True, case_id=case.pk
    ).update(read_at=timezone.now())
