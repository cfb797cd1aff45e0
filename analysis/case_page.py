"""What analysis adds to the case pages and the person look-up (registered with cases.page_extras in
analysis.apps.ready): the 包案 button, the dispute ↔ petition links, the 列为重点人员 button. Each
button asks the same permission function as the POST of its page (analysis.duty_units.
may_put_case_under_leader; accounts.scoping.may_use_key_persons)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import may_use_key_persons, visible_responsibilities
from analysis import conversions
from analysis.duty_models import Responsibility, ResponsibilityStatus
from analysis.duty_units import may_put_case_under_leader
from cases.page_extras import Button


def baoan_buttons(user, case) -> list[Button]:
    if not may_put_case_under_leader(user) or case.closed_at is not None:
        return []
    current = visible_responsibilities(
        user, Responsibility.objects.filter(case_id=case.pk, status=ResponsibilityStatus.OPEN)
    ).first()
    if current is not None:
        return [
            Button(
                _("Under 包案 of %(leader)s") % {"leader": current.leader},
                reverse("analysis:baoan", args=[current.pk]),
            )
        ]
    return [
        Button(
            _("Put under a leader (包案)…"), reverse("analysis:baoan_case", args=[case.pk]), "outline-primary"
        )
    ]


def conversion_section(user, case):
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
