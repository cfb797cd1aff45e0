"""What a citizen sees of their own case: stages reached and their dates, the next limit the office
must meet, the handling unit (never a person), the documents addressed to them. Nothing else: no
timeline descriptions or reasons (internal notes), no other party's details, no handler's name.
"""

import copy

from django.http import Http404
from django.utils import timezone

from cases.models import CaseKind, DeadlineState
from mediation.documents import DOCUMENTS as DISPUTE_DOCUMENTS
from mediation.documents import available_documents, dispute_context
from mediation.evaluation import may_evaluate as may_evaluate_dispute
from mediation.models import Dispute
from petitions.delivered import delivered
from petitions.delivery import current_opinion, for_petitioner
from petitions.letters import TITLES as PETITION_TITLES
from petitions.letters import petition_document
from petitions.models import Petition, PetitionStatus
from petitions.reviewers import opens_review
from petitions.workflow import TRANSITIONS as PETITION_STEPS

# The closure report is the office's own record, not a letter to the parties.
PUBLIC_DISPUTE_DOCUMENTS = ("agreement", "termination")
EVALUABLE = {PetitionStatus.REPLIED, PetitionStatus.REVIEWED, PetitionStatus.FINALIZED}
ONLINE = "网上评价"


class Nobody:
    """The viewer of a document fetched by the citizen: no role, matches no ``entered_by``, so every
    party's details are masked as for a user without the right to see them (cases.pii)."""

    pk = -1
    is_superuser = False
    is_authenticated = False
    is_active = False


def specific(access):
    case = access.case
    model = Dispute if case.kind == CaseKind.DISPUTE else Petition
    return model.objects.select_related("handling_unit", "region").get(pk=case.pk)


def stages(case) -> list[dict]:
    """Each change of status on the timeline, with its date (Asia/Shanghai) and label."""
    labels = case.STATUS_LABELS
    out, last = [], None
    for entry in case.timeline.order_by("at", "pk").only("at", "after"):
        status = (entry.after or {}).get("status")
        if status and status != last:
            out.append({"on": timezone.localdate(entry.at), "label": labels.get(status, status)})
            last = status
    return out


# Limits that run for the party, not the office (a window to ask for confirmation or a review, the
# date the parties agreed to perform by): not "the office must act by".
PARTY_LIMITS = (
    "judicial_confirmation",
    "performance",
    "petition_review_request",
    "petition_rereview_request",
)


def next_deadline(case):
    """The next limit the office must meet."""
    return (
        case.deadlines.filter(state=DeadlineState.OPEN)
        .exclude(rule__code__in=PARTY_LIMITS)
        .select_related("rule")
        .order_by("due_at")
        .first()
    )


def documents(case) -> list[tuple[str, str]]:
    if isinstance(case, Dispute):
        made = available_documents(case)
        return [(slug, DISPUTE_DOCUMENTS[slug]) for slug in made if slug in PUBLIC_DISPUTE_DOCUMENTS]
    made = for_petitioner(PETITION_STEPS.documents_made(case))
    return [(slug, PETITION_TITLES[slug]) for slug in made]


def may_evaluate(case) -> bool:
    """满意/基本满意/不满意, once: a petition after the reply was delivered (送达) to the petitioner, a
    dispute once concluded (agreement recorded or mediation terminated)."""
    if isinstance(case, Dispute):
        return may_evaluate_dispute(case, ONLINE)
    if not isinstance(case, Petition) or case.status not in EVALUABLE:
        return False
    if current_opinion(case) not in delivered(case):
        return False
    return not case.evaluations.filter(way=ONLINE).exists()


def given_evaluation(case):
    """The evaluation the citizen gave online, shown back to them (petition or dispute alike)."""
    return case.evaluations.filter(way=ONLINE).order_by("-pk").first()


def review_window(case):
    """The open §35 window (its Deadline) for asking 复查 now, else None."""
    if not isinstance(case, Petition) or case.status != PetitionStatus.REPLIED or not opens_review(case):
        return None
    deadline = case.deadlines.filter(rule__code="petition_review_request", state=DeadlineState.OPEN).first()
    if deadline is not None and deadline.start_date <= timezone.localdate() <= deadline.due_date:
        return deadline
    return None


def may_ask_review(case) -> bool:
    """复查 within the §35 window that the delivery of the handling opinion opened."""
    return review_window(case) is not None


def document_pdf(case, slug) -> tuple[bytes, str]:
    """The PDF through the staff's own pipeline, parties masked, no handler named."""
    if slug not in dict(documents(case)):
        raise Http404
    shown = copy.copy(case)
    shown.handler = None  # the unit answers, not a person (never saved)
    if isinstance(case, Dispute):
        from cases.pdf import render_pdf
        from mediation.views.documents import TEMPLATES

        context = dispute_context(shown, Nobody(), f"public:{slug}")
        if slug == "agreement" and context["agreement"] is None:
            raise Http404
        return render_pdf(TEMPLATES[slug], context), f"{case.number}-{DISPUTE_DOCUMENTS[slug]}.pdf"
    return petition_document(shown, slug, Nobody())
