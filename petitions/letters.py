"""Petition letters as PDF, for the staff pages (petitions.views.documents) and the petitioner's own
page (app public): what each document shows. A document exists only once a step that makes it is on
the case's timeline (``Step.documents``); the callers check that, and a missing part is Http404."""

from django.http import Http404

from cases.pdf import render_pdf
from cases.pii import party_views
from petitions.redo import latest_redone

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


def petition_document(petition, document, viewer) -> tuple[bytes, str]:
    """(PDF, file name) of ``document`` of ``petition`` with personal data as ``viewer`` may see it."""
    context = {
        "petition": petition,
        "title": TITLES[document],
        "parties": party_views(viewer, petition, petition.parties.all(), f"pdf:{document}"),
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
    return render_pdf(template, context), f"{petition.number}-{TITLES[document]}.pdf"
