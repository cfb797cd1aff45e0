"""The petition's written answers and the review path (信访工作条例 §32-36): extension, the handling
opinion, delivery of every written notice, 复查 and 复核 by the level above, hearings, finalisation.

The steps are declared here and listed, in page order, in ``petitions.workflow.TRANSITIONS`` (which
also re-exports the functions); this module does not import the workflow module, so the two never
form an import circle. Every step runs through ``cases.transitions.perform``.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import Unit
from accounts.scoping import grant_case_to_unit
from cases import deadlines
from cases.transitions import TransitionError, documents_made, perform, step
from petitions.forms import EmptyForm, ExtendForm, OpinionForm, ReplyForm, RequestForm
from petitions.models import (
    Delivery,
    Hearing,
    Petition,
    PetitionDocument,
    PetitionKind,
    PetitionStatus,
    ReviewRequest,
    Route,
)
from petitions.review_forms import DeliveryForm, HearingEndForm, HearingStartForm
from petitions.units import body_above

S = PetitionStatus
DOC = PetitionDocument
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
# 信访工作条例 §34: one extension of at most 30 days.
MAX_EXTENSION_DAYS = 30


def _date(d: datetime.date) -> str:
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


def hearing_open(p) -> Hearing | None:
    return p.hearings.filter(ended_on__isnull=True).order_by("pk").last()


def may_start_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and hearing_open(p) is None


def may_end_hearing(p, user) -> bool:
    return is_reviewing_unit(p, user) and hearing_open(p) is not None


def to_forwarder(p, actor):
    """A reply tells the office that forwarded or assigned the petition."""
    return [forwarding_unit(p)], []


def to_forwarder_and_handler(p, actor):
    """A review opinion tells the forwarding office and the unit whose opinion was reviewed."""
    return [forwarding_unit(p), p.handling_unit], []


def to_reviewing_unit(p, actor):
    review = p.reviews.select_related("reviewing_unit").order_by("pk").last()
    return [review.reviewing_unit if review else None], []


# fmt: off
EXTEND = step("extend", _l("extend the handling period"), {S.ACCEPTED}, None, {HANDLER, SUP}, ExtendForm,
              lambda pk, u, d: extend(pk, u, **d), confirm=_l("The handling period can be extended only once. Continue?"),
              documents=(DOC.EXTENSION,))
REPLY = step("reply", _l("reply with the handling opinion"), {S.ACCEPTED}, S.REPLIED, {HANDLER, SUP}, ReplyForm,
             lambda pk, u, d: reply(pk, u, **d), hands_to=to_forwarder, documents=(DOC.OPINION,))
RECORD_DELIVERY = step("record_delivery", _l("record delivery of a notice or opinion"), set(S.values), None,
                       {CLERK, HANDLER, SUP}, DeliveryForm, lambda pk, u, d: record_delivery(pk, u, **d), form_needs_case=True)
REQUEST_REVIEW = step("request_review", _l("register a review request (复查)"), {S.REPLIED}, S.REVIEW_REQUESTED, {CLERK, SUP},
                      RequestForm, lambda pk, u, d: request_review(pk, u, **d), hands_to=to_reviewing_unit)
DECIDE_REVIEW = step("decide_review", _l("record the review opinion"), {S.REVIEW_REQUESTED}, S.REVIEWED, {CLERK, HANDLER, SUP},
                     OpinionForm, lambda pk, u, d: decide_review(pk, u, **d), guard=is_reviewing_unit,
                     hands_to=to_forwarder_and_handler, documents=(DOC.REVIEW,))
REQUEST_REREVIEW = step("request_rereview", _l("register a re-review request (复核)"), {S.REVIEWED}, S.REREVIEW_REQUESTED,
                        {CLERK, SUP}, RequestForm, lambda pk, u, d: request_rereview(pk, u, **d), hands_to=to_reviewing_unit)
START_HEARING = step("start_hearing", _l("a hearing begins (听证)"), {S.REREVIEW_REQUESTED}, None, {CLERK, HANDLER, SUP},
                     HearingStartForm, lambda pk, u, d: start_hearing(pk, u, **d), guard=may_start_hearing)
END_HEARING = step("end_hearing", _l("the hearing has ended"), {S.REREVIEW_REQUESTED}, None, {CLERK, HANDLER, SUP},
                   HearingEndForm, lambda pk, u, d: end_hearing(pk, u, **d), guard=may_end_hearing)
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


def record_delivery(petition_id, actor, *, document, method, delivered_on, recipient=""):
    """送达: how and when a written notice or opinion reached the petitioner. Delivering the handling
    opinion opens the 30 days to request 复查 (§35), the review opinion those to request 复核 (§36):
    both run from receipt."""
    if delivered_on > timezone.localdate():
        raise TransitionError(_("The date lies in the future."))

    def apply(p):
        if document not in documents_made(p):
            raise TransitionError(_("This petition has no such document yet."))
        earlier = p.deliveries.filter(document=document).first()
        if earlier:
            raise TransitionError(
                _("This document was delivered on %(date)s.") % {"date": _date(earlier.delivered_on)}
            )
        made_on = _made_on(p, document)
        if made_on and delivered_on < made_on:
            raise TransitionError(
                _("The document is dated %(date)s; it cannot have been delivered before.")
                % {"date": _date(made_on)}
            )
        Delivery.objects.create(
            petition=p, document=document, method=method, delivered_on=delivered_on,
            recipient=recipient, recorded_by=actor,
        )  # fmt: skip
        if document == DOC.OPINION and p.status == S.REPLIED and opens_review(p):
            deadlines.open_deadline(p, "petition_review_request", delivered_on)  # §35
        if document == DOC.REVIEW and p.status == S.REVIEWED:
            deadlines.open_deadline(p, "petition_rereview_request", delivered_on)  # §36

    return perform(
        RECORD_DELIVERY, Petition, petition_id, actor, apply,
        description=_("Delivery recorded: %(document)s") % {"document": DOC(document).label},
        details={
            "document": document, "method": method, "delivered_on": delivered_on.isoformat(), "recipient": recipient,
        },
    )  # fmt: skip


def _made_on(p, document) -> datetime.date | None:
    if document == DOC.OPINION:
        return p.replied_on
    if document in (DOC.REVIEW, DOC.REREVIEW):
        level = "review" if document == DOC.REVIEW else "rereview"
        review = p.reviews.filter(level=level, decided_on__isnull=False).order_by("pk").last()
        return review.decided_on if review else None
    return None


def delivered(p) -> dict[str, Delivery]:
    """The deliveries recorded on the case, by document, read from its timeline (the page's prefetch
    serves it: the delivery step writes what it recorded into its entry)."""
    found = {}
    for entry in p.timeline.all():
        if entry.action == RECORD_DELIVERY.name and entry.after.get("document"):
            after = entry.after
            found[after["document"]] = Delivery(
                document=after["document"], method=after.get("method", ""), recipient=after.get("recipient", ""),
                delivered_on=datetime.date.fromisoformat(after["delivered_on"]),
            )  # fmt: skip
    return found


def waiting_for_delivery(p, delivered_documents) -> str:
    """What the page says while a request window waits for the delivery it runs from ("" if none)."""
    if p.status == S.REPLIED and opens_review(p) and DOC.OPINION not in delivered_documents:
        return _(
            "The 30 days to request a review (复查, 信访工作条例 §35) run from the petitioner's receipt "
            "of the handling opinion; no delivery is recorded yet, so the period has not started."
        )
    if p.status == S.REVIEWED and DOC.REVIEW not in delivered_documents:
        return _(
            "The 30 days to request a re-review (复核, 信访工作条例 §36) run from the petitioner's "
            "receipt of the review opinion; no delivery is recorded yet, so the period has not started."
        )
    return ""


def _window_check(p, code, requested_on, what, document):
    deadline = deadlines.open_deadline_of(p, code)
    if deadline is None:
        if not p.deliveries.filter(document=document).exists():
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
            % {"what": what, "date": _date(deadline.due_date)}
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
                _("Only a handling opinion on a claim under §31(6) can be reviewed (信访工作条例 §35).")
            )
        if p.handling_unit is None:
            raise TransitionError(_("This petition has no handling unit whose opinion could be reviewed."))
        _window_check(p, "petition_review_request", requested_on, _("review (复查)"), DOC.OPINION)
        _send_up(p, "review", requested_on, p.handling_unit, (), details)
        deadlines.open_deadline(p, "petition_review", requested_on)

    return perform(REQUEST_REVIEW, Petition, petition_id, actor, apply, details=details)


def decide_review(petition_id, actor, *, outcome, opinion, decided_on=None):
    decided_on = decided_on or timezone.localdate()

    def apply(p):
        p.reviews.filter(level="review", decided_on__isnull=True).update(
            decided_on=decided_on, outcome=outcome, opinion=opinion
        )
        deadlines.close_open_deadline(p, "petition_review")

    return perform(DECIDE_REVIEW, Petition, petition_id, actor, apply, details={"outcome": outcome})


def request_rereview(petition_id, actor, *, requested_on):
    """§36: within 30 days of receiving the review opinion, to the body above the one that reviewed."""
    details = {}

    def apply(p):
        _window_check(p, "petition_rereview_request", requested_on, _("re-review (复核)"), DOC.REVIEW)
        reviewed = p.reviews.filter(level="review").select_related("reviewing_unit").order_by("pk").last()
        above = (reviewed.reviewing_unit if reviewed else None) or p.handling_unit
        _send_up(p, "rereview", requested_on, above, (p.handling_unit,), details)
        deadlines.open_deadline(p, "petition_rereview", requested_on)

    return perform(REQUEST_REREVIEW, Petition, petition_id, actor, apply, details=details)


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


def decide_rereview(petition_id, actor, *, outcome, opinion, decided_on=None):
    """§36: after 复核 the matter is finalised; the same facts are not accepted again."""
    decided_on = decided_on or timezone.localdate()

    def apply(p):
        if hearing_open(p):
            raise TransitionError(_("Record the end of the hearing first."))
        p.reviews.filter(level="rereview", decided_on__isnull=True).update(
            decided_on=decided_on, outcome=outcome, opinion=opinion
        )
        deadlines.close_open_deadline(p, "petition_rereview")
        p.closed_at = timezone.now()

    return perform(DECIDE_REREVIEW, Petition, petition_id, actor, apply, details={"outcome": outcome})


def finalize(petition_id, actor):
    """Finalise once the review window lapsed unused (a window that never started, because the
    opinion was not delivered, has not lapsed)."""

    def apply(p):
        if waiting_for_delivery(p, set(p.deliveries.values_list("document", flat=True))):
            raise TransitionError(
                _("The request period has not started: record the delivery of the opinion first.")
            )
        code = "petition_review_request" if p.status == S.REPLIED else "petition_rereview_request"
        deadline = deadlines.open_deadline_of(p, code)
        if deadline and deadline.due_date >= timezone.localdate():
            raise TransitionError(
                _("The request window is open until %(date)s.") % {"date": _date(deadline.due_date)}
            )
        if deadline:
            deadlines.cancel_deadline(deadline)
        p.closed_at = timezone.now()

    return perform(FINALIZE, Petition, petition_id, actor, apply)
