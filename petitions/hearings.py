"""Hearings (听证) held by the reviewing body, during 复查 and during 复核.

信访工作条例 §31(6) allows a hearing on a major, complex or difficult matter handled by opinion, and
§36 ¶2 lets the 复核 body hold one "按照第三十一条第六项的规定". Only §36 ¶2 takes the hearing's days
out of a limit, and only out of the 复核 limit ("听证所需时间不计算在前款规定的时限内"); §35 says
nothing of the kind for 复查. So a hearing during 复查 is lawful (§31(6)) and recorded, but the 30 days
of §35 run on through it: the clock pauses only during 复核. A province whose rules also exclude the
hearing days of 复查 would add that rule here (it is not in the national text).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.transitions import TransitionError, perform, step
from petitions.models import (
    Hearing,
    Petition,
    PetitionStatus,
    ReviewRequest,
)
from petitions.review_forms import HearingEndForm, HearingStartForm
from petitions.reviewers import (
    is_reviewing_unit,
    open_review,
)

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR


def hearing_open(p) -> Hearing | None:
    return p.hearings.filter(ended_on__isnull=True).order_by("pk").last()


def _in_hearing(p) -> bool:
    """Whether a hearing is open, read from the timeline (the page's prefetch serves the guards)."""
    found = on_timeline(p)
    return bool(found) and found[-1]["ended_on"] is None


def may_start_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and not _in_hearing(p)


def may_end_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and _in_hearing(p)


# The limit whose clock a hearing stops, by review level: only 复核's (§36 ¶2).
PAUSES = {"rereview": "petition_rereview"}
DURING = {S.REVIEW_REQUESTED, S.REREVIEW_REQUESTED}

# fmt: off
START_HEARING = step("start_hearing", _l("a hearing begins"), DURING, None, {CLERK, HANDLER, SUP},
                     HearingStartForm, lambda pk, u, d: start_hearing(pk, u, **d), guard=may_start_hearing)
END_HEARING = step("end_hearing", _l("the hearing has ended"), DURING, None, {CLERK, HANDLER, SUP},
                   HearingEndForm, lambda pk, u, d: end_hearing(pk, u, **d), guard=may_end_hearing)
# fmt: on


def start_hearing(petition_id, actor, *, started_on, note=""):
    """§31(6): a hearing during 复查 or 复核; during 复核 the 30 days stand still while it lasts
    (§36 ¶2), during 复查 they run on (§35 excludes nothing)."""
    if started_on > timezone.localdate():
        raise TransitionError(_("Record the hearing when it begins."))
    details = {"started_on": started_on.isoformat()}

    def apply(p):
        review = open_review(p)
        if review is None:
            raise TransitionError(_("No review is open on this matter."))
        if started_on < review.requested_on:
            raise TransitionError(_("A hearing cannot begin before the review was requested."))
        code = PAUSES.get(review.level)
        if code:
            deadline = deadlines.open_deadline_of(p, code)
            if deadline is None:
                raise TransitionError(_("The re-review has no running period to pause."))
            deadlines.pause_deadline(deadline, started_on)
        details["clock"] = "paused" if code else "runs"
        Hearing.objects.create(petition=p, review=review, started_on=started_on, note=note)

    return perform(
        START_HEARING, Petition, petition_id, actor, apply, details=details,
        # The timeline says when the clock does not stop (复查); read before the lock, as the page does.
        description="" if PAUSES.get(_level(petition_id)) else _(
            "A hearing begins during the review; its days count toward the 30 days of Art. 35"
        ),
    )  # fmt: skip


def _level(petition_id) -> str:
    review = (
        ReviewRequest.objects.filter(petition_id=petition_id, decided_on__isnull=True).order_by("pk").last()
    )
    return review.level if review else ""


def end_hearing(petition_id, actor, *, ended_on):
    """The hearing ended on ``ended_on``: during 复核 its days, first and last included, are not
    counted (§36 ¶2); during 复查 nothing was paused, so nothing is added."""
    if ended_on > timezone.localdate():
        raise TransitionError(_("Record the end of the hearing once it has ended."))
    details = {"ended_on": ended_on.isoformat()}

    def apply(p):
        hearing = hearing_open(p)
        if hearing is None:
            raise TransitionError(_("No hearing is open on this matter."))
        if ended_on < hearing.started_on:
            raise TransitionError(_("A hearing cannot end before it began."))
        code = PAUSES.get(hearing.review.level)
        deadline = deadlines.open_deadline_of(p, code, paused=True) if code else None
        hearing.paused_days = deadlines.resume_deadline(deadline, ended_on) if deadline else 0
        hearing.ended_on = ended_on
        hearing.save(update_fields=["ended_on", "paused_days"])
        details["days_not_counted"] = hearing.paused_days

    return perform(END_HEARING, Petition, petition_id, actor, apply, details=details)


def on_timeline(p) -> list[dict]:
    """The hearings as the page lists them, read from the timeline entries of the two steps (the
    page's prefetch serves it, no query): started_on, ended_on, paused (复核) and days_not_counted.
    An entry from before hearings during 复查 names no clock: it was a 复核 hearing, which paused."""
    found = []
    for entry in p.timeline.all():
        if entry.action == START_HEARING.name and entry.after.get("started_on"):
            found.append({
                "started_on": datetime.date.fromisoformat(entry.after["started_on"]),
                "paused": entry.after.get("clock", "paused") == "paused", "ended_on": None, "days_not_counted": 0,
            })  # fmt: skip
        elif entry.action == END_HEARING.name and found and entry.after.get("ended_on"):
            found[-1]["ended_on"] = datetime.date.fromisoformat(entry.after["ended_on"])
            found[-1]["days_not_counted"] = entry.after.get("days_not_counted", 0)
    return found
