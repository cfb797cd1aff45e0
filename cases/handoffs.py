"""Hand-offs: the moment a case passes to someone who must act next (a report to the village, an
escalation to the unit above, 转送/交办 to a department, an objection back to the sender, a review
request to the level above, a 督办单 and its reply).

The case core knows neither notifications nor who reads them; it announces the hand-off on
``handed_off`` inside the transaction that makes it, and supervision writes the in-app notices
there (supervision.handoffs), addressed only to receivers who may see the case under the one rule.
A hand-off that rolls back leaves no notice; a notice never waits for the e-mail window.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# sender: the case's class; case, actor, units (accounts.Unit), users (accounts.User), action, title,
# sender_unit (accounts.Unit or None), link (str or None: the case page)
handed_off = Signal()
# sender: None; handoffs (list of HandOff): many hand-offs of one transaction told at once
handed_off_many = Signal()
# sender: the case's class; case, user: ``user`` opened the case page (its hand-off notices are read)
case_opened = Signal()

# Where each case type's page lives (the URL names of the case types' apps).
DETAIL_URLS = {"dispute": "disputes:detail", "petition": "petitions:detail"}


# A case id that no case has, reversed in its place: the rest of the path is the same for every case.
_SLOT = 987654321987654321
_PATTERNS: dict[tuple, str] = {}


def case_url(case) -> str:
    """The case's page. The path is reversed once per case type, language and URLconf and the id put
    in: an automatic 督办单 run links ~10,000 notices, and reverse() was 7 % of the delivery
    (docs/performance.md)."""
    key = (case.kind, translation.get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(DETAIL_URLS[case.kind], args=[_SLOT])
    return pattern.replace(str(_SLOT), str(int(case.pk)))


def hand_off(
    case,
    actor,
    *,
    action: str,
    title: str,
    units: Iterable = (),
    users: Iterable = (),
    sender_unit=None,
    link: str | None = None,
) -> None:
    """Tell the receivers of a hand-off now, in the caller's transaction (which must be open).
    ``sender_unit`` names who hands off when no user acts (an automatic 督办单); else the actor's unit.
    ``link`` is the page to act on when it is not the case page (a 督办单's answer)."""
    units = [u for u in units if u is not None]
    users = [u for u in users if u is not None]
    if not (units or users):
        return
    assert transaction.get_connection().in_atomic_block, "a hand-off is announced inside its transaction"
    handed_off.send(
        sender=type(case),
        case=case,
        actor=actor,
        units=units,
        users=users,
        action=action,
        title=title,
        sender_unit=sender_unit,
        link=link,
    )


@dataclass
class HandOff:
    """One hand-off of ``hand_off_many``: the arguments of ``hand_off``."""

    case: object
    actor: object
    action: str
    title: str
    units: list = field(default_factory=list)
    users: list = field(default_factory=list)
    sender_unit: object = None
    link: str | None = None
    # Units whose members are told only when none of the receivers above may see the case.
    units_if_none: list = field(default_factory=list)


def hand_off_many(handoffs: Iterable[HandOff]) -> None:
    """``hand_off`` for many cases in the caller's transaction, told in one go (the automatic
    督办单 of a delivery batch): the receivers are the same as one ``hand_off`` each would reach,
    written in a few statements for the whole list instead of a few per hand-off."""
    handoffs = [h for h in handoffs if any(u is not None for u in [*h.units, *h.users, *h.units_if_none])]
    if not handoffs:
        return
    assert transaction.get_connection().in_atomic_block, "a hand-off is announced inside its transaction"
    handed_off_many.send(sender=None, handoffs=handoffs)


def opened(case, user) -> None:
    """``user`` opened the case page: the hand-off notices about it are read."""
    case_opened.send(sender=type(case), case=case, user=user)
