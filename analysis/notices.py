"""The notices of a warning: in-app, written in the transaction of the step or of the raise, to the
active members of the units that must act next (narrowed to the rule's roles when the rule names
them) and to named users, never to the one who acted. They are hand-off notices without a case: the
inbox lists them until the warning's page is opened. A warning whose title names a case (a risk, a
visit, a petition) lists it in ``facts["named"]``, and the notice carries it in ``case_ids``, so the
notification centre stops showing the text to a reader who may no longer see that case (and the
home inbox, which lists a hand-off only while its case is visible, leaves it out).
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import GridPost, User
from supervision.models import Notification, NotificationKind


def warning_url(warning) -> str:
    return reverse("analysis:detail", args=[warning.pk])


def tell(warning, actor, *, title: str, units=(), users=(), roles=()) -> list[Notification]:
    return Notification.objects.bulk_create(
        notices_of(warning, actor, title=title, units=units, users=users, roles=roles)
    )


def notices_of(warning, actor, *, title: str, units=(), users=(), roles=(), members=None) -> list:
    """The notices ``tell`` writes, unsaved. ``members``: a dict keeping each (units, roles)'s
    members for the other warnings of a scan that raises many (analysis.raising)."""
    units = [u for u in units if u is not None]
    receivers = {u.pk: u for u in users if u is not None and u.is_active}
    if units:
        key = (tuple(sorted(u.pk for u in units)), tuple(sorted(roles or ())))
        found = members.get(key) if members is not None else None
        if found is None:
            found = list(unit_members(units, roles))
            if members is not None:
                members[key] = found
        receivers.update({u.pk: u for u in found if not u.bound_to_grids or _sees(u, warning)})
    receivers.pop(getattr(actor, "pk", None), None)
    sender = getattr(getattr(actor, "unit", None), "name", "") or str(actor or _("the warning scan"))
    body = _("%(summary)s\nFrom %(sender)s. Open the warning to act on it.") % {
        "summary": warning.summary,
        "sender": sender,
    }
    link = warning_url(warning)
    named = list(warning.facts.get("named", []))
    return [
        Notification(
            user_id=pk,
            title=f"{title}：{warning.title}"[:200],
            body=body,
            kind=NotificationKind.HANDOFF,
            link=link,
            action=f"warning_{warning.pk}",
            case_ids=named,
            case_id=named[0] if named else None,
        )  # fmt: skip
        for pk in sorted(receivers)
    ]


def unit_members(units, roles=()):
    """The active members of ``units`` (of ``roles`` when named), each marked ``bound_to_grids`` when
    they hold a post below the 一级网格 (rule 5 of accounts.scoping), in one query."""
    query = User.objects.filter(is_active=True, unit__in=units).annotate(
        bound_to_grids=Exists(GridPost.below_village().filter(user=OuterRef("pk")))
    )
    if roles:
        query = query.filter(groups__name__in=list(roles)).distinct()
    return query


def _sees(user, warning) -> bool:
    """Whether a grid-bound member may see ``warning`` (only those pay for the question)."""
    from accounts.scoping import visible_warnings

    return visible_warnings(user, type(warning).objects.filter(pk=warning.pk)).exists()


def mark_opened(warning, user) -> None:
    """Opening the warning's page reads its notices (one UPDATE, usually of nothing)."""
    from django.utils import timezone

    Notification.objects.filter(
        user_id=user.pk, kind=NotificationKind.HANDOFF, read_at__isnull=True, link=warning_url(warning)
    ).update(read_at=timezone.now())
