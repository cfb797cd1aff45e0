"""Petition letters as PDF: acceptance / non-acceptance notice, extension notice, handling opinion
(and the one redone after a revocation),
复查/复核 opinion, the notice of a skip-level referral, and the 交办 办结报告 to the assigning office.
A document exists only once a step that makes it is on the case's timeline
(``Step.documents``); before that its address answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.scoping_case import visible_case_or_404
from cases.pdf import pdf_response
from petitions.letters import TITLES, petition_document
from petitions.selectors import petition_detail_queryset
from petitions.workflow import TRANSITIONS


@login_required
def petition_pdf_view(request, pk, document):
    if document not in TITLES:
        raise Http404
    petition = visible_case_or_404(request.user, petition_detail_queryset, pk)
    if document not in TRANSITIONS.documents_made(petition):
        raise Http404
    return pdf_response(*petition_document(petition, document, request.user))
