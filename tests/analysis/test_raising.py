"""A scan's findings are raised together (analysis.raising): the same warnings, evidence, events and
notices as one at a time, in a number of statements that does not grow with the findings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.demo import VILLAGES
from analysis.findings import Finding
from analysis.models import EarlyWarning, WarningEvent, WarningRule
from analysis.raising import raise_warnings
from cases.models import TimelineEntry
from supervision.models import Notification

pytestmark = pytest.mark.django_db


def findings(n, cases, *, rule="surge_week", prefix="test", timeline=()):
    places = list(VILLAGES.values())
    return [
        Finding(
            rule=WarningRule.objects.get(code=rule),
            key=f"{prefix}:{i}",
            region_code=places[i % len(places)],
            level=3 + i % 3,
            title=f"预警{i}",
            summary=f"第{i}条",
            facts={"count": i},
            case_ids=[c.pk for c in cases],
            evidence_until=timezone.now(),
            timeline_cases=list(timeline),
        )  # fmt: skip
        for i in range(n)
    ]


def test_raising_many_findings_costs_the_statements_of_raising_a_few(demo):
    from tests.factories import CaseFactory

    cases = [CaseFactory(region_id=VILLAGES["xianjin"]) for _i in range(3)]
    # Each finding also written into two cases' own timelines (as the risk rule's are).
    three, thirty = (
        findings(3, cases, timeline=cases[:2]),
        findings(30, cases, prefix="more", timeline=cases[:2]),
    )
    with CaptureQueriesContext(connection) as few:
        raised = raise_warnings(three)
    assert len(raised) == 3
    with CaptureQueriesContext(connection) as many:
        raised = raise_warnings(thirty)
    assert len(raised) == 30
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]
    warning = EarlyWarning.objects.get(pattern_key="more:4")
    assert set(warning.evidence.values_list("pk", flat=True)) == {c.pk for c in cases}
    assert WarningEvent.objects.filter(warning=warning, action="raise").count() == 1
    entries = TimelineEntry.objects.filter(case_id=cases[0].pk, action="warning_raised")
    assert entries.count() == 33 and entries.filter(description="预警4").count() == 1
    told = Notification.objects.filter(link__endswith=f"/{warning.pk}/")
    assert told.exists() and all(n.user.unit_id == warning.unit_id for n in told)


def test_a_pattern_already_warned_about_or_twice_in_a_batch_is_raised_once(demo):
    first = raise_warnings(findings(2, []))
    assert len(first) == 2
    again = raise_warnings(findings(3, []) + findings(3, []))
    assert [w.pattern_key for w in again] == ["test:2"]
    assert EarlyWarning.objects.filter(pattern_key__startswith="test:").count() == 3
