from django import template
from django.utils.translation import gettext_lazy as _

from cases.citations import legal_basis
from cases.i18n import in_english, in_reader_language
from cases.timeline import FIELD_LABELS, VALUE_LABELS

register = template.Library()


@register.filter
def status_label(status, case):
    """The translated label of a status code of this case's type (its STATUS_LABELS)."""
    return getattr(case, "STATUS_LABELS", {}).get(status, status)


# Timeline keys shown on a case page, in this order; codes (status, outcome…) are shown elsewhere.
TIMELINE_FIELDS = {
    "handler": _("Mediator"),
    "handling_unit": _("Handling unit"),
    "party": _("Party"),
    "reason": _("Reason"),
    "referred_to": _("Referred to"),
    "court": _("Court"),
    "days": _("Days"),
    "consent": _("Both parties' consent"),
    "note": _("Note"),
    "previous_terms": _("Terms replaced"),
}


@register.filter
def timeline_changes(entry):
    """(label, before, after) for the recorded fields of a timeline entry; before is None when the
    entry recorded no earlier value."""
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for key, label in {**TIMELINE_FIELDS, **FIELD_LABELS}.items():
        if key in after and after[key] not in ("", None):
            old, new = before.get(key), after[key]
            values = VALUE_LABELS.get(key, {})
            if isinstance(new, str):
                old, new = values.get(old, old), values.get(new, new)
            rows.append((label, old if old != new else None, new))
    return rows


@register.filter
def reader_language(text):
    """A stored text (a timeline entry's description) in the reader's language (cases.i18n)."""
    return in_reader_language(text)


@register.filter
def legal_basis_note(text):
    """A deadline rule's legal basis in brackets after its computation, in the reader's language
    (cases.citations): full-width brackets in Chinese, as before, ordinary ones in English."""
    if not text:
        return ""
    if in_english():
        return f" ({legal_basis(text)})"
    return f"（{text}）"


@register.filter
def case_url(case):
    """The page of a case of any type (cases.handoffs.case_url)."""
    from cases.handoffs import case_url as url

    return url(case)


@register.filter
def deadline_explained(deadline):
    """How the due date was computed, in the reader's language (cases.deadlines.explained)."""
    from cases.deadlines import explained

    return explained(deadline)
