"""The open-case tally (cases.models.tally) always equals the live count of open cases per key, and
the dashboard's counts read through it equal the counts read from the cases, for every kind of user.

Random changes of every kind a case goes through (opened, closed, reopened, moved to another place,
another handling unit, withheld from a unit, deleted; one at a time through save(), in bulk through
update()) are checked after each change and after folding.
"""

import datetime
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Unit
from accounts.scoping import grant_case_to_unit
from cases import tally
from cases.models import Case, OpenCaseTally
from supervision import dashboard
from tests.factories import CaseFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

PLACES = [*VILLAGES.values(), *TOWNS.values(), COUNTY]


def summed() -> dict[tuple, int]:
    rows = (
        OpenCaseTally.objects.values("region_id", "handling_unit_id", "withheld_from_unit_id")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {
        (r["region_id"], r["handling_unit_id"], r["withheld_from_unit_id"]): r["total"]
        for r in rows
        if r["total"]
    }


def live() -> dict[tuple, int]:
    rows = (
        Case.objects.filter(closed_at__isnull=True)
        .values("region_id", "handling_unit_id", "withheld_from_unit_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {(r["region_id"], r["handling_unit_id"], r["withheld_from_unit_id"]): r["total"] for r in rows}


def change(rng: random.Random, units: list, outside: str) -> str:
    """One random change to the cases; returns what it did (for the failure message)."""
    cases = list(Case.objects.order_by("?")[:3])
    what = rng.choice(["open", "open", "close", "reopen", "move", "unit", "withhold", "bulk", "delete"])
    if what == "open" or not cases:
        CaseFactory(
            region_id=rng.choice([*PLACES, outside]),
            handling_unit=rng.choice([*units, None]),
            next_due_at=timezone.now() + datetime.timedelta(days=rng.randint(-5, 10)),
        )
        return "open"
    case = cases[0]
    if what == "close":
        case.closed_at = timezone.now()
    elif what == "reopen":
        case.closed_at = None
    elif what == "move":
        case.region_id = rng.choice([*PLACES, outside])
    elif what == "unit":
        case.handling_unit = rng.choice([*units, None])
    elif what == "withhold":
        case.withheld_from_unit = rng.choice([*units, None])
    elif what == "bulk":
        ids = [c.pk for c in cases]
        Case.objects.filter(pk__in=ids).update(
            closed_at=rng.choice([None, timezone.now()]), handling_unit=rng.choice([*units, None])
        )
        return f"bulk {ids}"
    elif what == "delete":
        case.delete()
        return f"delete {case.pk}"
    case.save()
    return f"{what} {case.pk}"


def test_the_tally_equals_the_live_count_after_every_change_and_every_fold(demo):
    assert connection.vendor == "postgresql"
    units = list(Unit.objects.filter(region__code__startswith="330681")[:6])
    outside = RegionFactory().code
    assert summed() == live()  # the demo's own cases, counted by the migration's fill and the trigger
    rng = random.Random(22)
    for i in range(150):
        did = change(rng, units, outside)
        assert summed() == live(), f"after change {i}: {did}"
        if i % 40 == 39:
            left = tally.fold()
            assert left == OpenCaseTally.objects.count() == len(live())
            assert summed() == live(), f"after the fold at change {i}"


def test_a_fold_keeps_one_row_per_key_and_drops_keys_that_sum_to_nothing(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    for _ in range(3):
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
        Case.objects.filter(pk=case.pk).update(closed_at=None)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
    tally.fold()
    key = OpenCaseTally.objects.filter(region_id=VILLAGES["xianjin"], handling_unit_id=None)
    assert not key.exists()  # opened once, closed four times, reopened three: 0, no row left
    assert OpenCaseTally.objects.count() == len(live())


def _viewers(demo):
    # Rule 5: a grid worker bound to grids below the village sees only their grids' cases.
    superuser = UserFactory(is_superuser=True)
    return [
        demo["zhuji_supervisor"],
        demo["fengqiao_supervisor"],
        demo["xianjin_supervisor"],
        demo["zhuji_handler"],  # a county department: its own and granted cases only
        demo["xianjin_grid1"],
        superuser,
        AnonymousUser(),
    ]


@pytest.mark.parametrize("limit", [None, 1, 3])
def test_the_dashboard_tables_through_the_tally_equal_the_tables_counted_from_the_cases(demo, limit):
    rng = random.Random(7)
    units = list(Unit.objects.filter(region__code__startswith="330681")[:6])
    outside = RegionFactory().code
    for _ in range(60):
        change(rng, units, outside)
    # Beyond the region: a case of another county granted (交办) to the town, one handled by the
    # county's department; within it: an accusation withheld from the town's centre.
    town = demo["fengqiao_supervisor"].unit
    granted = CaseFactory(region_id=outside, next_due_at=timezone.now() - datetime.timedelta(days=1))
    grant_case_to_unit(granted, town)
    CaseFactory(region_id=outside, handling_unit=demo["zhuji_handler"].unit)
    CaseFactory(region_id=VILLAGES["yangchun"], withheld_from_unit=town, next_due_at=timezone.now())
    tallied = []
    for user in _viewers(demo):
        counted = dashboard._counted(user)
        expected = (
            {g: rows if limit is None else rows[:limit] for g, rows in counted.items()},
            {g: len(rows) for g, rows in counted.items()},
            {k: sum(r[k] for r in counted["unit"]) for k in ("open", "due_soon", "overdue")},
        )
        assert dashboard.summary(user, limit) == expected, user
        tally.fold()
        assert dashboard.summary(user, limit) == expected, user
        tallied.append(dashboard.region_wholly_visible(user) is not None)
    # The county, the town, the village and the superuser went through the tally; the department,
    # the grid worker and the anonymous user through the cases.
    assert tallied == [True, True, True, False, False, True, False]
    town_units = dashboard.summary(demo["fengqiao_supervisor"], None)[0]["village"]
    assert {"key": outside, "open": 1, "due_soon": 0, "overdue": 1} in town_units  # the granted case
