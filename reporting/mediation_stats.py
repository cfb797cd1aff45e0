"""Monthly mediation statistics (domain.md 3.8): cases, success rate, source, agreements,
amounts, parties and prevented escalations, by region and by category.

The figures follow the disputes registered in the period (a cohort): each is counted once, with
its outcome as recorded when the report is made. The month-end freeze keeps what was reported.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_cases
from accounts.scoping_regions import visible_cases_in_region
from cases.i18n import localized
from mediation.models import (
    AgreementForm,
    ConfirmationState,
    Dispute,
    DisputeCategory,
    DisputeEvaluation,
    DisputeSource,
    DisputeStatus,
    JointMediation,
    RiskReport,
    RouteChannel,
    RouteOutcome,
)
from reporting import inspection_stats, tables
from reporting.periods import Period
from reporting.petition_stats import satisfied_values
from reporting.tables import (
    Column,
    Sheet,
    assemble,
    counts_of,
    group_expression,
    grouped,
    member_ids,
    members_of,
    narrow_to_row,
    row_regions,
)

ACTIVE = (DisputeSource.GRID_INSPECTION,)
APPLIED = (DisputeSource.APPLICATION, DisputeSource.WALK_IN, DisputeSource.PHONE)
REFERRED = (
    DisputeSource.REFERRED_COURT, DisputeSource.REFERRED_POLICE,
    DisputeSource.REFERRED_PETITION, DisputeSource.REFERRED_DEPARTMENT,
)  # fmt: skip
NOT_ACCEPTED = (DisputeStatus.REGISTERED, DisputeStatus.DECLINED, DisputeStatus.REFERRED)
# Sums rather than counts: not drillable to a list of the same length.
SUMS = {"amount": "agreement__amount", "parties": "people_involved", "route_days": "route_days"}


def metric_filters(categories) -> dict[str, Q]:
    accepted = ~Q(status__in=NOT_ACCEPTED)
    agreed = Q(agreement__isnull=False)
    terminated = ~Q(termination_route="")
    filters = {
        "registered": Q(),
        "accepted": accepted,
        "not_accepted": Q(status__in=[DisputeStatus.DECLINED, DisputeStatus.REFERRED]),
        "success": accepted & agreed,
        "terminated": accepted & terminated & ~agreed,
        "in_progress": accepted & ~agreed & ~terminated,
        # 参评率 and 满意率 as for petitions (docs/statistics.md), over the cohort: can be evaluated =
        # concluded (agreement or termination); evaluated = at least one party's evaluation (app
        # public); satisfied = the latest one satisfied (or basically, as configured).
        "evaluable": accepted & (agreed | terminated),
        "evaluated": accepted
        & (agreed | terminated)
        & Q(pk__in=DisputeEvaluation.objects.values("dispute_id")),
        "satisfied": accepted & (agreed | terminated) & Q(pk__in=latest_satisfied()),
        "source_active": accepted & Q(source__in=ACTIVE),
        "source_applied": accepted & Q(source__in=APPLIED),
        "source_referred": accepted & Q(source__in=REFERRED),
        "written": agreed & Q(agreement__form=AgreementForm.WRITTEN),
        "oral": agreed & Q(agreement__form=AgreementForm.ORAL),
        "confirmation_applied": agreed & ~Q(agreement__confirmation_state=ConfirmationState.NONE),
        "confirmed": agreed & Q(agreement__confirmation_state=ConfirmationState.CONFIRMED),
        "performed": agreed & Q(agreement__performed_on__isnull=False),
        "prevented_criminal": Q(prevented_criminal_case=True),
        # 人民调解法 §25: reported to the police or government as liable to turn violent. A subquery,
        # not a join, so a dispute reported twice counts once and the other figures keep their rows.
        "risk_reported": Q(pk__in=RiskReport.objects.values("dispute_id")),
        "prevented_mass_petition": Q(prevented_mass_petition=True),
    }
    for category in categories:
        filters[f"category_{category.pk}"] = accepted & Q(category_id=category.pk)
    return {**filters, **route_filters()}


def latest_satisfied():
    """The disputes whose latest evaluation (by date, then entry) counts as satisfied. Subqueries,
    not joins: a dispute evaluated twice counts once and the other figures keep their rows."""
    later = DisputeEvaluation.objects.filter(dispute_id=OuterRef("dispute_id")).filter(
        Q(given_on__gt=OuterRef("given_on")) | Q(given_on=OuterRef("given_on"), pk__gt=OuterRef("pk"))
    )
    return (
        DisputeEvaluation.objects.filter(value__in=satisfied_values())
        .exclude(Exists(later))
        .values("dispute_id")
    )


def route_filters() -> dict[str, Q]:
    """多元化解 (mediation.routes): each dispute counted by its latest route, kept on the dispute row
    (``route_channel``, ``route_outcome``, ``route_days``), so no figure joins the routes."""
    routed = ~Q(route_channel="")
    filters = {"routed": routed}
    for channel in RouteChannel.values:
        filters[f"route_{channel}"] = Q(route_channel=channel)
    filters["route_returned"] = routed & ~Q(route_outcome="")
    for outcome in RouteOutcome.values:
        filters[f"route_{outcome}"] = routed & Q(route_outcome=outcome)
    filters["route_out"] = routed & Q(route_outcome="")
    # A subquery, not a join: a dispute mediated jointly twice counts once.
    filters["joint"] = Q(pk__in=JointMediation.objects.values("dispute_id"))
    return filters


SUMMARY = (
    ("registered", _("Disputes registered"), "件", _("Disputes registered in the period (the cohort every other figure follows)."), None),
    ("accepted", _("Accepted for mediation"), "件", _("Of the cohort, disputes accepted (not declined, not referred elsewhere, not still awaiting acceptance)."), None),
    ("not_accepted", _("Declined or referred"), "件", _("Of the cohort, disputes declined or referred to another body."), None),
    ("success", _("Mediated successfully"), "件", _("Accepted disputes with a written or oral agreement."), None),
    ("success_rate", _("Success rate"), "%", _("Mediated successfully ÷ accepted."), ("success", "accepted")),
    ("terminated", _("Mediation terminated"), "件", _("Accepted disputes whose mediation was terminated without agreement (People's Mediation Law, Art. 26)."), None),
    ("in_progress", _("Still being mediated"), "件", _("Accepted disputes with neither an agreement nor a termination yet."), None),
    ("evaluable", _("Can be evaluated"), "件", _("Accepted disputes of the cohort concluded: with an agreement or a terminated mediation."), None),
    ("evaluated", _("Evaluated"), "件", _("Of those, disputes a party evaluated online (public channel) at least once."), None),
    ("evaluation_rate", _("Evaluation rate"), "%", _("Evaluated ÷ can be evaluated."), ("evaluated", "evaluable")),
    ("satisfied", _("Satisfied"), "件", _("Of the evaluated, the latest evaluation is satisfied (or basically satisfied, as configured)."), None),
    ("satisfaction_rate", _("Satisfaction rate"), "%", _("Satisfied ÷ evaluated."), ("satisfied", "evaluated")),
    ("source_active", _("Source: found by inspection"), "件", _("Accepted disputes found by grid inspection (active mediation)."), None),
    ("source_applied", _("Source: party's application"), "件", _("Accepted disputes brought by a party: application, walk-in or phone (mediation on application)."), None),
    ("source_referred", _("Source: referred"), "件", _("Accepted disputes referred by a court, the police, the petition office or a department (mediation on referral)."), None),
    ("written", _("Written agreements"), "件", _("Agreements in writing (§29)."), None),
    ("oral", _("Oral agreements"), "件", _("Oral agreements recorded by the mediator (§28, §30)."), None),
    ("amount", _("Amount agreed"), "万元", _("Sum of the amounts in the agreements, in units of 10,000 yuan."), None),
    ("parties", _("People involved"), "人", _("Sum of the people involved in the disputes of the cohort."), None),
    ("confirmation_applied", _("Judicial confirmation applied"), "件", _("Agreements for which the parties applied for judicial confirmation (§33)."), None),
    ("confirmed", _("Judicially confirmed"), "件", _("Agreements the court confirmed."), None),
    ("performed", _("Performed"), "件", _("Agreements recorded as performed."), None),
    ("prevented_criminal", _("Prevented criminal cases"), "件", _("Disputes marked at archiving as having prevented a civil dispute from turning into a criminal case."), None),
    ("risk_reported", _("Risks of violence reported"), "件", _("Disputes reported to the police or the township government as liable to turn violent (People's Mediation Law, Art. 25)."), None),
    ("prevented_mass_petition", _("Prevented mass petitions"), "件", _("Disputes marked at archiving as having prevented a mass petition."), None),
)  # fmt: skip


BY_ROUTE = (
    ("routed", _("Routed to another channel"), "件", _("Disputes of the cohort sent to another channel, counted once by their latest route."), None),
    ("route_committee", _("To an industry or professional committee"), "件", _("Latest route: an industry or professional mediation committee (labour, medical, traffic, property, family …)."), None),
    ("route_court", _("To a court (pre-litigation mediation)"), "件", _("Latest route: a court, for pre-litigation mediation, with its case number."), None),
    ("route_administrative", _("To administrative mediation"), "件", _("Latest route: an administrative department."), None),
    ("route_arbitration", _("To arbitration"), "件", _("Latest route: arbitration."), None),
    ("route_returned", _("Result back"), "件", _("Routed disputes whose result came back."), None),
    ("route_success", _("Mediated there"), "件", _("Routed disputes whose result was a successful mediation."), None),
    ("route_failed", _("Not mediated there"), "件", _("Routed disputes whose result was that mediation failed."), None),
    ("route_other", _("Ended otherwise"), "件", _("Routed disputes that ended otherwise (withdrawn, judged …)."), None),
    ("route_out", _("Still out"), "件", _("Routed disputes whose result has not come back yet."), None),
    ("route_days", _("Days out, in total"), "天", _("Sum over the disputes whose result came back of the calendar days from the route to the result."), None),
    ("route_mean_days", _("Days out, on average"), "天", _("Days out, in total ÷ result back."), ("route_days", "route_returned", "mean")),
    ("joint", _("Joint mediation"), "件", _("Disputes of the cohort mediated jointly by several units."), None),
)  # fmt: skip


def columns(definitions, filters):
    def column(key, label, unit, formula, of):
        if of is not None and len(of) == 3:  # an average of a sum over a count
            return Column(key, label, unit, formula, mean=of[:2])
        return Column(key, label, unit, formula, q=filters.get(key) if of is None else None, rate=of)

    return tuple(column(*definition) for definition in definitions)


def categories():
    return list(DisputeCategory.objects.order_by("position", "pk"))


def sheets(filters, dispute_categories) -> list[Sheet]:
    by_category = [
        (f"category_{c.pk}", localized(c), "件", _("Accepted disputes of the cohort in this category."), None)
        for c in dispute_categories
    ]
    return [
        Sheet("summary", _("Summary table"), columns(SUMMARY, filters)),
        Sheet("category", _("By category"), columns(by_category, filters)),
        Sheet("route", _("By route"), columns(BY_ROUTE, filters)),
    ]


def cohort(user, region, period: Period):
    start, end = period.bounds()
    return visible_cases_in_region(
        user, Dispute.objects.filter(opened_at__gte=start, opened_at__lt=end), region.prefix
    )


def _counts(user, region, period: Period, length: int, filters: dict, by_case: bool = False) -> dict:
    aggregates = {key: Count("pk", filter=q) for key, q in filters.items()}
    aggregates["amount"] = Coalesce(Sum(SUMS["amount"]), Decimal(0))
    aggregates["parties"] = Coalesce(Sum(SUMS["parties"]), 0)
    aggregates["route_days"] = Coalesce(Sum(SUMS["route_days"]), 0)
    return grouped(
        cohort(user, region, period).annotate(grp=group_expression(length)), "pk", by_case, **aggregates
    )


def _in_ten_thousands(counts: dict) -> dict:
    """协议涉及金额 in 万元: each row's sum of yuan ÷ 10,000 (summed unrounded)."""
    for values in counts.values():
        values["amount"] = Decimal(values.get("amount", 0)) / 10000
    return counts


def compute(user, region, period: Period) -> dict:
    dispute_categories = categories()
    filters = metric_filters(dispute_categories)
    length, children = row_regions(region)
    counts = _in_ten_thousands(_counts(user, region, period, length, filters))
    results = [
        assemble(sheet, region, length, children, counts) for sheet in sheets(filters, dispute_categories)
    ]
    return {"sheets": results, "comparison": []}


def live_sheets(user, region, period: Period) -> list:
    """Sheets shown after the cohort's, always live and never frozen (reporting.reports): the
    grids' inspection ledger (排查台账), whose figures are ledger entries, not cases."""
    return [inspection_stats.sheet(user, region, period)]


def frozen(user, region, period: Period):
    """The report's sheets as ``compute`` makes them for ``user``, and the disputes behind them (for
    the month-end freeze), the figures added up from that membership (see petition_stats.frozen)."""
    dispute_categories = categories()
    filters = metric_filters(dispute_categories)
    length, children = row_regions(region)
    members = members_of(_counts(user, region, period, length, filters, by_case=True), filters, SUMS)
    return from_members(members, None, sheets(filters, dispute_categories), region, children), members


def from_members(members: dict, keep, report_sheets, region, children) -> list:
    """Sheets added up from a frozen membership, over the cases in ``keep`` (all when None)."""
    counts = _in_ten_thousands(counts_of(members, keep))
    return [assemble(sheet, region, None, children, counts) for sheet in report_sheets]


def drill_label(period: Period, column_key: str) -> str | None:
    """The label of a figure with disputes behind it (None for another key), without counting."""
    dispute_categories = categories()
    return tables.drill_label(sheets(metric_filters(dispute_categories), dispute_categories), column_key)


def drill(user, region, period: Period, column_key: str, row_key: str):
    filters = metric_filters(categories())
    if column_key not in filters:
        return Dispute.objects.none()
    qs = narrow_to_row(cohort(user, region, period).filter(filters[column_key]), region, row_key)
    return qs.select_related("region", "category").order_by("opened_at", "pk")


def frozen_drill(user, region, members: dict, column_key: str, row_key: str):
    """The disputes counted in one figure of a frozen report that ``user`` may see."""
    _length, children = row_regions(region)
    ids = member_ids(members, column_key, row_key, [key for key, _name in children])
    qs = visible_cases(user, Dispute.objects.filter(pk__in=ids))
    return qs.select_related("region", "category").order_by("opened_at", "pk")
