"""Rule 5 for early warnings: a grid worker below the 一级网格 sees (and is told of) a warning of the
village only when one of its evidence cases is theirs to see; the village sees every one."""

import pytest
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Grid
from accounts.scoping import visible_warnings
from analysis.findings import Finding
from analysis.models import EarlyWarning, WarningRule
from analysis.raising import raise_warnings
from supervision.models import Notification
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
X = VILLAGES["xianjin"]


def finding(key, cases):
    return Finding(
        rule=WarningRule.objects.get(code="repeat_person"), key=key, region_code=X, level=5,
        title=f"重复来访：{key}", summary="同一人多次", facts={}, case_ids=[c.pk for c in cases],
        evidence_until=timezone.now(),
    )  # fmt: skip


def test_a_grid_worker_sees_and_hears_of_the_warnings_of_their_grids_only(demo):
    # Told to every member of the unit (the admin may widen a rule's roles; the steps after the raise
    # tell whole units).
    WarningRule.objects.filter(code="repeat_person").update(notify_roles=[])
    mediator = demo["xianjin_mediator"]
    first = new_dispute(mediator, summary="一网格", grid=Grid.objects.get(region_id=X, code="01"))
    second = new_dispute(mediator, summary="二网格", grid=Grid.objects.get(region_id=X, code="02"))
    mine, theirs = raise_warnings([finding("repeat:first", [first]), finding("repeat:second", [second])])
    # The village centre must act on both; its grid workers are its members.
    assert mine.unit == theirs.unit == demo["xianjin_grid1"].unit == demo["xianjin_supervisor"].unit

    def seen(name):
        return set(visible_warnings(demo[name], EarlyWarning.objects.all()).values_list("pk", flat=True))

    def told(name):
        return set(Notification.objects.filter(user=demo[name], action__startswith="warning_").values_list(
            "action", flat=True))  # fmt: skip

    assert seen("xianjin_grid1") == {mine.pk} and seen("xianjin_grid2") == {theirs.pk}
    assert seen("xianjin_grid3") == set()  # the micro grid's cases are none of these
    assert {mine.pk, theirs.pk} <= seen("xianjin_supervisor")
    assert {mine.pk, theirs.pk} <= seen("xianjin_grid_worker")  # the 一级网格's 网格长 sees the village
    assert told("xianjin_grid1") == {f"warning_{mine.pk}"} and told("xianjin_grid2") == {
        f"warning_{theirs.pk}"
    }
    assert told("xianjin_grid3") == set()
    assert told("xianjin_supervisor") == {f"warning_{mine.pk}", f"warning_{theirs.pk}"}
