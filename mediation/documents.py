"""What the dispute documents show, shared by the download view and the batch job."""

from cases.pdf import render_pdf
from cases.pii import party_views
from mediation.models import Dispute


def agreement_of(dispute):
    """The dispute's agreement or None (the reverse one-to-one raises when there is none)."""
    try:
        return dispute.agreement
    except Dispute.agreement.RelatedObjectDoesNotExist:
        return None


def dispute_context(dispute, user, via="pdf") -> dict:
    """Personal data masked for roles that do not need it, as on the pages; full views recorded."""
    return {
        "dispute": dispute,
        "agreement": agreement_of(dispute),
        "parties": party_views(user, dispute, dispute.parties.all(), via),
        "copies": dispute.parties.count() + 1,
        "sessions": list(dispute.sessions.all()),
        "follow_ups": list(dispute.follow_ups.all()),
        "timeline": list(dispute.timeline.all()),
    }


def closure_report_pdf(dispute, user) -> bytes:
    return render_pdf("reports/closure_report.html", dispute_context(dispute, user, "batch:closure"))
