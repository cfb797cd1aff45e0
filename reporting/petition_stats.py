"""Monthly petition statistics (domain.md 2.3): by region, channel, content category and kind.

Every count is a number of petitions (件) matching one filter, so a figure's drill-down list is
that filter and has exactly that many rows. What each column counts, and by which date, is
written in ``formula`` (shown on the page) and in docs/statistics.md.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_cases
from cases.i18n import localized
from cases.models import Deadline, DeadlineState, Satisfaction
from petitions.models import (
    Channel,
    Petition,
    PetitionCategory,
    PetitionKind,
    PetitionStatus,
)
from reporting import petition_tally, tables
from reporting.periods import Period
from reporting.petition_passes import (
    VISIT_SUMS,
    deadline_conditions,
    deadline_counts,
    deadline_holders,
    evaluation_facts,
    petition_counts,
    visit_counts,
    within,
)
from reporting.tables import (
    Column,
    Sheet,
    assemble,
    counts_of,
    member_ids,
    members_of,
    narrow_to_row,
    rate,
    row_regions,
)


def satisfied_values() -> tuple[str, ...]:
    """满意率 counts 满意, and 基本满意 unless PETITION_BASICALLY_SATISFIED_COUNTS is False."""
    if getattr(settings, "PETITION_BASICALLY_SATISFIED_COUNTS", True):
        return (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
    return (Satisfaction.SATISFIED,)


def metric_filters(period: Period, categories) -> dict[str, Q]:
    s_dt, e_dt = period.bounds()
    received = Q(received_on__range=within(period))
    replied = Q(replied_on__range=within(period))
    filters = {
        "received": received,
        "accepted": Q(accepted_on__range=within(period)),
        "not_accepted": Q(
            status__in=[PetitionStatus.NOT_ACCEPTED, PetitionStatus.DIVERTED],
            closed_at__gte=s_dt,
            closed_at__lt=e_dt,
        ),
        "closed": replied,
        "in_progress": Q(accepted_on__lte=period.end)
        & (Q(replied_on__isnull=True) | Q(replied_on__gt=period.end))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=e_dt)),
        "overdue": Q(overdue=True),
        "notice_due": Q(notice_due=True),
        "notice_on_time": Q(notice_on_time=True),
        "handle_due": Q(handle_due=True),
        "handle_on_time": Q(handle_on_time=True),
        "evaluable": replied,
        "evaluated": replied & Q(evaluated=True),
        "satisfied": replied & Q(last_evaluation__in=satisfied_values()),
        "collective": received & Q(is_collective=True),
        "repeat": received & Q(repeat_of__isnull=False),
        "skip_level": received & Q(is_skip_level=True),
    }
    for value, _label in Channel.choices:
        filters[f"channel_{value}"] = received & Q(channel=value)
    for value, _label in PetitionKind.choices:
        filters[f"kind_{value}"] = received & Q(petition_kind=value)
    for category in categories:
        filters[f"category_{category.pk}"] = received & Q(top_category=category.pk)
    return filters


def top_categories():
    return list(PetitionCategory.objects.filter(parent__isnull=True).order_by("position", "pk"))


# (key, label, unit, formula, rate): a column counts the petitions of metric_filters()[key] unless
# it is a rate of two counts or one of the visit figures (批/人次), which are sums over visits.
SUMMARY = (
    ("received", _("Petitions received"), "件", _("Petitions whose date received falls in the period, all channels."), None),
    ("persons", _("Person-times"), "人次", _("Visit person-times of visits in the period, plus one per petition received in the period by any other channel."), None),
    ("accepted", _("Accepted"), "件", _("Petitions whose written acceptance (§23) is dated in the period."), None),
    ("not_accepted", _("Not accepted or diverted"), "件", _("Petitions closed in the period by sending the petitioner to the competent organ or diverting to a legal procedure (§31)."), None),
    ("closed", _("Concluded"), "件", _("Petitions whose handling opinion (§32) is dated in the period."), None),
    ("in_progress", _("In progress at period end"), "件", _("Accepted by the last day of the period, with no handling opinion and not closed by then."), None),
    ("overdue", _("Overdue at period end"), "件", _("Petitions with an organ time limit (routing §22, notice §23, handling §34, review §35-36, the original unit's follow-up after a review revoked or varied its opinion) that fell due by the last elapsed day of the period and was not met by the end of that day."), None),
    ("notice_due", _("Acceptance notices due"), "件", _("Petitions whose acceptance-notice limit (§23, 15 days) fell due in the period, up to yesterday."), None),
    ("notice_on_time", _("Notices on time"), "件", _("Of those, the notice was given by the due date (frozen when given)."), None),
    ("notice_rate", _("On-time acceptance rate"), "%", _("Notices on time ÷ acceptance notices due."), ("notice_on_time", "notice_due")),
    ("handle_due", _("Handling limits due"), "件", _("Petitions whose handling limit (§34, 60 days plus any extension) fell due in the period, up to yesterday; a limit ended without a handling opinion (diverted, not accepted) is not applicable."), None),
    ("handle_on_time", _("Concluded on time"), "件", _("Of those, the handling opinion was issued by the due date."), None),
    ("handle_rate", _("On-time completion rate"), "%", _("Concluded on time ÷ handling limits due."), ("handle_on_time", "handle_due")),
    ("evaluable", _("Can be evaluated"), "件", _("Petitions concluded in the period."), None),
    ("evaluated", _("Evaluated"), "件", _("Of those, petitions with at least one evaluation recorded."), None),
    ("evaluation_rate", _("Evaluation rate"), "%", _("Evaluated ÷ can be evaluated."), ("evaluated", "evaluable")),
    ("satisfied", _("Satisfied"), "件", _("Of the evaluated, the latest evaluation is satisfied (or basically satisfied, as configured)."), None),
    ("satisfaction_rate", _("Satisfaction rate"), "%", _("Satisfied ÷ evaluated."), ("satisfied", "evaluated")),
    ("collective", _("Collective petitions"), "件", _("Petitions received in the period marked collective."), None),
    ("repeat", _("Repeat petitions"), "件", _("Petitions received in the period linked to an earlier petition of the same matter."), None),
    ("repeat_rate", _("Repeat rate"), "%", _("Repeat petitions ÷ petitions received."), ("repeat", "received")),
    ("skip_level", _("Skip-level petitions"), "件", _("Petitions received in the period marked skip-level (Regulations on Letters and Visits, Art. 19)."), None),
)  # fmt: skip
VISITS = (
    ("visit_batches", _("Visits (batches)"), "批", _("Visits recorded with a visit date in the period."), None),
    ("visit_persons", _("Visits (person-times)"), "人次", _("Sum of the head-counts of those visits."), None),
    ("collective_batches", _("Collective visits (batches)"), "批", _("Visits in the period of petitions marked collective."), None),
    ("collective_persons", _("Collective visits (person-times)"), "人次", _("Sum of the head-counts of those visits."), None),
)  # fmt: skip


def columns(definitions, filters) -> tuple[Column, ...]:
    return tuple(
        Column(key, label, unit, formula, q=filters.get(key) if rate_of is None else None, rate=rate_of)
        for key, label, unit, formula, rate_of in definitions
    )


def sheets(period: Period, categories) -> list[Sheet]:
    f = metric_filters(period, categories)
    by_channel = [
        (f"channel_{value}", label, "件", _("Petitions received in the period by this channel."), None)
        for value, label in Channel.choices
    ]
    by_kind = [
        (f"kind_{value}", label, "件", _("Petitions received in the period of this kind (§29-31)."), None)
        for value, label in PetitionKind.choices
    ]
    by_category = [
        (
            f"category_{c.pk}",
            localized(c),
            "件",
            _("Received in the period in this category or below it."),
            None,
        )
        for c in categories
    ]
    return [
        Sheet("summary", _("Summary table"), columns(SUMMARY, f)),
        Sheet("channel", _("By channel"), columns([*by_channel, *VISITS], f)),
        Sheet("category", _("By content"), columns(by_category, f)),
        Sheet("kind", _("By kind"), columns(by_kind, f)),
    ]


def annotated(user, region, period: Period):
    """The petitions any figure of ``period`` can count, with the per-petition facts figures use
    (for drill-down lists: the deadline facts are the same conditions the deadline pass counts)."""
    deadlines = Deadline.objects.filter(case_id=OuterRef("pk")).exclude(state=DeadlineState.CANCELLED)
    return deadline_holders(user, region, period).annotate(
        top_category=Coalesce("category__parent_id", "category_id"),
        **{key: Exists(deadlines.filter(q)) for key, q in deadline_conditions(period).items()},
        **evaluation_facts(),
    )


def _counts(user, region, period: Period, length: int, categories, by_case: bool = False) -> dict:
    """Every pass, by row key (or by row key and petition when ``by_case``)."""
    filters = metric_filters(period, categories)
    # A city's or the province's month from the petition tallies; the freeze needs the petitions.
    how = None if by_case else petition_tally.reader(user, region, period, length)
    if how is None:
        counts = petition_counts(user, region, period, length, filters, by_case)
        visits = visit_counts(user, region, period, length, by_case)
    else:
        counts = petition_tally.petition_counts(how, region, period, length, filters, satisfied_values())
        visits = petition_tally.visit_counts(how, region, period, length)
    deadlines = None if how is None else petition_tally.deadline_counts(how, region, period, length)
    if deadlines is None:
        deadlines = deadline_counts(user, region, period, length, by_case)
    for part in (deadlines, visits):
        for key, values in part.items():
            counts.setdefault(key, {}).update(values)
    return counts


def _with_persons(counts: dict) -> dict:
    """人次: one per petition received by a channel other than a visit, plus the visits' head-counts."""
    for values in counts.values():
        visits = values.get("visit_persons", 0)
        values["persons"] = values.get("received", 0) - values.get("channel_visit", 0) + visits
    return counts


def compute(user, region, period: Period) -> dict:
    """The report: {"sheets": [SheetResult…], "comparison": {...}} in a fixed number of queries."""
    categories = top_categories()
    report_sheets = sheets(period, categories)
    length, children = row_regions(region)
    counts = _with_persons(_counts(user, region, period, length, categories))
    results = [assemble(sheet, region, length, children, counts) for sheet in report_sheets]
    return {"sheets": results, "comparison": comparison(results[0].total.values, counts)}


def frozen(user, region, period: Period):
    """The report's sheets as ``compute`` makes them for ``user``, and the cases behind them (for
    the month-end freeze): the same passes with the petition in their GROUP BY, the figures then
    added up from that membership so that the membership reproduces them exactly."""
    categories = top_categories()
    length, children = row_regions(region)
    per_case = _counts(user, region, period, length, categories, by_case=True)
    members = members_of(per_case, metric_filters(period, categories), VISIT_SUMS)
    return from_members(members, None, sheets(period, categories), region, children), members


def from_members(members: dict, keep, report_sheets, region, children) -> list:
    """Sheets added up from a frozen membership, over the cases in ``keep`` (all when None)."""
    counts = _with_persons(counts_of(members, keep))
    return [assemble(sheet, region, None, children, counts) for sheet in report_sheets]


def comparison(current: dict, counts: dict) -> list[dict]:
    """环比 and 同比 of petitions (件) and person-times (人次), on the same definitions, from the
    compared periods' figures the received and visits passes gathered."""

    def total(name):
        return sum(values.get(name, 0) for values in counts.values())

    then = {
        key: {
            "received": total(f"{key}_received"),
            "persons": total(f"{key}_received") - total(f"{key}_visit") + total(f"{key}_visit_persons"),
        }
        for key in ("previous", "year_before")
    }
    rows = []
    for key, label in (("received", _("Petitions received")), ("persons", _("Person-times"))):
        now, previous, year_before = current[key], then["previous"][key], then["year_before"][key]
        rows.append({
            "key": key, "label": label, "current": now,
            "previous": previous, "previous_change": change(now, previous),
            "year_before": year_before, "year_change": change(now, year_before),
        })  # fmt: skip
    return rows


def change(now, then):
    """Percentage change; None when the earlier figure is 0."""
    if not then:
        return None
    return rate(now - then, then)


def drill_label(period: Period, column_key: str) -> str | None:
    """The label of a figure with petitions behind it (None for another key), without counting."""
    return tables.drill_label(sheets(period, top_categories()), column_key)


def drill(user, region, period: Period, column_key: str, row_key: str):
    """The petitions behind one figure (a count column of one row, or of the total)."""
    filters = metric_filters(period, top_categories())
    if column_key not in filters:
        return Petition.objects.none()
    qs = narrow_to_row(annotated(user, region, period).filter(filters[column_key]), region, row_key)
    return qs.select_related("region", "category").order_by("received_on", "pk")


def frozen_drill(user, region, members: dict, column_key: str, row_key: str):
    """The petitions counted in one figure of a frozen report that ``user`` may see."""
    _length, children = row_regions(region)
    ids = member_ids(members, column_key, row_key, [key for key, _name in children])
    qs = visible_cases(user, Petition.objects.filter(pk__in=ids))
    return qs.select_related("region", "category").order_by("received_on", "pk")
