"""The rules about people and time: one person with many cases, a dispute followed by a petition of
the same person, a finalised petitioner who comes again, one respondent facing many people, a visit
of many people, and a dispute whose risk level was not responded to in time. Each reads
only what the scan hands it (the cases created since the last run), except the risk rule, which is
about time passing: it reads the unanswered disputes of the watched levels (a small set, through
the status index). Surges are in analysis.surge; docs/analysis.md explains every rule.
"""

from collections import defaultdict, namedtuple
from datetime import timedelta

from django.db.models import Count
from django.utils.translation import gettext as _

from analysis.findings import Finding, common_region
from cases.models import Case, CaseParty, PartyRole
from mediation.models import Dispute, DisputeStatus
from petitions.models import PetitionStatus, VisitBatch

# The parties who bring a case: a person "with N cases" brought them.
BRINGERS = (PartyRole.APPLICANT, PartyRole.PETITIONER)


def _cases(ids):
    """(ids, region codes, newest creation time) of the cases, one query."""
    rows = list(Case.objects.filter(pk__in=ids).values_list("pk", "region_id", "created_at"))
    return [r[0] for r in rows], [r[1] for r in rows], max(r[2] for r in rows)


def repeat_person(rule, changed, now) -> list[Finding]:
    """A person (their register identity: the keyed ID digest, else name + phone) who brought at
    least ``min_count`` cases opened in the last ``window_days``."""
    start = now - timedelta(days=rule.window_days)
    people = CaseParty.objects.filter(case__in=changed, role__in=BRINGERS, is_organisation=False).values(
        "person_id"
    )
    rows = (
        CaseParty.objects.filter(person_id__in=people, role__in=BRINGERS, case__opened_at__gte=start,
                                 case__opened_at__lte=now, case__withheld_from_unit__isnull=True)
        .values("person_id").annotate(n=Count("case_id", distinct=True)).filter(n__gte=rule.min_count)
    )  # fmt: skip
    findings = []
    for row in rows:
        links = CaseParty.objects.filter(
            person_id=row["person_id"], role__in=BRINGERS, case__opened_at__gte=start,
            case__opened_at__lte=now,
            case__withheld_from_unit__isnull=True,
        ).values_list("case_id", flat=True)  # fmt: skip
        ids, regions, newest = _cases(set(links))
        kinds = dict(Case.objects.filter(pk__in=ids).values_list("kind").annotate(n=Count("pk")))
        facts = {"count": len(ids), "days": rule.window_days, "disputes": kinds.get("dispute", 0),
                 "petitions": kinds.get("petition", 0)}  # fmt: skip
        findings.append(Finding(
            rule=rule, key=f"repeat:{row['person_id']}", region_code=common_region(regions),
            level=rule.responsible_level,
            title=_("One person, %(count)s cases in %(days)s days") % facts,
            summary=_("The same person brought %(count)s cases in the last %(days)s days "
                      "(%(disputes)s disputes, %(petitions)s petitions).") % facts,
            facts=facts, case_ids=ids, evidence_until=newest,
        ))  # fmt: skip
    return findings


# What the people rules read of a new petition (not the whole case and party link, whose ID numbers
# would be decrypted for nothing).
NewPetition = namedtuple("NewPetition", "pk number opened_at created_at")


def _new_petitioners(changed):
    """(petition, person id) for each natural-person petitioner of the petitions among ``changed``."""
    links = CaseParty.objects.filter(
        case__in=changed.filter(kind="petition"), role=PartyRole.PETITIONER, is_organisation=False
    ).order_by("case_id", "pk")
    rows = links.values_list("case_id", "case__number", "case__opened_at", "case__created_at", "person_id")
    return [(NewPetition(*petition), person) for *petition, person in rows]


def _links_of(pairs, **lookup):
    """Person id -> [(case id, opened at, closed at)] of the other cases of the new petitioners'
    identities matching ``lookup``, in one query for all of them (not one per petition)."""
    found = defaultdict(list)
    rows = CaseParty.objects.filter(
        person_id__in={person for _p, person in pairs}, case__withheld_from_unit__isnull=True, **lookup
    ).values_list("person_id", "case_id", "case__opened_at", "case__closed_at")
    for person, case_id, opened, closed in rows:
        found[person].append((case_id, opened, closed))
    return found


def conversion(rule, changed, now) -> list[Finding]:
    """A dispute turned petition (矛盾纠纷转信访): a new petition whose petitioner brought a dispute
    opened in the ``window_days`` before it. Mediation did not settle it; the two cases are linked
    on the warning."""
    pairs = _new_petitioners(changed)
    window = timedelta(days=rule.window_days)
    disputes_of = _links_of(pairs, role=PartyRole.APPLICANT, case__kind="dispute")
    findings = []
    for petition, person in pairs:
        start = petition.opened_at - window
        disputes = [c for c, opened, _closed in disputes_of[person] if start <= opened <= petition.opened_at]
        if not disputes:
            continue
        ids, regions, _newest = _cases({petition.pk, *disputes})
        facts = {"number": petition.number, "disputes": len(ids) - 1, "days": rule.window_days,
                 "named": [petition.pk]}  # fmt: skip
        findings.append(Finding(
            rule=rule, key=f"conversion:{petition.pk}", region_code=common_region(regions),
            level=rule.responsible_level,
            title=_("A dispute turned petition: %(number)s") % facts,
            summary=_("The petitioner of %(number)s brought %(disputes)s dispute(s) in the %(days)s days "
                      "before: the dispute was not settled where it arose.") % facts,
            facts=facts, case_ids=ids, evidence_until=petition.created_at,
        ))  # fmt: skip
    return findings


def returning(rule, changed, now) -> list[Finding]:
    """信访工作条例 §36: after 复核 the same request is not accepted again (终结). A finalised
    petitioner who petitions again is told to the unit, which must 疏导 rather than process the
    matter anew: a new petition whose petitioner has a petition finalised before it was opened."""
    pairs = _new_petitioners(changed)
    finalised_of = _links_of(
        pairs, role=PartyRole.PETITIONER, case__kind="petition", case__status=PetitionStatus.FINALIZED
    )
    findings = []
    for petition, person in pairs:
        finalised = [
            c for c, _opened, closed in finalised_of[person]
            if c != petition.pk and closed is not None and closed < petition.opened_at
        ]  # fmt: skip
        if not finalised:
            continue
        ids, regions, _newest = _cases({petition.pk, *finalised})
        facts = {"number": petition.number, "finalised": len(ids) - 1, "named": [petition.pk]}
        findings.append(Finding(
            rule=rule, key=f"returning:{petition.pk}", region_code=common_region(regions),
            level=rule.responsible_level,
            title=_("A finalised petitioner comes again: %(number)s") % facts,
            summary=_("The petitioner of %(number)s has %(finalised)s finalised petition(s) (信访工作条例 "
                      "§36); the matter needs persuasion (疏导), not a new round.") % facts,
            facts=facts, case_ids=ids, evidence_until=petition.created_at,
        ))  # fmt: skip
    return findings


def collective(rule, changed, now) -> list[Finding]:
    """An organisation named as respondent on cases brought by at least ``min_count`` distinct people
    in the last ``window_days`` (wage arrears, land, demolition)."""
    start = now - timedelta(days=rule.window_days)
    respondents = set(
        CaseParty.objects.filter(case__in=changed, role=PartyRole.RESPONDENT, is_organisation=True)
        .values_list("person_id", flat=True)
    )  # fmt: skip
    # Every respondent's cases in the window and the people who brought them: two queries for all
    # of them, not two per respondent (~160 respondents on a province day).
    in_window = CaseParty.objects.filter(
        person_id__in=sorted(respondents), role=PartyRole.RESPONDENT, case__opened_at__gte=start,
        case__opened_at__lte=now, case__withheld_from_unit__isnull=True,
    )  # fmt: skip
    cases_of = defaultdict(set)
    for respondent, case_id in in_window.values_list("person_id", "case_id"):
        cases_of[respondent].add(case_id)
    bringers_of = defaultdict(set)
    bringers = CaseParty.objects.filter(case_id__in=in_window.values("case_id"), role__in=BRINGERS)
    for case_id, person in bringers.values_list("case_id", "person_id"):
        bringers_of[case_id].add(person)
    findings = []
    for respondent in sorted(respondents):
        case_ids = cases_of[respondent]
        people = len({person for case_id in case_ids for person in bringers_of[case_id]})
        if people < rule.min_count:
            continue
        ids, regions, newest = _cases(case_ids)
        facts = {"people": people, "count": len(ids), "days": rule.window_days}
        findings.append(Finding(
            rule=rule, key=f"collective:{respondent}", region_code=common_region(regions),
            level=rule.responsible_level,
            title=_("One respondent, %(people)s people in %(days)s days") % facts,
            summary=_("%(people)s different people brought %(count)s cases against the same respondent "
                      "in the last %(days)s days.") % facts,
            facts=facts, case_ids=ids, evidence_until=newest,
        ))  # fmt: skip
    return findings


def large_visit(rule, since, now) -> list[Finding]:
    """A visit (一批) recorded since the last scan with at least ``min_count`` people."""
    visits = VisitBatch.objects.filter(
        created_at__gt=since, created_at__lte=now, head_count__gte=rule.min_count,
        petition__withheld_from_unit__isnull=True,
    ).select_related("petition")  # fmt: skip
    findings = []
    for visit in visits:
        petition = visit.petition
        facts = {"people": visit.head_count, "number": petition.number, "date": visit.visited_on.isoformat(),
                 "named": [petition.pk]}  # fmt: skip
        findings.append(Finding(
            rule=rule, key=f"visit:{visit.pk}", region_code=petition.region_id, level=rule.responsible_level,
            title=_("A visit of %(people)s people: %(number)s") % facts,
            summary=_("%(people)s people came together on %(date)s about petition %(number)s.") % facts,
            facts=facts, case_ids=[petition.pk], evidence_until=visit.created_at,
        ))  # fmt: skip
    return findings


def risk_response(rule, now) -> list[Finding]:
    """A dispute of a watched risk level still only registered ``response_hours`` after it was
    opened: a warning to the governance centre of its ``escalate_to_level``, and an entry on the
    dispute's own timeline."""
    findings = []
    for level in rule.risk_levels.all():
        due = now - timedelta(hours=level.response_hours)
        late = Dispute.objects.filter(
            status=DisputeStatus.REGISTERED, risk_level=level, opened_at__lt=due, closed_at__isnull=True,
            withheld_from_unit__isnull=True,
        ).order_by("pk")  # fmt: skip
        for dispute in late:
            facts = {"number": dispute.number, "level": level.name, "hours": level.response_hours,
                     "named": [dispute.pk],
                     "escalated_to": level.escalate_to_level}  # fmt: skip
            findings.append(Finding(
                rule=rule, key=f"risk:{dispute.pk}", region_code=dispute.region_id,
                level=level.escalate_to_level,
                title=_("%(level)s dispute not responded to within %(hours)s hours: %(number)s") % facts,
                summary=_("Dispute %(number)s, risk level %(level)s, is still only registered %(hours)s "
                          "hours after it was opened; the warning goes to the level that handles this "
                          "risk.") % facts,
                facts=facts, case_ids=[dispute.pk],
                # Fixed for the dispute: the pattern raises once, however often the scan runs.
                evidence_until=dispute.opened_at + timedelta(hours=level.response_hours),
                timeline_cases=[dispute],
            ))  # fmt: skip
    return findings
