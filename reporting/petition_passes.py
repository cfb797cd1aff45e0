"""The passes that count monthly petition figures (reporting.petition_stats defines the figures and
assembles the report): petitions received, the others a period can count, their deadlines and their
visits, each one grouped query by row (or by row and petition, for the month-end freeze).
"""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr

from accounts.models import RegionLevel
from accounts.scoping_regions import visible_cases_in_region, wholly_visible_within
from cases.models import Case, CaseKind, Deadline, DeadlineRule, DeadlineState
from petitions.models import Channel, Evaluation, Petition, VisitBatch
from reporting.periods import Period
from reporting.tables import group_expression, grouped
from supervision.pglocal import swap

# The organ's own time limits (信访工作条例 §22 route, §23 notice, §34 handling, §35-36 review
# opinions, §22 ¶1(三) the 交办 report, and the original unit's handling again or carrying out after a
# review revoked or varied its opinion, §35-36); the petitioner's request windows are not the organ's
# to be late on.
FOLLOWUP_RULE = "petition_review_followup"
ORGAN_RULES = (
    "petition_route", "petition_notice", "petition_handle", "petition_review", "petition_rereview",
    "petition_assigned_report", FOLLOWUP_RULE,
)  # fmt: skip
# No petition can be counted by a period that begins more than this long after it closed: its
# longest obligation (60 + 30 days of handling, §34, rolled past holidays) starts before it closes.
# Except one: the follow-up a 复核 orders as it finalises the matter (§36) starts at the closing and
# stays overdue until reported, so deadline_holders adds those petitions by their deadline.
PREFILTER_MARGIN_DAYS = 200


def within(period: Period):
    return (period.start, period.end)


def scoped_petitions(user, region):
    return visible_cases_in_region(user, Petition.objects.all(), region.prefix)


def evaluation_facts() -> dict:
    evaluations = Evaluation.objects.filter(petition_id=OuterRef("pk"))
    return {
        "evaluated": Exists(evaluations),
        "last_evaluation": Subquery(evaluations.order_by("-given_on", "-pk").values("value")[:1]),
    }


def compared_periods(period: Period) -> dict[str, Period]:
    return {"previous": period.previous(), "year_before": period.year_before()}


# The visit figures are sums over visits, not counts of petitions; a frozen report keeps each
# petition's share of them.
VISIT_SUMS = ("visit_batches", "visit_persons", "collective_batches", "collective_persons")


def visit_counts(user, region, period: Period, length: int, by_case: bool = False) -> dict:
    """批 and 人次 by row: visits dated in the period of petitions the user sees in the region, and
    the person-times of the compared periods."""
    this = Q(visited_on__range=within(period))
    collective = this & Q(petition__is_collective=True)
    compared = compared_periods(period)
    dated = this
    for other in compared.values():
        dated |= Q(visited_on__range=within(other))
    return grouped(
        # The visible cases of the region, not its petitions: a visit's petition is one, and the
        # cases' covering index alone answers (a county: 160 -> 60 ms, docs/performance.md).
        VisitBatch.objects.filter(
            dated,
            petition_id__in=visible_cases_in_region(user, Case.objects.all(), region.prefix).values("pk"),
        ).annotate(grp=Substr("petition__region_id", 1, length)),
        "petition_id",
        by_case,
        visit_batches=Count("pk", filter=this),
        visit_persons=Coalesce(Sum("head_count", filter=this), 0),
        collective_batches=Count("pk", filter=collective),
        collective_persons=Coalesce(Sum("head_count", filter=collective), 0),
        **{
            f"{key}_visit_persons": Coalesce(Sum("head_count", filter=Q(visited_on__range=within(other))), 0)
            for key, other in compared.items()
        },
    )


# Figures read from the deadlines table in a pass of their own (one scan of the deadlines that can
# count, not five lookups per petition); each counts petitions, as the drill-down's EXISTS does.
DEADLINE_METRICS = ("notice_due", "notice_on_time", "handle_due", "handle_on_time", "overdue")


def deadline_conditions(period: Period) -> dict[str, Q]:
    elapsed = period.elapsed_end()
    after_elapsed = Period(elapsed, elapsed).bounds()[1]
    due = Q(due_date__gte=period.start, due_date__lte=elapsed)
    # 按期办结 counts concluded matters only: a handling limit closed without a handling opinion
    # (diverted or not accepted; rows closed as "met" before the workflow cancelled them) is not
    # applicable, so it is neither due nor on time.
    concluded = Q(case__petition__replied_on__isnull=False)
    handle = due & Q(rule__code="petition_handle") & ~(Q(state=DeadlineState.MET) & ~concluded)
    return {
        "notice_due": due & Q(rule__code="petition_notice"),
        "notice_on_time": due & Q(rule__code="petition_notice", met_on_time=True),
        "handle_due": handle,
        "handle_on_time": handle & concluded & Q(met_on_time=True),
        "overdue": Q(rule__code__in=ORGAN_RULES, due_date__lte=elapsed)
        & (Q(met_at__isnull=True) | Q(met_at__gte=after_elapsed)),
    }


def _holding(region, period: Period, case: str = "") -> Q:
    """The closing condition of ``deadline_holders`` on the case's own columns: open, closed less
    than PREFILTER_MARGIN_DAYS before the period began, or holding a follow-up still unreported
    (``case``: the path to the case, for a condition on its deadlines)."""
    margin = period.start - datetime.timedelta(days=PREFILTER_MARGIN_DAYS)
    margin_dt = Period(margin, margin).bounds()[0]
    start_dt = period.bounds()[0]
    # A follow-up still unreported when the period began, however long ago its case closed (few rows:
    # only reviews that revoked or varied an opinion make one).
    # Found through the deadlines' rule index, with the rule's ids read first (known only by its
    # code, the rule made the database read every deadline of the province for this short list:
    # 0.4 s at province scale, whatever the region), and within the region (docs/performance.md).
    rules = list(DeadlineRule.objects.filter(code=FOLLOWUP_RULE).values_list("pk", flat=True))
    followups = Deadline.objects.filter(
        rule_id__in=rules, due_date__lte=period.end, case__region__code__startswith=region.prefix
    ).filter(Q(met_at__isnull=True) | Q(met_at__gte=start_dt))
    closed_at = f"{case}closed_at"
    return (
        Q(**{f"{closed_at}__isnull": True})
        | Q(**{f"{closed_at}__gte": margin_dt})
        | Q(**{"case_id__in" if case else "pk__in": followups.values("case_id")})
    )


def deadline_holders(user, region, period: Period):
    """Petitions that can hold a deadline the figures count: received by the end of the period and
    not closed more than PREFILTER_MARGIN_DAYS before it began (see that constant)."""
    return scoped_petitions(user, region).filter(_holding(region, period), received_on__lte=period.end)


def _held(user, region, period: Period) -> Q:
    """Deadlines of ``deadline_holders``, for the deadline pass. Below the province, in two halves:
    the closing condition on the cases alone (read from the region's covering index), the date
    received on the few deadline rows found. As one petition subquery it made PostgreSQL read the
    whole petition table for the date: a county, 1M rows for its ~6,000 holders (300 -> 90 ms,
    docs/performance.md). The province's region is the whole table, which is read either way, and
    the petitions are the narrower one."""
    if region.level <= RegionLevel.PROVINCE:
        whole = wholly_visible_within(user, region.prefix)
        if whole is not None:
            # The province seen whole: its holders' conditions on the deadline's own case and
            # petition, joined once for the row and the reply anyway. As a semi-join with the
            # petitions it was four index lookups per deadline for 78,000 deadlines, not two
            # (630 -> 515 ms, docs/performance.md).
            held = (
                Q(case__region__code__startswith=region.prefix)
                & Q(case__petition__received_on__lte=period.end)
                & _holding(region, period, case="case__")
            )
            (withheld_from,) = whole
            return held & ~Q(case__withheld_from_unit_id=withheld_from) if withheld_from is not None else held
        return Q(case_id__in=deadline_holders(user, region, period).values("pk"))
    holders = visible_cases_in_region(user, Case.objects.filter(kind=CaseKind.PETITION), region.prefix)
    return Q(case_id__in=holders.filter(_holding(region, period)).values("pk")) & Q(
        case__petition__received_on__lte=period.end
    )


def deadline_counts(user, region, period: Period, length: int, by_case: bool = False) -> dict:
    conditions = deadline_conditions(period)
    elapsed = period.elapsed_end()
    after_elapsed = Period(elapsed, elapsed).bounds()[1]
    # Every condition above in terms of the deadline's own indexed columns, so the database can
    # combine the due-date and met-at indexes instead of reading every deadline.
    # Three branches, one per index: due in the period (deadline_due_date), never met
    # (deadline_unmet_due), met after the period (deadline_met_at).
    candidates = (
        Q(due_date__gte=period.start, due_date__lte=elapsed)
        | Q(due_date__lte=elapsed, met_at__isnull=True)
        | Q(due_date__lte=elapsed, met_at__gte=after_elapsed)
    )
    deadlines = (
        Deadline.objects.filter(_held(user, region, period))
        .filter(candidates, rule__code__in=ORGAN_RULES)
        .exclude(state=DeadlineState.CANCELLED)
        .annotate(grp=Substr("case__region_id", 1, length))
    )
    aggregates = {key: Count("case_id", distinct=True, filter=q) for key, q in conditions.items()}
    if connection.vendor != "postgresql":
        return grouped(deadlines, "case_id", by_case, **aggregates)
    # The petitions a county holds are estimated at ~5 times what they are (the region, §30 and
    # closing conditions together), so at PostgreSQL's default cost of a random read the planner
    # scans all 1M petitions to join a few thousand; at the cost of a read from memory or SSD it
    # looks them up (docs/performance.md, issue 22 session 22). For this statement only, in the
    # caller's transaction or one of its own (the setting is transaction-local); no savepoint, so
    # two statements more: set, put back.
    with transaction.atomic(savepoint=False), connection.cursor() as cur:
        before = swap(cur, RANDOM_READ)
        counts = grouped(deadlines, "case_id", by_case, **aggregates)
        swap(cur, before)  # for what follows when called inside a transaction
    return counts


RANDOM_READ = {"random_page_cost": "1.1"}


# Counted over petitions received in the period; every other petition figure is counted in a
# second pass (RECEIVED_METRICS are the ones whose filter starts with "received in the period").
def is_received_metric(key: str) -> bool:
    return key in ("received", "collective", "repeat", "skip_level") or key.startswith(
        ("channel_", "kind_", "category_")
    )


def petition_counts(user, region, period: Period, length: int, filters: dict, by_case: bool = False) -> dict:
    start, _end = period.bounds()
    scoped = scoped_petitions(user, region)
    compared = compared_periods(period)
    dated = Q(received_on__range=within(period))
    for other in compared.values():
        dated |= Q(received_on__range=within(other))
    received = scoped.filter(dated).annotate(
        grp=group_expression(length), top_category=Coalesce("category__parent_id", "category_id")
    )
    # The rest concern petitions accepted in the period, concluded in it or after it, or not
    # concluded at all (not accepted, diverted, in progress), and not closed before it began.
    others = (
        scoped.filter(
            Q(accepted_on__range=within(period))
            | Q(replied_on__isnull=True)
            | Q(replied_on__gte=period.start)
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .annotate(
            grp=group_expression(length),
            # Only looked up for petitions concluded in the period: the filters put the date first.
            **evaluation_facts(),
        )
    )
    counts: dict = {}
    for qs, wanted in ((received, True), (others, False)):
        aggregates = {
            key: Count("pk", filter=q)
            for key, q in filters.items()
            if key not in DEADLINE_METRICS and is_received_metric(key) == wanted
        }
        if wanted:  # 环比 and 同比: petitions, and those by visit (their 人次 come from the visits)
            for key, other in compared.items():
                aggregates[f"{key}_received"] = Count("pk", filter=Q(received_on__range=within(other)))
                aggregates[f"{key}_visit"] = Count(
                    "pk", filter=Q(received_on__range=within(other), channel=Channel.VISIT)
                )
        for key, values in grouped(qs, "pk", by_case, **aggregates).items():
            counts.setdefault(key, {}).update(values)
    return counts
