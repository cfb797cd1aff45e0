"""Hearings (听证, 信访工作条例 §31(6), §36 ¶2) held by the reviewing body."""

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


def may_start_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and hearing_open(p) is None


def may_end_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and hearing_open(p) is not None


# fmt: off
START_HEARING = step("start_hearing", _l("a hearing begins (听证)"), {S.REREVIEW_REQUESTED}, None, {CLERK, HANDLER, SUP},
                     HearingStartForm, lambda pk, u, d: start_hearing(pk, u, **d), guard=may_start_hearing)
END_HEARING = step("end_hearing", _l("the hearing has ended"), {S.REREVIEW_REQUESTED}, None, {CLERK, HANDLER, SUP},
                   HearingEndForm, lambda pk, u, d: end_hearing(pk, u, **d), guard=may_end_hearing)
# fmt: on


def start_hearing(petition_id, actor, *, started_on, note=""):
    """§36 ¶2 (and §31(6)): a hearing during 复核; the 30 days stand still while it lasts."""
    if started_on > timezone.localdate():
        raise TransitionError(_("Record the hearing when it begins."))

    def apply(p):
        review = open_review(p, "rereview")
        if started_on < review.requested_on:
            raise TransitionError(_("A hearing cannot begin before the re-review was requested."))
        deadline = deadlines.open_deadline_of(p, "petition_rereview")
        if deadline is None:
            raise TransitionError(_("The re-review has no running period to pause."))
        deadlines.pause_deadline(deadline, started_on)
        Hearing.objects.create(petition=p, review=review, started_on=started_on, note=note)

    return perform(
        START_HEARING, Petition, petition_id, actor, apply, details={"started_on": started_on.isoformat()}
    )


def end_hearing(petition_id, actor, *, ended_on):
    """The hearing ended on ``ended_on``: its days, first and last included, are not counted."""
    if ended_on > timezone.localdate():
        raise TransitionError(_("Record the end of the hearing once it has ended."))
    details = {"ended_on": ended_on.isoformat()}

    def apply(p):
        hearing = hearing_open(p)
        if hearing is None:
            raise TransitionError(_("No hearing is open on this matter."))
        if ended_on < hearing.started_on:
            raise TransitionError(_("A hearing cannot end before it began."))
        deadline = deadlines.open_deadline_of(p, "petition_rereview", paused=True)
        hearing.paused_days = deadlines.resume_deadline(deadline, ended_on) if deadline else 0
        hearing.ended_on = ended_on
        hearing.save(update_fields=["ended_on", "paused_days"])
        details["days_not_counted"] = hearing.paused_days

    return perform(END_HEARING, Petition, petition_id, actor, apply, details=details)
