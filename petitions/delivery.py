"""送达: how and when each written notice or opinion reached the petitioner. The 复查 and 复核
request windows run from that receipt (信访工作条例 §35, §36), so delivering opens them."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.transitions import TransitionError, documents_made, perform, step
from petitions.delivered import RECORD_DELIVERY as DELIVERY_STEP
from petitions.delivered import delivered
from petitions.models import (
    UNIT_DOCUMENTS,
    Delivery,
    Petition,
    PetitionDocument,
    PetitionStatus,
)
from petitions.redo import latest_redone
from petitions.review_forms import DeliveryForm
from petitions.reviewers import (
    date_text,
    opens_review,
)

S = PetitionStatus
DOC = PetitionDocument
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR


# fmt: off
RECORD_DELIVERY = step(DELIVERY_STEP, _l("record delivery of a notice or opinion"), set(S.values), None,
                       {CLERK, HANDLER, SUP}, DeliveryForm, lambda pk, u, d: record_delivery(pk, u, **d), form_needs_case=True)
# fmt: on


def record_delivery(petition_id, actor, *, document, method, delivered_on, recipient=""):
    """送达: how and when a written notice or opinion reached the petitioner. Delivering the handling
    opinion opens the 30 days to request 复查 (§35), the review opinion those to request 复核 (§36):
    both run from receipt."""
    if delivered_on > timezone.localdate():
        raise TransitionError(_("The date lies in the future."))

    if document in UNIT_DOCUMENTS:
        raise TransitionError(_("This document goes to a unit, not to the petitioner."))

    def apply(p):
        if document not in documents_made(p):
            raise TransitionError(_("This petition has no such document yet."))
        # A window runs from the first receipt: a document is delivered once (once per making, for
        # the review and redone opinions a new round makes again; the row lock serialises this check).
        earlier = delivered(p).get(document)
        if earlier:
            raise TransitionError(
                _("This document was delivered on %(date)s.") % {"date": date_text(earlier.delivered_on)}
            )
        made_on = _made_on(p, document)
        if made_on and delivered_on < made_on:
            raise TransitionError(
                _("The document is dated %(date)s; it cannot have been delivered before.")
                % {"date": date_text(made_on)}
            )
        Delivery.objects.create(
            petition=p, document=document, method=method, delivered_on=delivered_on,
            recipient=recipient, recorded_by=actor,
        )  # fmt: skip
        if document == current_opinion(p) and p.status == S.REPLIED and opens_review(p):
            # §35: the handling opinion, or the one redone after a revocation (petitions.redo); the
            # first opinion delivered late after a redone one opens nothing.
            deadlines.open_deadline(p, "petition_review_request", delivered_on)
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
    if document == DOC.REFERRAL:
        return p.routed_on
    if document == DOC.REDONE:
        redone = latest_redone(p)
        return redone.redone_on if redone else None
    if document in (DOC.REVIEW, DOC.REREVIEW):
        level = "review" if document == DOC.REVIEW else "rereview"
        review = p.reviews.filter(level=level, decided_on__isnull=False).order_by("pk").last()
        return review.decided_on if review else None
    return None


def current_opinion(p) -> str:
    """The handling opinion the petitioner holds now: the one redone after a revocation, if any
    (its delivery opens §35 again), else the first (reads ``p.reviews.all()``)."""
    return DOC.REDONE if latest_redone(p) else DOC.OPINION


def for_petitioner(slugs) -> list[str]:
    """The documents among ``slugs`` that are delivered to the petitioner (not a unit's report)."""
    return [slug for slug in slugs if slug not in UNIT_DOCUMENTS]


def waiting_for_delivery(p, delivered_documents) -> str:
    """What the page says while a request window waits for the delivery it runs from ("" if none)."""
    opinion = current_opinion(p) if p.status == S.REPLIED else None
    if opinion == DOC.REDONE and opens_review(p) and DOC.REDONE not in delivered_documents:
        return _(
            "The 30 days to request a review (复查, 信访工作条例 §35) of the redone handling opinion run "
            "from the petitioner's receipt of it; no delivery is recorded yet, so the period has not started."
        )
    if opinion == DOC.OPINION and opens_review(p) and DOC.OPINION not in delivered_documents:
        return _(
            "The 30 days to request a review (Regulations on Letters and Visits, Art. 35) run from the petitioner's receipt "
            "of the handling opinion; no delivery is recorded yet, so the period has not started."
        )
    if p.status == S.REVIEWED and DOC.REVIEW not in delivered_documents:
        return _(
            "The 30 days to request a re-review (Regulations on Letters and Visits, Art. 36) run from the petitioner's "
            "receipt of the review opinion; no delivery is recorded yet, so the period has not started."
        )
    return ""
