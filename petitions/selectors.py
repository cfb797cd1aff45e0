"""Read queries for petitions; every queryset passes through accounts.scoping."""

from django.db.models import Prefetch

from accounts.scoping import visible_cases
from cases.built_once import built_once
from cases.lists import filter_cases
from cases.models import CaseParty, Deadline, TimelineEntry
from cases.page_extras import annotate_case_page
from cases.selectors import Beyond, beyond_view, case_parties
from cases.timeline_fold import timeline_prefetch, with_timeline_count
from petitions.forms import PetitionFilterForm
from petitions.models import Petition, ReviewRequest


def petition_list(user, filters: dict):
    """Petitions the user may see, filtered and sorted; a fixed number of queries per page."""
    queryset = Petition.objects.select_related("region", "category", "target_unit")
    if filters.get("collective"):
        queryset = queryset.filter(is_collective=True)
    if filters.get("repeat"):
        queryset = queryset.filter(repeat_of__isnull=False)
    return filter_cases(user, queryset, filters, PetitionFilterForm.EXACT)


def petition_with_region():
    """A petition for its action pages (the step reads its place); accounts.scoping_case keys the
    statement by this function."""
    return Petition.objects.select_related("region")


def petition_detail_queryset(timeline=None):
    """The petition with everything its page and documents show. ``timeline``: the prefetch of
    its timeline (default: every entry with its actor; the page folds it, ``petition_page_timeline``)."""
    timeline = timeline or Prefetch("timeline", queryset=TimelineEntry.objects.select_related("actor"))
    return _petition_detail().prefetch_related(timeline)


@built_once
def _petition_detail():
    return Petition.objects.select_related(
        "region", "category", "target_unit", "routed_by", "complained_unit", "handling_unit", "repeat_of"
    ).prefetch_related(
        case_parties(),
        "visits",
        "evaluations",
        Prefetch("reviews", queryset=ReviewRequest.objects.select_related("reviewing_unit")),
        "attachments",
        Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("due_at")),
    )


@built_once
def _petition_page():
    return with_timeline_count(_petition_detail())


def petition_page_queryset():
    """The case page's queryset, without the rows of one case (``petition_page_timeline``): the
    statement that reads the case is compiled once per shape of user for this function
    (accounts.scoping_case)."""
    return annotate_case_page(_petition_page())


def petition_page_timeline(pk, *, everything=False):
    """The case page's timeline: the latest entries and every entry the page's rules read (the
    steps that make a document, deliveries 送达, hearings: ``documents_made``, ``delivered``,
    ``hearings.on_timeline``), the timeline's length being annotated (cases.timeline_fold)."""
    from petitions.delivered import RECORD_DELIVERY
    from petitions.hearings import END_HEARING, START_HEARING
    from petitions.workflow import TRANSITIONS  # the workflow's modules import these selectors

    facts = TRANSITIONS.document_steps() | {RECORD_DELIVERY, START_HEARING.name, END_HEARING.name}
    return timeline_prefetch(pk, facts, everything=everything)


def _petitions_of(people):
    ids = CaseParty.objects.filter(person__in=people).values("case_id")
    return Petition.objects.filter(pk__in=ids)


def earlier_petitions(user, people):
    """Earlier petitions of these register identities that the user may see, in full (repeat
    detection at intake; only these can be linked as ``repeat_of``)."""
    if not people:
        return Petition.objects.none()
    return visible_cases(user, _petitions_of(people)).select_related("category").order_by("-opened_at")[:10]


def earlier_petitions_beyond_view(user, people) -> Beyond:
    """Of the earlier petitions of these identities that the user may not see, only how many and
    the units handling them (an accusation against the user's own unit not even that, §30)."""
    if not people:
        return Beyond()
    return beyond_view(user, _petitions_of(people))
