"""Petition letters as PDF: acceptance / non-acceptance notice, extension notice, handling opinion
(and the one redone after a revocation),
复查/复核 opinion, the notice of a skip-level referral, and the 交办 办结报告 to the assigning office.
A document exists only once a step that makes it is on the case's timeline
(``Step.documents``); before that its address answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.scoping import get_visible_case_or_404
from cases.pdf import pdf_response, render_pdf
from cases.pii import party_views
from petitions.redo import latest_redone
from petitions.selectors import petition_detail_queryset
from petitions.workflow import TRANSITIONS

TITLES = {
    "acceptance": "信访事项受理告知书",
    "not_accepted": "信访事项不予受理告知书",
    "extension": "信访事项延期办理告知书",
    "opinion": "信访事项处理意见书",
    "redone": "信访事项处理意见书（重新办理）",
    "review": "信访事项复查意见书",
    "rereview": "信访事项复核意见书",
    "referral": "信访事项转送告知书",
    "report": "交办信访事项办结报告",
}


@login_required
def petition_pdf_view(request, pk, document):
    if document not in TITLES:
        raise Http404
    petition = get_visible_case_or_404(request.user, petition_detail_queryset(), pk=pk)
    if document not in TRANSITIONS.documents_made(petition):
        raise Http404
    context = {
        "petition": petition,
        "title": TITLES[document],
        "parties": party_views(request.user, petition, petition.parties.all(), f"pdf:{document}"),
    }
    if document in ("acceptance", "not_accepted"):
        context["kind"] = "accept" if document == "acceptance" else "refuse"
        template = "reports/petition_notice.html"
    elif document == "extension":
        # The new end of the handling period (§34), as the deadline panel shows it.
        context["handle_deadline"] = next(
            (d for d in petition.deadlines.all() if d.rule.code == "petition_handle"), None
        )
        template = "reports/petition_extension.html"
    elif document == "referral":
        # §19, §23 ¶1: where the skip-level petition went, as the referring body wrote it then.
        entry = next((e for e in reversed(petition.timeline.all()) if e.action == "refer_down"), None)
        context["referral"] = entry
        template = "reports/petition_referral.html"
    elif document == "redone":
        # 信访工作条例 §35-36: the original unit's new opinion after a review revoked the first one.
        context["redone"] = latest_redone(petition)
        if context["redone"] is None:
            raise Http404
        template = "reports/petition_opinion.html"
    elif document == "report":
        # §22 ¶1(三): a report taken back with the matter (an objection agreed) no longer exists.
        if petition.reported_on is None:
            raise Http404
        template = "reports/petition_report.html"
    else:
        template = "reports/petition_opinion.html"
        if document != "opinion":
            # The latest decided one: a redone opinion reviewed again makes a new review opinion.
            decided = [r for r in petition.reviews.all() if r.level == document and r.decided_on]
            review = max(decided, key=lambda r: r.pk, default=None)
            if review is None:
                raise Http404
            context["review"] = review
    return pdf_response(render_pdf(template, context), f"{petition.number}-{TITLES[document]}.pdf")
