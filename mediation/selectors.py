"""Read-side queries of disputes. Every queryset passes through accounts.scoping."""

from django.db.models import Aggregate, CharField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models import Case as Choose
from django.db.models.functions import Coalesce, Concat, NullIf

from cases.built_once import built_once
from cases.lists import filter_cases
from cases.models import Deadline, TimelineEntry
from cases.page_extras import annotate_case_page
from cases.selectors import case_parties
from cases.timeline_fold import timeline_prefetch, with_timeline_count
from mediation.forms import DisputeFilterForm
from mediation.models import Dispute


def dispute_list(user, filters: dict):
    """Disputes the user may see, filtered and sorted; a fixed number of queries per page."""
    queryset = Dispute.objects.select_related("region", "category", "risk_level", "handler")
    return filter_cases(user, queryset, filters, DisputeFilterForm.EXACT)


def dispute_with_region():
    """A dispute for its action pages (the step reads its place); accounts.scoping_case keys the
    statement by this function."""
    return Dispute.objects.select_related("region")


def dispute_detail_queryset(timeline=None):
    """The dispute with everything its page, file index and documents show. ``timeline``: the
    prefetch of its timeline (default: every entry with its actor; the page folds it,
    ``dispute_page_timeline``)."""
    timeline = timeline or Prefetch("timeline", queryset=TimelineEntry.objects.select_related("actor"))
    return _dispute_detail().prefetch_related(timeline)


@built_once
def _dispute_detail():
    return (
        Dispute.objects.select_related(
            "region",
            "category",
            "risk_level",
            "handler",
            "handling_unit",
            "agreement",
            "agreement__recorded_by",
        )
        .prefetch_related(
            case_parties(),
            Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("due_at")),
            "attachments",
            Prefetch("sessions", queryset=_sessions_with_mediator_names()),
            Prefetch("follow_ups", queryset=_follow_ups().select_related("visitor")),
        )
        .annotate(has_scheduled=_has_scheduled())
    )


@built_once
def _dispute_page():
    return with_timeline_count(_dispute_detail())


def dispute_page_queryset():
    """The case page's queryset, without the rows of one case (``dispute_page_timeline``): the
    statement that reads the case is compiled once per shape of user for this function
    (accounts.scoping_case)."""
    return annotate_case_page(_dispute_page())


def dispute_page_timeline(pk, *, everything=False):
    """The case page's timeline: the latest entries and those of the steps that make a document
    (``available_documents`` reads them), the timeline's length being annotated (cases.timeline_fold)."""
    from mediation.workflow import TRANSITIONS  # the workflow's modules import these selectors

    # routes_of reads whether a joint mediation was started.
    facts = TRANSITIONS.document_steps() | {"joint_mediation"}
    return timeline_prefetch(pk, facts, everything=everything)


def _has_scheduled():
    """Whether sessions were scheduled ahead, in the case's own query: the page reads them (one
    query more, ``with_scheduled_sessions``) only then, so a dispute without any costs nothing."""
    from django.apps import apps
    from django.db.models import Exists

    return Exists(apps.get_model("mediation", "ScheduledSession").objects.filter(dispute_id=OuterRef("pk")))


def with_scheduled_sessions(dispute):
    """Load the dispute's scheduled sessions (a fixed one query however many) when it has any."""
    from django.db.models import Prefetch, prefetch_related_objects

    if dispute.has_scheduled:
        prefetch_related_objects([dispute], Prefetch("scheduled_sessions", queryset=_scheduled_sessions()))
    return dispute


def _scheduled_sessions():
    """Sessions arranged ahead with their mediators' names and how many of the parties to tell were
    told (and how many text messages the gateway did not take), in one query: who was told, how and
    when is on the timeline (the ``notify_parties`` entries)."""
    from django.apps import apps
    from django.db.models import Count, IntegerField

    scheduled = apps.get_model("mediation", "ScheduledSession")
    notice = apps.get_model("mediation", "SessionNotice")
    links = scheduled.mediators.through.objects.filter(scheduledsession_id=OuterRef("pk")).order_by()
    name = Coalesce(NullIf("user__display_name", Value("")), "user__username")
    names = links.values("scheduledsession_id").annotate(names=JoinedNames(name, "id")).values("names")

    def count(rows, column, counted="pk"):
        n = rows.order_by().values(column).annotate(n=Count(counted, distinct=True)).values("n")
        return Coalesce(Subquery(n, output_field=IntegerField()), Value(0))

    notices = notice.objects.filter(scheduled_id=OuterRef("pk"))
    parties = scheduled.parties.through.objects.filter(scheduledsession_id=OuterRef("pk"))
    return scheduled.objects.annotate(
        mediator_names=Coalesce(Subquery(names), Value("")),
        to_tell=count(parties, "scheduledsession_id"),
        told=count(notices, "scheduled_id", "party_id"),
        undelivered=count(notices.filter(method="sms", sms_sent_at__isnull=True), "scheduled_id"),
    ).order_by("starts_at", "pk")  # fmt: skip


def _follow_ups():
    # The follow-up model belongs to the mediation app (a floor above); named by string.
    from django.apps import apps

    return apps.get_model("mediation", "FollowUp").objects.all()


class JoinedNames(Aggregate):
    """Names joined with 、, in the order of the second expression on PostgreSQL (STRING_AGG); in
    whatever order SQLite reads them there (GROUP_CONCAT takes no ORDER BY before SQLite 3.44)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        name, name_params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            order, order_params = compiler.compile(self.source_expressions[1])
            return f"STRING_AGG({name}, '、' ORDER BY {order})", (*name_params, *order_params)
        return f"GROUP_CONCAT({name}, '、')", name_params


def _sessions_with_mediator_names():
    """Mediation sessions with ``mediator_names``, their mediators as the page names them (display
    name, else user name), in the same query: prefetching ``mediators`` is a query of its own."""
    from django.apps import apps

    session = apps.get_model("mediation", "MediationSession")
    links = session.mediators.through.objects.filter(mediationsession_id=OuterRef("pk")).order_by()
    name = Coalesce(NullIf("user__display_name", Value("")), "user__username")
    names = links.values("mediationsession_id").annotate(names=JoinedNames(name, "id")).values("names")
    return session.objects.annotate(
        mediator_names=Coalesce(Subquery(names), Value("")),
        invited_names=Coalesce(Subquery(_invited_names()), Value("")),
    )


def _invited_names():
    """People invited to the session (人民调解法 §20), "name（capacity）" joined, for the same query."""
    from django.apps import apps

    invited = apps.get_model("mediation", "InvitedParticipant")
    capacity = invited._meta.get_field("capacity")
    label = Choose(
        *(When(capacity=code, then=Value(str(text))) for code, text in capacity.choices),
        default="capacity",
        output_field=CharField(),
    )
    shown = Concat("name", Value("（"), label, Value("）"), output_field=CharField())
    rows = invited.objects.filter(session_id=OuterRef("pk")).order_by()
    return rows.values("session_id").annotate(names=JoinedNames(shown, "id")).values("names")


def routes_of(dispute) -> dict:
    """The dispute's routes (多元化解) and joint mediations for its page; queried only when the
    dispute has any (its latest route is on the row, a joint mediation on the prefetched timeline)."""
    from mediation.models import DisputeRoute, JointMediation

    taken = {entry.action for entry in dispute.timeline.all()}
    routes = joints = []
    if dispute.route_channel:
        routes = list(
            DisputeRoute.objects.filter(dispute=dispute)
            .select_related("routed_by", "result_by")
            .order_by("pk")
        )
    if "joint_mediation" in taken:
        joints = list(
            JointMediation.objects.filter(dispute=dispute)
            .select_related("started_by")
            .prefetch_related("units", "mediators", "participants")
            .order_by("pk")
        )
    return {"routes": routes, "joints": joints}
