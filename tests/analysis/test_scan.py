"""The incremental warning scan over a county with planted patterns (tests/analysis/planted.py):
exactly the planted warnings, nothing from the noise, nothing new on a second run."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from analysis import scan
from analysis.models import EarlyWarning, ScanWatermark, WarningStatus
from cases.models import CaseParty, TimelineEntry
from tests.analysis.planted import REPEATER, dispute, plant

pytestmark = pytest.mark.django_db


def keys():
    return sorted(EarlyWarning.objects.values_list("pattern_key", flat=True))


def test_planted_patterns_raise_exactly_the_planted_warnings(demo):
    planted = plant(demo)
    raised = scan.scan().raised
    repeater = CaseParty.objects.get(case=planted["repeat"][0], name=REPEATER["name"]).person_id
    company = CaseParty.objects.filter(case=planted["collective"][0], role="respondent").get().person_id
    visit = planted["visit"].visits.get()
    assert keys() == sorted([
        f"surge:village:{planted['surge'][0].region_id}",
        f"repeat:{repeater}",
        f"risk:{planted['red'].pk}",
        f"collective:{company}",
        f"visit:{visit.pk}",
        f"overdue:{planted['overdue_unit'].pk}",
        f"overdue:{planted['rate_unit'].pk}",
        f"conversion:{planted['conversion'].pk}",
        f"returning:{planted['returning'].pk}",
    ])  # fmt: skip
    assert len(raised) == 9
    surge = EarlyWarning.objects.get(kind="surge")
    assert surge.facts["count"] == 6 and surge.facts["level"] == "village"
    assert set(surge.evidence.values_list("pk", flat=True)) == {c.pk for c in planted["surge"]}
    assert "阳春村" in surge.title


def test_the_red_dispute_escalates_to_the_county_and_its_timeline_says_so(demo):
    planted = plant(demo)
    scan.scan()
    warning = EarlyWarning.objects.get(kind="risk_response")
    # RiskLevel red: response_hours 24, escalate_to_level 3 (county).
    assert warning.unit.name == "诸暨市综治中心" and warning.facts["hours"] == 24
    assert TimelineEntry.objects.filter(case_id=planted["red"].pk, action="warning_raised").count() == 1
    assert demo["zhuji_supervisor"].notifications.filter(link=f"/warnings/{warning.pk}/").exists()


def test_a_second_scan_raises_nothing_new(demo):
    plant(demo)
    first = scan.scan()
    assert len(first.raised) == 9
    assert scan.scan().raised == []
    # Even when it reads the same cases again (the watermark moved back, as after a restore).
    ScanWatermark.objects.update(scanned_until=timezone.now() - datetime.timedelta(days=400))
    assert scan.scan().raised == []
    assert EarlyWarning.objects.count() == 9


def test_a_closed_pattern_raises_again_only_with_a_newer_case(demo):
    planted = plant(demo)
    scan.scan()
    EarlyWarning.objects.filter(kind="surge").update(status=WarningStatus.CLOSED)
    assert scan.scan().raised == []
    dispute(demo["zhuji_supervisor"], "yangchun", 0.1, timezone.now())
    again = scan.scan().raised
    assert [w.kind for w in again] == ["surge"]
    assert again[0].evidence.count() == len(planted["surge"]) + 1


def test_the_command_runs_the_same_scan(demo, capsys):
    plant(demo)
    call_command("scan_warnings")
    assert "9 raised" in capsys.readouterr().out
    call_command("scan_warnings")
    assert "0 raised" in capsys.readouterr().out


def test_a_rule_switched_off_raises_nothing(demo):
    from analysis.models import WarningRule

    plant(demo)
    WarningRule.objects.filter(kind="risk_response").update(enabled=False)
    scan.scan()
    assert not EarlyWarning.objects.filter(kind="risk_response").exists()


def test_the_beat_task_runs_the_same_scan(demo):
    from analysis.tasks import scan_warnings

    plant(demo)
    assert scan_warnings() == 9
    assert scan_warnings() == 0


def test_the_surge_totals_are_the_sums_of_every_region_and_category_pair(demo):
    """analysis.surge._Totals reads per region and per county and category, then subtracts the
    places that explain their own surge; the same numbers as summing every (region, category) pair
    of the counties, the way the rule first counted them."""
    from collections import defaultdict

    from django.db.models import Count, Q

    from analysis.surge import TYPES, _Totals

    planted = plant(demo)
    now = timezone.now()
    start_window, start_base = now - datetime.timedelta(days=7), now - datetime.timedelta(days=372)
    village = planted["surge"][0].region_id
    town = planted["red"].region_id[:9]
    counties = {village[:6], town[:6]}
    pairs = defaultdict(lambda: [0, 0])
    for model, kind in TYPES:
        grouped = (
            model.objects.filter(opened_at__gte=start_base, opened_at__lte=now, withheld_from_unit__isnull=True)
            .values("region_id", "category__code")
            .annotate(recent=Count("pk", filter=Q(opened_at__gte=start_window)),
                      base=Count("pk", filter=Q(opened_at__lt=start_window)))
        )  # fmt: skip
        for row in grouped:
            if row["region_id"][:6] in counties:
                cell = pairs[(row["region_id"], f"{kind}:{row['category__code']}")]
                cell[0] += row["recent"]
                cell[1] += row["base"]
    assert sum(r + b for r, b in pairs.values()) > 20  # the planted cases and the demo's

    # Read with a 30-day window beside the 7-day one, as a scan reads both surge rules at once.
    other = (now - datetime.timedelta(days=395), now - datetime.timedelta(days=30))
    totals = _Totals(counties, sorted([(start_base, start_window), other]), now)
    window = totals.windows.index((start_base, start_window))
    by_region = defaultdict(lambda: [0, 0])
    for (code, _cat), (recent, base) in pairs.items():
        by_region[code][0] += recent
        by_region[code][1] += base
    assert {k: v for k, v in totals.regions(window).items() if v != [0, 0]} == {
        k: v for k, v in by_region.items() if v != [0, 0]
    }
    for places, towns in ((set(), set()), ({village}, set()), ({village}, {town}), (set(), {town})):
        expected = defaultdict(lambda: [0, 0])
        for (code, cat), (recent, base) in pairs.items():
            if code not in places and code[:9] not in towns:
                expected[(code[:6], cat)][0] += recent
                expected[(code[:6], cat)][1] += base
        got = {k: v for k, v in totals.categories_without(window, places, towns).items() if v != [0, 0]}
        assert got == {k: v for k, v in expected.items() if v != [0, 0]}, (places, towns)
