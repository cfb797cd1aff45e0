"""Petition letters as PDF: acceptance / non-acceptance notice, handling opinion, 复查/复核 opinion."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.scoping import get_visible_case_or_404
from cases.pdf import pdf_response, render_pdf
from cases.pii import party_views
from petitions.models import PetitionStatus
from petitions.selectors import petition_detail_queryset

TITLES = {
    "acceptance": "信访事项受理告知书",
    "not_accepted": "信访事项不予受理告知书",
    "opinion": "信访事项处理意见书",
    "review": "信访事项复查意见书",
    "rereview": "信访事项复核意见书",
}


@login_required
def petition_pdf_view(request, pk, document):
    if document not in TITLES:
        raise Http404
    petition = get_visible_case_or_404(request.user, petition_detail_queryset(), pk=pk)
    context = {
        "petition": petition,
        "title": TITLES[document],
        "parties": party_views(request.user, petition, petition.parties.all(), f"pdf:{document}"),
    }
    if document in ("acceptance", "not_accepted"):
        if document == "not_accepted" and petition.status != PetitionStatus.NOT_ACCEPTED:
            raise Http404
        context["kind"] = "accept" if document == "acceptance" else "refuse"
        template = "reports/petition_notice.html"
    else:
        template = "reports/petition_opinion.html"
        if document == "opinion":
            if not petition.replied_on:
                raise Http404
        else:
            review = next((r for r in petition.reviews.all() if r.level == document and r.decided_on), None)
            if review is None:
                raise Http404
            context["review"] = review
    return pdf_response(render_pdf(template, context), f"{petition.number}-{TITLES[document]}.pdf")
