"""Who stands where on the review path (信访工作条例 §35-36): the office that forwarded the petition,
the body one level above that reviews, the open request, and the hand-offs of the review steps.
The step modules (petitions.review, petitions.delivery, petitions.hearings) build on this one."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import Unit
from cases.transitions import TransitionError
from petitions.models import (
    PetitionKind,
    ReviewOutcome,
    ReviewRequest,
    Route,
)
from petitions.units import body_above


def date_text(d: datetime.date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def opens_review(p) -> bool:
    """§35: only a 信访处理意见 on a claim handled under §31(6) can be reviewed; not the reply to a
    suggestion (§29), nor an accusation's (§30), nor a matter taken to another procedure (§31(1)-(5))."""
    return p.petition_kind == PetitionKind.CLAIM and p.route == Route.OPINION


def forwarding_unit(p) -> Unit | None:
    """The office that forwarded (转送) or assigned (交办) the petition to its handler, if any."""
    entry = p.timeline.filter(action__in=["forward", "assign"]).select_related("actor__unit").last()
    unit = entry.actor.unit if entry and entry.actor else None
    return unit if unit is not None and unit.pk != p.handling_unit_id else None


def reviewing_unit_above(unit: Unit, *, besides=()) -> Unit:
    """§35-36: the body one level above ``unit``: the petition bureau, else the governance centre, of
    the nearest region above. Above the highest region the portal holds units for (the county in
    the demo), the other of the two bodies of the same region stands in. Never ``unit`` itself nor
    a unit in ``besides`` (the original handler does not review its own opinion)."""
    above = body_above(unit, besides=besides)
    if above is None:
        raise TransitionError(
            _("No unit above the one that issued the opinion holds this review in the portal.")
        )
    return above


def open_review(p, level: str | None = None) -> ReviewRequest | None:
    """The undecided request (of ``level``); reads ``p.reviews.all()``, so the page's prefetch serves
    the step guards without a query of their own."""
    waiting = [r for r in p.reviews.all() if r.decided_on is None and (level is None or r.level == level)]
    return max(waiting, key=lambda r: r.pk, default=None)


def is_reviewing_unit(p, user) -> bool:
    """Step.guard: only the reviewing body decides (§35-36); a request from before this rule, which
    names none, is decided by any unit but the one that handled the petition."""
    review = open_review(p)
    if review is None or not user.unit_id:
        return False
    if review.reviewing_unit_id is None:
        return user.unit_id != p.handling_unit_id
    return user.unit_id == review.reviewing_unit_id


def to_forwarder(p, actor):
    """A reply tells the office that forwarded or assigned the petition."""
    return [forwarding_unit(p)], []


def to_forwarder_and_handler(p, actor):
    """A review opinion tells the forwarding office and the unit whose opinion was reviewed (unless
    the decision revoked or varied it: then that unit got its order, petitions.followup, already)."""
    decided = p.reviews.filter(decided_on__isnull=False).order_by("pk").last()
    ordered = decided is not None and decided.outcome in (ReviewOutcome.REVOKED, ReviewOutcome.VARIED)
    return [forwarding_unit(p), None if ordered else p.handling_unit], []


def to_reviewing_unit(p, actor):
    review = p.reviews.select_related("reviewing_unit").order_by("pk").last()
    return [review.reviewing_unit if review else None], []
