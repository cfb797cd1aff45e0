"""Dispute documents as PDF (WeasyPrint): the mediation agreement (written or oral) and the
closure report. Personal data is masked for roles that do not need it, as on the pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.scoping import get_visible_case_or_404
from cases.pdf import pdf_response, render_pdf
from mediation.documents import dispute_context
from mediation.selectors import dispute_detail_queryset

DOCUMENTS = {"agreement": "调解协议书", "closure": "结案报告"}


@login_required
def dispute_pdf_view(request, pk, document):
    if document not in DOCUMENTS:
        raise Http404
    dispute = get_visible_case_or_404(request.user, dispute_detail_queryset(), pk=pk)
    context = dispute_context(dispute, request.user, f"pdf:{document}")
    agreement = context["agreement"]
    if document == "agreement":
        if agreement is None:
            raise Http404
        data = render_pdf("reports/mediation_agreement.html", context)
        name = "口头协议登记表" if agreement.form == "oral" else DOCUMENTS[document]
    else:
        data = render_pdf("reports/closure_report.html", context)
        name = DOCUMENTS[document]
    return pdf_response(data, f"{dispute.number}-{name}.pdf")
