"""The living demo (benchmarks.demo, ``seed_demo`` without --no-activity): a small scale of the same
generator keeps every promise `make run` makes: every state of both workflows, overdue cases,
督办单 and their replies, collective visits and repeats, notices, last month frozen, every demo
village, town and department busy, a year of history, numbering and deadlines as the application
computes them, an intact audit chain, and a second run that adds nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Unit, UnitKind
from analysis.models import EarlyWarning
from benchmarks.demo.activity import last_month, seed_activity
from cases.calendar import WorkCalendar
from cases.deadlines import compute_due
from cases.models import Case, CaseGroupObjectPermission, Deadline, TimelineEntry
from mediation.models import DisputeStatus, ScheduledSession
from petitions.models import Petition, PetitionStatus, VisitBatch
from reporting.models import StatisticsSnapshot
from supervision.models import Notification, SupervisionOrder, SupervisionState

pytestmark = pytest.mark.django_db
SCALE = 0.05  # 100 disputes and 50 petitions of history, and at least one walked case per state


def test_the_demo_county_comes_alive_and_a_second_run_adds_nothing(demo):
    result = seed_activity(scale=SCALE, seed=7, log=lambda *_: None)
    assert result.created and result.failed == []
    county = Case.objects.filter(region__code__startswith=COUNTY[:6])
    statuses = set(county.values_list("kind", "status").distinct())
    assert {("dispute", s) for s in DisputeStatus.values} <= statuses
    assert {("petition", s) for s in PetitionStatus.values} <= statuses

    now, today = timezone.now(), timezone.localdate()
    assert county.filter(closed_at__isnull=True, next_due_at__lt=now).exists(), "some cases are overdue"
    assert Deadline.objects.filter(state="open", due_date__lt=today).exists()
    orders = SupervisionOrder.objects.filter(case__in=county)
    assert (
        orders.filter(issuer__isnull=False).exists()
        and orders.filter(state=SupervisionState.REPLIED).exists()
    )
    assert TimelineEntry.objects.filter(action="escalate").exists()
    assert VisitBatch.objects.filter(head_count__gte=5).exists()
    assert Petition.objects.filter(repeat_of__isnull=False).exists()
    assert Notification.objects.filter(kind="handoff").exists()
    assert EarlyWarning.objects.filter(kind="large_visit").exists()  # the scan ran (docs/analysis.md)
    period = last_month()
    frozen = StatisticsSnapshot.objects.filter(region_id=COUNTY, start=period.start, end=period.end)
    assert set(frozen.values_list("report", flat=True)) == {"mediation", "petition"}

    # Every demo village and town has cases; both county departments receive matters.
    for prefix in [*VILLAGES.values(), *(code[:9] for code in TOWNS.values())]:
        assert county.filter(region__code__startswith=prefix).exists(), prefix
    for department in Unit.objects.filter(region_id=COUNTY, kind=UnitKind.DEPARTMENT):
        granted = CaseGroupObjectPermission.objects.filter(group_id=department.group_id).exists()
        assert granted or county.filter(handling_unit=department).exists(), department.name

    # About thirteen months of history, numbered per county, year and kind.
    oldest = county.order_by("opened_at").first()
    assert (today - timezone.localtime(oldest.opened_at).date()).days >= 360
    numbers = list(county.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(n.startswith("诸暨〔") for n in numbers)

    # Deadlines on the working-day calendar, as the application computes them.
    for deadline in Deadline.objects.filter(case__in=county).select_related("rule")[:50]:
        due, _text = compute_due(deadline.rule, deadline.start_date)
        assert deadline.due_date == due.date, deadline.rule.code

    if connection.vendor == "postgresql":
        from cases.audit import verify

        report = verify()
        assert report.ok, [b.describe() for b in report.breaks[:3]]
        assert report.chains >= county.count()

    # Sessions arranged ahead (benchmarks.demo.sessions): a demo mediator's calendar has the weeks
    # to come, on working days and in office hours, by the committee handling the case, in several
    # villages and towns.
    ahead = ScheduledSession.objects.filter(
        dispute_id__in=county.values("pk"), state="scheduled", starts_at__gt=now
    ).select_related("dispute__handling_unit")
    assert ahead.filter(mediators__username="xianjin_mediator").exists()
    calendar = WorkCalendar(strict=False)
    for s in ahead:
        local = timezone.localtime(s.starts_at)
        assert calendar.is_workday(local.date()) and 9 <= local.hour < 17, local
        assert local.date() <= today + datetime.timedelta(days=21) and s.place.endswith("调解室")
        assert {m.unit_id for m in s.mediators.all()} == {s.dispute.handling_unit_id}
    assert len({s.dispute.handling_unit_id for s in ahead}) >= 2  # a village and a town at this scale

    def counted():
        return (
            county.count(), TimelineEntry.objects.count(), Notification.objects.count(), orders.count(),
            ScheduledSession.objects.count(),
        )  # fmt: skip

    counts = counted()
    again = seed_activity(scale=SCALE, seed=8, log=lambda *_: None)
    assert not again.created
    assert counts == counted()


def test_the_tests_demo_has_no_activity(demo):
    out = io.StringIO()
    call_command("seed_demo", no_activity=True, quiet=True, stdout=out)
    assert "Demo county ready" in out.getvalue()
    assert not Case.objects.exists() and not ScheduledSession.objects.exists()
