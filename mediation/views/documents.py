"""Dispute documents as PDF (WeasyPrint): the mediation agreement (written or oral), the notice
terminating mediation and the closure report. A document exists only once the step that makes it
is on the case's timeline (the Step ``documents`` field): before that, 404. Personal data is
masked for roles that do not need it, as on the pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.scoping_case import visible_case_or_404
from cases.pdf import pdf_response, render_pdf
from mediation.documents import DOCUMENTS, available_documents, dispute_context
from mediation.selectors import dispute_detail_queryset

TEMPLATES = {
    "agreement": "reports/mediation_agreement.html",
    "termination": "reports/termination_notice.html",
    "closure": "reports/closure_report.html",
}


@login_required
def dispute_pdf_view(request, pk, document):
    if document not in TEMPLATES:
        raise Http404
    dispute = visible_case_or_404(request.user, dispute_detail_queryset, pk)
    if document not in available_documents(dispute):
        raise Http404
    context = dispute_context(dispute, request.user, f"pdf:{document}")
    agreement = context["agreement"]
    if document == "agreement" and agreement is None:
        raise Http404
    name = "口头协议登记表" if document == "agreement" and agreement.form == "oral" else DOCUMENTS[document]
    return pdf_response(render_pdf(TEMPLATES[document], context), f"{dispute.number}-{name}.pdf")
