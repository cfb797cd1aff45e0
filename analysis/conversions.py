"""Disputes turned petitions (矛盾纠纷转信访), kept as rows (analysis.link_models.Conversion).

``link_petitions(ids)`` links each petition to the earlier disputes of which its petitioner (a
natural person, by register identity) was a party, opened within ``HORIZON`` before it. It runs when
a petitioner is recorded on a petition (the party link's post_save, connected in
analysis.apps.ready, in the registering transaction) and in every warning scan for the petitions
created since its last run, which catches rows written without signals (bulk imports, the scale
seeder); the unique pair makes both idempotent. No case withheld from a unit (信访工作条例 §30) is
linked: the rows are read on case pages and in figures, and a link would tell the accused unit that
the accusation exists.

``converted_q(days)`` is the conversion-rate figure's test (a dispute whose applicant petitioned
within ``days`` after it was opened), read from the rows instead of from the parties.
"""

import datetime

from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef

from accounts.scoping import visible_cases
from analysis.link_models import Conversion
from cases.models import Case, CaseParty, PartyRole

# How far back a petition looks for its petitioner's disputes: at least the conversion rule's window
# (180 days by its seed; a rule set longer reads further, see horizon()).
HORIZON_DAYS = 365
DISPUTE_ROLES = (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY)


def horizon() -> datetime.timedelta:
    from analysis.models import WarningRule

    window = WarningRule.objects.filter(code="conversion").values_list("window_days", flat=True).first()
    return datetime.timedelta(days=max(HORIZON_DAYS, window or 0))


def link_petitions(petition_ids) -> int:
    """Write the missing links of these petitions; returns how many were written. Three queries."""
    petitioners = list(
        CaseParty.objects.filter(
            case_id__in=list(petition_ids),
            case__kind="petition",
            case__withheld_from_unit__isnull=True,
            role=PartyRole.PETITIONER,
            is_organisation=False,
        ).values_list("case_id", "person_id", "case__opened_at")
    )
    if not petitioners:
        return 0
    people = {person for _c, person, _o in petitioners}
    earliest = min(opened for _c, _p, opened in petitioners) - horizon()
    disputes: dict[int, list] = {}
    for person, case_id, opened, role in CaseParty.objects.filter(
        person_id__in=people,
        role__in=DISPUTE_ROLES,
        is_organisation=False,
        case__kind="dispute",
        case__withheld_from_unit__isnull=True,
        case__opened_at__gte=earliest,
    ).values_list("person_id", "case_id", "case__opened_at", "role"):
        disputes.setdefault(person, []).append((case_id, opened, role))
    limit = horizon()
    rows = {}
    for petition, person, opened in petitioners:
        for dispute, d_opened, role in disputes.get(person, ()):
            if d_opened <= opened and opened - d_opened <= limit:
                rows.setdefault((dispute, petition), (person, role))
    if not rows:
        return 0
    before = Conversion.objects.filter(petition_id__in={p for _d, p in rows}).count()
    Conversion.objects.bulk_create(
        [
            Conversion(dispute_id=d, petition_id=p, person_id=person, dispute_role=role)
            for (d, p), (person, role) in rows.items()
        ],
        ignore_conflicts=True,
    )
    return Conversion.objects.filter(petition_id__in={p for _d, p in rows}).count() - before


def party_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of a case party: a petitioner recorded on a petition links its disputes now."""
    if raw or not created or instance.role != PartyRole.PETITIONER or instance.is_organisation:
        return
    link_petitions([instance.case_id])


def converted_q(days: int) -> Exists:
    """A dispute whose applicant petitioned within ``days`` after it was opened (the conversion
    figure of the analysis pages: the warning rule ``conversion`` seen from the dispute)."""
    return Exists(
        Conversion.objects.filter(
            dispute_id=OuterRef("pk"),
            dispute_role=PartyRole.APPLICANT,
            petition__withheld_from_unit__isnull=True,
            petition__opened_at__lte=ExpressionWrapper(
                OuterRef("opened_at") + datetime.timedelta(days=days), output_field=DateTimeField()
            ),
        )
    )


def has_links_q() -> Exists:
    """Whether the case (OuterRef("pk")) is either end of a link."""
    return Exists(Conversion.objects.filter(dispute_id=OuterRef("pk"))) | Exists(
        Conversion.objects.filter(petition_id=OuterRef("pk"))
    )


def links_for(user, case) -> list[tuple[str, Case]]:
    """The case page's links: ("petition", the later petitions) for a dispute, ("dispute", the
    earlier disputes) for a petition — only the cases ``user`` may see."""
    if case.kind == "dispute":
        ids = Conversion.objects.filter(dispute_id=case.pk).values("petition_id")
        direction = "petition"
    else:
        ids = Conversion.objects.filter(petition_id=case.pk).values("dispute_id")
        direction = "dispute"
    others = visible_cases(user, Case.objects.filter(pk__in=ids)).order_by("opened_at", "pk")
    return [(direction, c) for c in others]
