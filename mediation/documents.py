"""What the dispute documents show, shared by the download view and the batch job."""

from cases.pdf import render_pdf
from cases.pii import party_views
from mediation.models import Dispute, DisputeStatus
from mediation.workflow import TRANSITIONS

# The documents of a dispute by slug (the Step ``documents`` of mediation.workflow names them).
DOCUMENTS = {"agreement": "调解协议书", "termination": "终止调解通知书", "closure": "结案报告"}


def available_documents(dispute) -> list[str]:
    """The documents that exist now: those made by a step that lies on the dispute's timeline, in
    the order of DOCUMENTS (reads the prefetched timeline when there is one)."""
    taken = {entry.action for entry in dispute.timeline.all()}
    made = {slug for step in TRANSITIONS.values() if step.name in taken for slug in step.documents}
    if dispute.status == DisputeStatus.ARCHIVED and dispute.closed_at:
        # Imported from an old ledger as archived (no archive step on the portal): the file was
        # closed, so its closure report exists, as the monthly closure-report batch assumes.
        made.add("closure")
    return [slug for slug in DOCUMENTS if slug in made]


def _termination(timeline):
    """The last termination on the timeline: when, and the reason the mediator gave."""
    entries = [e for e in timeline if e.action == "terminate"]
    if not entries:
        return None
    return {"at": entries[-1].at, "reason": (entries[-1].after or {}).get("reason", "")}


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
        "termination": _termination(dispute.timeline.all()),
        "risk_reports": list(dispute.risk_reports.all()),
    }


def closure_report_pdf(dispute, user) -> bytes:
    return render_pdf("reports/closure_report.html", dispute_context(dispute, user, "batch:closure"))
