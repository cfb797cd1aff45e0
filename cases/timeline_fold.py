"""The case page's timeline, folded: the latest entries, the count, and the entries its rules read.

A case's timeline only grows (reminders, notes, hand-offs, corrections …), and the page used to
load every entry with its actor and render them all: a case with 500 entries cost ~10× one with 5
(docs/performance.md, "Case detail pages"). The page now loads, in the one timeline query it
always ran,

- the latest ``SHOWN`` entries with their actors (what the page lists; "show all N" is
  ``?timeline=all``), and
- every entry of the steps whose entries the page's rules read (``facts``): the documents a step
  made (``Step.documents``), a petition's deliveries (送达) and hearings. These functions read
  ``case.timeline.all()`` and look only at those actions, so they get the same answer from this
  subset as from the whole timeline (``tests/cases/test_timeline_fold.py`` compares them).

and the count comes with the case's own query (``with_timeline_count``). So the page runs the same
statements however long the timeline is, and builds ~SHOWN + a few entries, not all of them.

Whoever adds a rule to the case page that reads other entries of ``case.timeline.all()`` must name
their action in the workflow's ``facts`` (or query them): the folded prefetch holds only these.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from cases.models import TimelineEntry

# How many of the latest entries the case page lists before "show all".
SHOWN = 30
ALL = "all"


def with_timeline_count(queryset):
    """``timeline_count``: the case's entries, counted in the case's own query (an index-only count
    of one case's rows, however many)."""
    counted = (
        TimelineEntry.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(timeline_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def timeline_prefetch(case_pk, facts, *, everything=False) -> Prefetch:
    """The ``timeline`` prefetch of the case page: the whole timeline when ``everything``, else the
    latest ``SHOWN`` entries and every entry whose action is in ``facts``, in timeline order, with
    their actors."""
    entries = TimelineEntry.objects.select_related("actor")
    if not everything:
        latest = TimelineEntry.objects.filter(case_id=case_pk).order_by("-at", "-pk").values("pk")[:SHOWN]
        entries = entries.filter(Q(action__in=sorted(facts)) | Q(pk__in=latest))
    return Prefetch("timeline", queryset=entries)


class Folded:
    """What the page's timeline section shows: ``entries`` (oldest first), ``total``, whether
    older entries are ``hidden`` (how many)."""

    def __init__(self, case, everything: bool):
        loaded = list(case.timeline.all())
        self.total = getattr(case, "timeline_count", len(loaded))
        # The prefetch holds the latest SHOWN and older entries of the rules' steps; in timeline
        # order the latest SHOWN of the whole timeline are the last SHOWN loaded.
        self.entries = loaded if everything else loaded[-SHOWN:]
        self.hidden = self.total - len(self.entries)
        self.shown_by_default = SHOWN


def show_all(request) -> bool:
    return request.GET.get("timeline") == ALL
