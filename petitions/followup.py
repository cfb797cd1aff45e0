"""What follows a review decision that revokes (撤销) or varies (变更) the handling opinion
(信访工作条例 §35, §36; domain.md 1.6: 维持 / 撤销(责令重新办理) / 变更).

The opinion under review stays the original handling unit's (``Petition.handling_unit``; the
reviewing body was only granted the case), so a decision that revokes it orders that unit to handle
the matter again, and one that varies it orders that unit to carry out the varied opinion. Either
way the unit is told at once (a hand-off of its own, naming the date), owes the result by the
``petition_review_followup`` limit counted from the decision, and reports it to the reviewing body
(``report_followup``), which the timeline keeps.

The petitioner's path does not wait for it: the status stays where the decision put it (复查 →
``reviewed``, whose §36 window for 复核 runs from delivery of the review opinion; 复核 →
``finalized``, §36 ¶3), so the obligation lives on the review request and its deadline, not in the
status. The national text sets no limit for the redo; the rule row (60 days, as §34 gives a handling
opinion) is a default a province changes in the admin.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.handoffs import hand_off
from cases.transitions import TransitionError, perform, step
from petitions.models import Petition, PetitionStatus, ReviewOutcome
from petitions.reviewers import date_text, forwarding_unit
from petitions.routing_forms import ReportForm

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
RULE = "petition_review_followup"
# The outcomes that leave work for the original handling unit.
ORDERING = frozenset({ReviewOutcome.REVOKED, ReviewOutcome.VARIED})


def pending(p) -> list:
    """Decided reviews whose order to the original unit is not reported yet (reads
    ``p.reviews.all()``: the page's prefetch serves the guard)."""
    return [r for r in p.reviews.all() if r.decided_on and r.outcome in ORDERING and r.followup_on is None]


def owes_followup(case, user) -> bool:
    """Step.guard: the unit whose opinion was revoked or varied, while its report is outstanding."""
    return bool(user.unit_id) and user.unit_id == case.handling_unit_id and bool(pending(case))


def to_reviewers(p, actor):
    """The report goes to the bodies that ordered it, and to the office that forwarded the matter."""
    ordered = [r.reviewing_unit for r in p.reviews.select_related("reviewing_unit") if r.outcome in ORDERING]
    return [*ordered, forwarding_unit(p)], []


def described(decision, outcome) -> str:
    """The timeline's words for a decision: the step, and whether it leaves work for the original
    unit ("" keeps the step's label)."""
    if outcome not in ORDERING:
        return ""
    return _("%(step)s: %(outcome)s; the original handling unit must act and report by its limit") % {
        "step": decision.label,
        "outcome": ReviewOutcome(outcome).label,
    }


def order(p, actor, outcome, decided_on, details) -> bool:
    """Inside a decision's apply: a revoking or varying outcome opens the limit and tells the
    original handling unit what it must do by when. Returns whether it did."""
    if outcome not in ORDERING or p.handling_unit is None:
        return False
    deadline = deadlines.open_deadline_of(p, RULE) or deadlines.open_deadline(p, RULE, decided_on)
    if outcome == ReviewOutcome.REVOKED:
        title = _("The opinion was revoked on review: handle the matter again by %(date)s")
    else:
        title = _("The opinion was varied on review: carry out the varied opinion by %(date)s")
    title %= {"date": date_text(deadline.due_date)}
    details.update(
        followup_unit=str(p.handling_unit), followup_due_on=deadline.due_date.isoformat(), order=title
    )
    hand_off(p, actor, action="review_followup", title=title, units=[p.handling_unit])
    return True


# fmt: off
REPORT_FOLLOWUP = step(
    "report_followup", _l("report the matter handled again after review"),
    # After a redone opinion (petitions.redo) the path starts again at replied; the report is still owed.
    {S.REPLIED, S.REVIEW_REQUESTED, S.REVIEWED, S.REREVIEW_REQUESTED, S.FINALIZED}, None,
    {HANDLER, CLERK, SUP}, ReportForm,
    lambda pk, u, d: report_followup(pk, u, d["text"]), guard=owes_followup, hands_to=to_reviewers,
)
# fmt: on


def report_followup(petition_id, actor, text: str):
    """The original handling unit reports that it handled the matter again (撤销) or carried out the
    varied opinion (变更); the limit closes (on time or late, as the statistics read it)."""
    if not text.strip():
        raise TransitionError(_("Write what was done after the review."))
    today = timezone.localdate()

    def apply(p):
        waiting = p.reviews.filter(decided_on__isnull=False, outcome__in=ORDERING, followup_on__isnull=True)
        if not waiting.update(followup_text=text, followup_on=today):
            raise TransitionError(_("No review decision waits for a report from this unit."))
        deadlines.close_open_deadline(p, RULE)

    return perform(REPORT_FOLLOWUP, Petition, petition_id, actor, apply, details={"text": text})
