"""The petition's written answers and the review path (信访工作条例 §32-36): extension, the handling
opinion, 复查 and 复核 by the level above, finalisation. Delivery (送达) is petitions.delivery,
hearings petitions.hearings, who reviews petitions.reviewers.

The steps are declared here and listed, in page order, in ``petitions.workflow.TRANSITIONS`` (which
also re-exports the functions); this module does not import the workflow module, so the two never
form an import circle. Every step runs through ``cases.transitions.perform``.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.scoping import grant_case_to_unit
from cases import deadlines
from cases.transitions import TransitionError, perform, perform_for_party, step
from petitions import followup
from petitions.delivered import delivered
from petitions.delivery import current_opinion, waiting_for_delivery
from petitions.forms import EmptyForm, ExtendForm, OpinionForm, ReplyForm, RequestForm
from petitions.hearings import hearing_open
from petitions.models import (
    Petition,
    PetitionDocument,
    PetitionStatus,
    ReviewRequest,
)
from petitions.reviewers import (
    date_text,
    is_reviewing_unit,
    opens_review,
    reviewing_unit_above,
    to_forwarder,
    to_forwarder_and_handler,
    to_reviewing_unit,
)

S = PetitionStatus
DOC = PetitionDocument
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
# 信访工作条例 §34: one extension of at most 30 days.
MAX_EXTENSION_DAYS = 30


# fmt: off
EXTEND = step("extend", _l("extend the handling period"), {S.ACCEPTED}, None, {HANDLER, SUP}, ExtendForm,
              lambda pk, u, d: extend(pk, u, **d), confirm=_l("The handling period can be extended only once. Continue?"),
              documents=(DOC.EXTENSION,))
REPLY = step("reply", _l("reply with the handling opinion"), {S.ACCEPTED}, S.REPLIED, {HANDLER, SUP}, ReplyForm,
             lambda pk, u, d: reply(pk, u, **d), hands_to=to_forwarder, documents=(DOC.OPINION,))
REQUEST_REVIEW = step("request_review", _l("register a review request"), {S.REPLIED}, S.REVIEW_REQUESTED, {CLERK, SUP},
                      RequestForm, lambda pk, u, d: request_review(pk, u, **d), hands_to=to_reviewing_unit)
DECIDE_REVIEW = step("decide_review", _l("record the review opinion"), {S.REVIEW_REQUESTED}, S.REVIEWED, {CLERK, HANDLER, SUP},
                     OpinionForm, lambda pk, u, d: decide_review(pk, u, **d), guard=is_reviewing_unit,
                     hands_to=to_forwarder_and_handler, documents=(DOC.REVIEW,))
REQUEST_REREVIEW = step("request_rereview", _l("register a re-review request"), {S.REVIEWED}, S.REREVIEW_REQUESTED,
                        {CLERK, SUP}, RequestForm, lambda pk, u, d: request_rereview(pk, u, **d), hands_to=to_reviewing_unit)
DECIDE_REREVIEW = step("decide_rereview", _l("record the re-review opinion and finalise"), {S.REREVIEW_REQUESTED}, S.FINALIZED,
                       {CLERK, HANDLER, SUP}, OpinionForm, lambda pk, u, d: decide_rereview(pk, u, **d),
                       confirm=_l("After re-review the matter is final. Continue?"), guard=is_reviewing_unit,
                       hands_to=to_forwarder_and_handler, documents=(DOC.REREVIEW,))
FINALIZE = step("finalize", _l("finalise after the review window lapsed"), {S.REPLIED, S.REVIEWED}, S.FINALIZED, {CLERK, SUP},
                EmptyForm, lambda pk, u, d: finalize(pk, u), confirm=_l("Finalise this petition?"))
# fmt: on


def extend(petition_id, actor, *, days, approver, reason):
    """§34: once, at most 30 days, approved by the handling organ's head; the petitioner is told why
    (the 延期告知书, a document of this step)."""
    if days > MAX_EXTENSION_DAYS or days < 1:
        raise TransitionError(_("The handling period can be extended by 1 to 30 days."))
    if not approver.strip() or not reason.strip():
        raise TransitionError(_("Record the approving leader and the reason."))

    def apply(p):
        if p.extension_days:
            raise TransitionError(_("The handling period has already been extended once."))
        deadline = deadlines.open_deadline_of(p, "petition_handle")
        if deadline is None:
            raise TransitionError(_("This petition has no handling period to extend."))
        deadlines.extend_deadline(deadline, days)
        p.extension_days, p.extension_approver, p.extension_reason = days, approver, reason

    return perform(
        EXTEND, Petition, petition_id, actor, apply,
        details={"days": days, "approver": approver, "reason": reason},
    )  # fmt: skip


def reply(petition_id, actor, *, outcome, text, replied_on=None):
    """§32: the handling opinion (予以支持 / 解释说明 / 不予支持) or a mediated settlement (§33).
    The 复查 window does not open here: it runs from the petitioner's receipt (record_delivery)."""
    if not text.strip():
        raise TransitionError(_("Write the handling opinion."))
    replied_on = replied_on or timezone.localdate()

    def apply(p):
        p.outcome, p.reply_text, p.replied_on = outcome, text, replied_on
        deadlines.close_open_deadline(p, "petition_handle")

    return perform(REPLY, Petition, petition_id, actor, apply, details={"outcome": outcome})


def _window_check(p, code, requested_on, what, document):
    deadline = deadlines.open_deadline_of(p, code)
    if deadline is None:
        if document not in delivered(p):
            raise TransitionError(
                _(
                    "The %(what)s request period runs from the delivery of the written opinion, "
                    "and none is recorded yet."
                )
                % {"what": what}
            )
        raise TransitionError(_("No request window is open."))
    if requested_on < deadline.start_date:
        raise TransitionError(_("The request predates the delivery of the opinion."))
    if requested_on > deadline.due_date:
        raise TransitionError(
            _("The %(what)s request window closed on %(date)s; the request cannot be accepted.")
            % {"what": what, "date": date_text(deadline.due_date)}
        )
    deadlines.close_deadline(
        deadline, timezone.make_aware(datetime.datetime.combine(requested_on, datetime.time(12)))
    )


def _send_up(p, level, requested_on, above, besides, details):
    unit = reviewing_unit_above(above, besides=besides)
    ReviewRequest.objects.create(petition=p, level=level, requested_on=requested_on, reviewing_unit=unit)
    grant_case_to_unit(p, unit)  # the reviewing body sees the case from now on
    details["reviewing_unit"] = str(unit)


def request_review(petition_id, actor, *, requested_on):
    """§35: within 30 days of receiving the handling opinion, to the body one level above the one
    that issued it, which decides within 30 days."""
    details = {}

    def apply(p):
        if not opens_review(p):
            raise TransitionError(
                _(
                    "Only a handling opinion on a claim under Art. 31(6) can be reviewed "
                    "(Regulations on Letters and Visits, Art. 35)."
                )
            )
        if p.handling_unit is None:
            raise TransitionError(_("This petition has no handling unit whose opinion could be reviewed."))
        _window_check(p, "petition_review_request", requested_on, _("review"), current_opinion(p))
        _send_up(p, "review", requested_on, p.handling_unit, (), details)
        deadlines.open_deadline(p, "petition_review", requested_on)

    if actor is None:  # the petitioner's own request, online (app public)
        return perform_for_party(REQUEST_REVIEW, Petition, petition_id, apply, details=details)
    return perform(REQUEST_REVIEW, Petition, petition_id, actor, apply, details=details)


def decide_review(petition_id, actor, *, outcome, opinion, decided_on=None):
    decided_on = decided_on or timezone.localdate()

    details = {"outcome": outcome}

    def apply(p):
        if hearing_open(p):
            raise TransitionError(_("Record the end of the hearing first."))
        p.reviews.filter(level="review", decided_on__isnull=True).update(
            decided_on=decided_on, outcome=outcome, opinion=opinion
        )
        deadlines.close_open_deadline(p, "petition_review")
        followup.order(p, actor, outcome, decided_on, details)  # §35: 撤销 or 变更 binds the original unit

    return perform(
        DECIDE_REVIEW, Petition, petition_id, actor, apply, details=details,
        description=followup.described(DECIDE_REVIEW, outcome),
    )  # fmt: skip


def request_rereview(petition_id, actor, *, requested_on):
    """§36: within 30 days of receiving the review opinion, to the body above the one that reviewed."""
    details = {}

    def apply(p):
        _window_check(p, "petition_rereview_request", requested_on, _("re-review"), DOC.REVIEW)
        reviewed = p.reviews.filter(level="review").select_related("reviewing_unit").order_by("pk").last()
        above = (reviewed.reviewing_unit if reviewed else None) or p.handling_unit
        _send_up(p, "rereview", requested_on, above, (p.handling_unit,), details)
        deadlines.open_deadline(p, "petition_rereview", requested_on)

    return perform(REQUEST_REREVIEW, Petition, petition_id, actor, apply, details=details)


def decide_rereview(petition_id, actor, *, outcome, opinion, decided_on=None):
    """§36: after 复核 the matter is finalised; the same facts are not accepted again."""
    decided_on = decided_on or timezone.localdate()
    details = {"outcome": outcome}

    def apply(p):
        if hearing_open(p):
            raise TransitionError(_("Record the end of the hearing first."))
        p.reviews.filter(level="rereview", decided_on__isnull=True).update(
            decided_on=decided_on, outcome=outcome, opinion=opinion
        )
        deadlines.close_open_deadline(p, "petition_rereview")
        followup.order(
            p, actor, outcome, decided_on, details
        )  # §36: final for the petitioner, not for the unit
        p.closed_at = timezone.now()

    return perform(
        DECIDE_REREVIEW, Petition, petition_id, actor, apply, details=details,
        description=followup.described(DECIDE_REREVIEW, outcome),
    )  # fmt: skip


def finalize(petition_id, actor):
    """Finalise once the review window lapsed unused (a window that never started, because the
    opinion was not delivered, has not lapsed)."""

    def apply(p):
        if waiting_for_delivery(p, delivered(p)):
            raise TransitionError(
                _("The request period has not started: record the delivery of the opinion first.")
            )
        code = "petition_review_request" if p.status == S.REPLIED else "petition_rereview_request"
        deadline = deadlines.open_deadline_of(p, code)
        if deadline and deadline.due_date >= timezone.localdate():
            raise TransitionError(
                _("The request window is open until %(date)s.") % {"date": date_text(deadline.due_date)}
            )
        if deadline:
            deadlines.cancel_deadline(deadline)
        p.closed_at = timezone.now()

    return perform(FINALIZE, Petition, petition_id, actor, apply)
