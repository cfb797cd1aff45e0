"""The index of a dispute's case file (调解卷宗), in the order of the 司法部 document formats
(domain.md 3.4; 人民调解法 §27 requires registration, records and agreement to be filed)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# How a line of the index is known.
FROM_RECORDS = "records"  # produced from what the portal holds
ON_PAPER = "paper"  # a paper document; the archivist checks the physical file
ABSENT = "absent"  # not applicable, or not there yet


@dataclass(frozen=True)
class IndexLine:
    document: str
    required: bool  # marked 必须 in the template
    state: str
    detail: str = ""


def _day(value) -> str:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _from_records(document, required, condition, detail="") -> IndexLine:
    return IndexLine(document, required, FROM_RECORDS if condition else ABSENT, detail if condition else "")


def file_index(dispute, agreement) -> list[IndexLine]:
    """The 13 lines of the template; an oral agreement files its registration form as line 8.

    ``dispute`` comes from selectors.dispute_detail_queryset (parties, sessions, follow-ups and
    attachments prefetched), so this adds no query.
    """
    parties = list(dispute.parties.all())
    sessions = list(dispute.sessions.all())
    follow_ups = list(dispute.follow_ups.all())
    attachments = list(dispute.attachments.all())
    oral = agreement is not None and agreement.form == "oral"
    performed_on = agreement.performed_on if agreement else None
    confirmation = agreement is not None and agreement.confirmation_state != "none"
    has_agent = any(link.role == "agent" for link in parties)
    return [
        IndexLine(
            _("Application or registration form"), True, FROM_RECORDS,
            _("registered %(date)s") % {"date": _day(dispute.opened_at)},
        ),
        IndexLine(_("Notice of parties' rights and duties"), True, ON_PAPER),
        IndexLine(_("Identity documents"), True, ON_PAPER, _("%(count)d parties") % {"count": len(parties)}),
        IndexLine(_("Power of attorney"), False, ON_PAPER if has_agent else ABSENT),
        IndexLine(_("Investigation records"), False, ON_PAPER),
        IndexLine(
            _("Evidence"), False, FROM_RECORDS if attachments else ON_PAPER,
            _("%(count)d attachments") % {"count": len(attachments)} if attachments else "",
        ),
        _from_records(_("Mediation records"), True, sessions, "、".join(_day(s.held_at) for s in sessions)),
        _from_records(
            _("Oral agreement registration form") if oral else _("Mediation agreement"), True, agreement,
            agreement and _("effective %(date)s") % {"date": _day(agreement.effective_date)},
        ),
        _from_records(_("Proof of performance"), False, performed_on, performed_on and _day(performed_on)),
        _from_records(_("Follow-up records"), False, follow_ups, "、".join(_day(f.date) for f in follow_ups)),
        _from_records(
            _("Judicial confirmation documents"), False, confirmation,
            confirmation and f"{agreement.get_confirmation_state_display()} {agreement.confirmation_court}",
        ),
        IndexLine(_("Notes on the case file"), False, ON_PAPER),
        _from_records(
            _("Back cover"), True, dispute.closed_at,
            dispute.closed_at and _("archived %(date)s") % {"date": _day(dispute.closed_at)},
        ),
    ]  # fmt: skip
