"""In-app notices of hand-offs (cases.handoffs): written in the hand-off's transaction, to the
active members of the receiving units and the named users who may see the case under the one rule
(accounts.scoping_pairs.visible_pairs, the §30 exclusion included) — never to the one who acted.

A hand-off notice is the inbox's "new hand-offs not yet opened": it is read when its user opens the
case page (``mark_opened``) or marks it read. It is in-app only and never waits for the e-mail
window; the daily digest still summarises what is due.
"""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping_pairs import visible_pairs
from cases.handoffs import case_url
from supervision.context_processors import UNREAD
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
    link = link or case_url(case)
    notes = [
        Notification(
            user_id=pk,
            title=heading[:200],
            body=body,
            kind=NotificationKind.HANDOFF,
            link=link,
            case=case,
            case_ids=[case.pk],
            action=action,
        )  # fmt: skip
        for pk in sorted(allowed)
    ]
    return Notification.objects.bulk_create(notes)


def notify_handoffs(sender, handoffs, **kwargs) -> int:
    """``notify_handoff`` for many hand-offs (cases.handoffs.hand_off_many) with the same receivers,
    in a fixed number of statements: one for the receiving units' members, ``visible_pairs`` for all
    (receiver, case) pairs at once, one INSERT of every notice (an automatic 督办单 per escalated
    reminder told one at a time cost a few statements and ~60 model objects each; most of a delivery
    run). A hand-off none of whose receivers may see the case tells the members of its
    ``units_if_none`` who may (two statements more, only when there is such a hand-off). Returns the
    notices written."""
    receivers = _receivers(handoffs, lambda h: h.units, users=True)
    allowed = _allowed(handoffs, receivers)
    orphans = [i for i, h in enumerate(handoffs) if h.units_if_none and not allowed[i]]
    if orphans:
        lonely = [handoffs[i] for i in orphans]
        more = _allowed(lonely, _receivers(lonely, lambda h: h.units_if_none, users=False))
        for i, found in zip(orphans, more, strict=True):
            allowed[i] = found
    rows = []  # (user id, title, body, link, case id, action)
    for h, told in zip(handoffs, allowed, strict=True):
        case = h.case
        sender_unit = getattr(h.sender_unit or getattr(h.actor, "unit", None), "name", "") or str(
            h.actor or ""
        )
        heading = f"{h.title}：{case.number or case.pk}"[:200]
        body = _("%(summary)s\nFrom %(sender)s. Open the case to act on it.") % {
            "summary": case.summary,
            "sender": sender_unit,
        }
        link = h.link or case_url(case)
        rows += [(pk, heading, body, link, case.pk, h.action) for pk in told]
    _insert(rows)
    return len(rows)


def _receivers(handoffs, units_of, *, users: bool) -> list[dict[int, User]]:
    """Each hand-off's candidate receivers: its named active users (``users``) and the active
    members of ``units_of(h)``, never its actor. One query for the members of every hand-off."""
    unit_ids = {u.pk for h in handoffs for u in units_of(h) if u is not None}
    members: dict[int, list[User]] = {}
    if unit_ids:
        for user in User.objects.filter(is_active=True, unit_id__in=unit_ids).order_by("pk"):
            members.setdefault(user.unit_id, []).append(user)
    receivers = []
    for h in handoffs:
        candidates = {u.pk: u for u in h.users if u is not None and u.is_active} if users else {}
        for unit in units_of(h):
            if unit is not None:
                candidates.update({u.pk: u for u in members.get(unit.pk, ())})
        candidates.pop(getattr(h.actor, "pk", None), None)
        receivers.append(candidates)
    return receivers


def _allowed(handoffs, receivers: list[dict[int, User]]) -> list[list[int]]:
    """Of each hand-off's candidates, the ids of those who may see its case (one visible_pairs)."""
    allowed = visible_pairs(
        (u, h.case.pk) for h, c in zip(handoffs, receivers, strict=True) for u in c.values()
    )
    pairs = zip(handoffs, receivers, strict=True)
    return [[pk for pk in sorted(c) if (pk, h.case.pk) in allowed] for h, c in pairs]


def _insert(rows: list[tuple[int, str, str, str, int, str]]) -> None:
    """The notices as one INSERT of unnested arrays on PostgreSQL (no model object per row),
    bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk,
                    title=title,
                    body=body,
                    kind=NotificationKind.HANDOFF,
                    link=link,
                    case_id=case,
                    case_ids=[case],
                    action=action,
                )
                for pk, title, body, link, case, action in rows
            ]  # fmt: skip
        )
        return
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cur:
        cur.execute(  # the table name from model metadata, every value a parameter
            f"INSERT INTO {connection.ops.quote_name(Notification._meta.db_table)} "  # noqa: S608
            "(user_id, title, body, link, case_id, action, case_ids, kind, created_at, email_pending, "
            "sms_pending, reminder_ids) SELECT r.u, r.t, r.b, r.l, r.c, r.a, jsonb_build_array(r.c), %s, %s, "
            "false, false, '[]'::jsonb "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::bigint[], %s::text[]) "
            "AS r(u, t, b, l, c, a) ORDER BY r.c, r.u",
            [str(NotificationKind.HANDOFF), timezone.now(), *[list(col) for col in columns]],
        )


def mark_opened(sender, case, user, **kwargs) -> None:
    """Opening the case page reads its hand-off notices (one UPDATE). Nothing to read when the
    request's user, loaded with their unread count (accounts.backends), has no unread notice at
    all: then the page skips the statement (a user loaded otherwise has no count: it runs)."""
    if getattr(user, UNREAD, None) == 0:
        return
    Notification.objects.filter(
        user_id=user.pk, kind=NotificationKind.HANDOFF, read_at__isnull=True, case_id=case.pk
    ).update(read_at=timezone.now())
