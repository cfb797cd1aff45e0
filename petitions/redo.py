"""The redone handling opinion (重新作出的信访处理意见): what the original handling unit owes the
petitioner after a 复查 or 复核 revoked its opinion and ordered it to handle the matter again
(撤销, 责令重新办理; 信访工作条例 §35, §36).

How we read the regulation:

- The new opinion is a 信访处理意见 in its own right (§32): a written document to the petitioner
  (its PDF is ``PetitionDocument.REDONE``), delivered (送达) like the first one.
- §35 gives a 复查 against a 信访处理意见 "自收到书面答复之日起30日内". No body has reviewed the
  new opinion's substance yet, so the petitioner may ask for 复查 of it, and the 30 days run from
  its delivery (``petitions.delivery.record_delivery``), not from its date; until delivery is
  recorded the window has not started and the page says so. The path starts again at ``replied``.
- This holds after a 复核 that revoked too: §36 ¶3 refuses a complaint against the 复核意见 on the
  same facts and reasons, and a 复核 that revoked decided nothing of substance; the new opinion is a
  new decision, so the matter leaves ``finalized`` for ``replied`` again.
- A 复查 decision becomes the last word on its level only once the petitioner's §36 window for
  复核 of it has ended unused (a 复核 could still change the revocation): until then the new
  opinion waits (the step is not offered), and after that the lapsed window is closed as
  ``finalize`` closes it.
- A decision that varies (变更) the opinion makes no redone opinion: the varied opinion is the
  reviewing body's own (the 复查/复核意见书, against which §36 is the remedy); the original unit
  only carries it out and reports (``petitions.followup.report_followup``).

Issuing the new opinion does not close the ``petition_review_followup`` limit: the unit still
reports to the reviewing body what it did (``report_followup``), as after any revocation.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.models import DeadlineState
from cases.transitions import TransitionError, perform, step
from petitions.followup import to_reviewers
from petitions.forms import ReplyForm
from petitions.models import Petition, PetitionDocument, PetitionStatus, ReviewOutcome
from petitions.reviewers import date_text

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
REREVIEW_WINDOW = "petition_rereview_request"


def awaiting(p) -> list:
    """Decided reviews that revoked the opinion and wait for the redone one (reads
    ``p.reviews.all()``: the page's prefetch serves the guard)."""
    revoked = ReviewOutcome.REVOKED
    return [r for r in p.reviews.all() if r.decided_on and r.outcome == revoked and not r.redone_on]


def _rereview_window(p):
    """The open §36 window of the case, from ``p.deadlines.all()`` (prefetched on the page)."""
    open_ones = (d for d in p.deadlines.all() if d.state == DeadlineState.OPEN)
    return next((d for d in open_ones if d.rule.code == REREVIEW_WINDOW), None)


def review_stands(p) -> bool:
    """Whether the revoking decision can no longer change: the matter is final (§36 ¶3), or it was
    a 复查 whose §36 window for 复核 ran out unused. A window not started yet (the review opinion
    not delivered) or still running means a 复核 may still come."""
    if p.status == S.FINALIZED:
        return True
    window = _rereview_window(p)
    return window is not None and window.due_date < timezone.localdate()


def owes_redone_opinion(case, user) -> bool:
    """Step.guard: the original handling unit, while a revoking decision that stands waits for it."""
    if not user.unit_id or user.unit_id != case.handling_unit_id:
        return False
    return bool(awaiting(case)) and review_stands(case)


# fmt: off
REDO_OPINION = step(
    "redo_opinion", _l("issue the redone handling opinion"), {S.REVIEWED, S.FINALIZED}, S.REPLIED,
    {HANDLER, SUP}, ReplyForm, lambda pk, u, d: redo_opinion(pk, u, **d), guard=owes_redone_opinion,
    hands_to=to_reviewers, documents=(PetitionDocument.REDONE,),
    confirm=_l("The petitioner may request a review (复查) of the new opinion within 30 days of its "
               "delivery. Continue?"),
)
# fmt: on


def redo_opinion(petition_id, actor, *, outcome, text, issued_on=None):
    """The original unit's new 信访处理意见 after a revocation (§32 outcomes). The petitioner's path
    starts again at ``replied``; its §35 window opens when the document is delivered."""
    if not text.strip():
        raise TransitionError(_("Write the handling opinion."))
    issued_on = issued_on or timezone.localdate()
    details = {"outcome": outcome, "issued_on": issued_on.isoformat()}

    def apply(p):
        review = max(awaiting(p), key=lambda r: r.pk, default=None)
        if review is None:
            raise TransitionError(_("No review decision waits for a redone opinion from this unit."))
        if issued_on < review.decided_on:
            raise TransitionError(
                _("The review revoked the opinion on %(date)s; the new opinion cannot be older.")
                % {"date": date_text(review.decided_on)}
            )
        window = _rereview_window(p)
        if window is not None:
            # Ended unused (the guard allows nothing else): closed as finalize closes it.
            deadlines.cancel_deadline(window)
        review.redone_outcome, review.redone_text, review.redone_on = outcome, text, issued_on
        review.save(update_fields=["redone_outcome", "redone_text", "redone_on"])
        details["review"] = review.get_level_display()
        p.closed_at = None  # the matter is open again for the petitioner (§35)

    return perform(REDO_OPINION, Petition, petition_id, actor, apply, details=details)


def latest_redone(p):
    """The review whose redone opinion is the petitioner's current one (None if none)."""
    done = [r for r in p.reviews.all() if r.redone_on]
    return max(done, key=lambda r: r.pk, default=None)
