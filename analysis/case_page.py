"""What analysis adds to the case pages and the person look-up (registered with cases.page_extras in
analysis.apps.ready): the 包案 button, the dispute ↔ petition links, the 列为重点人员 button. Each
button asks the same permission function as the POST of its page (analysis.duty_units.
may_put_case_under_leader; accounts.scoping.may_use_key_persons)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import may_use_key_persons
from analysis import conversions
from analysis.duty_units import may_put_case_under_leader
from cases.page_extras import Button


def baoan_buttons(user, case) -> list[Button]:
    """领导包案 on an open case, for the users the 包案 page accepts. No query: a case already under
    a leader leads from the same button to its open 包案 (analysis.duty_views), so the case page
    keeps its fixed statement count (tests/cases/test_page_queries.py)."""
    if not may_put_case_under_leader(user) or case.closed_at is not None:
        return []
    return [
        Button(
            _("Put under a leader (包案)…"), reverse("analysis:baoan_case", args=[case.pk]), "outline-primary"
        )
    ]


def has_conversions():
    """Annotated on the case page's own query (cases.page_extras): a case with no link costs no
    statement for its section."""
    return conversions.has_links_q()


def conversion_section(user, case):
    if not getattr(case, "has_conversions", True):
        return None
    links = conversions.links_for(user, case)
    return {"case": case, "links": links} if links else None


def key_person_buttons(user, link) -> list[Button]:
    if link.is_organisation or not may_use_key_persons(user):
        return []
    return [
        Button(
            _("List as a key person"),
            reverse("analysis:key_person_from_party", args=[link.pk]),
            "outline-danger",
        )
    ]
