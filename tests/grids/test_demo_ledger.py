"""The demo's inspection ledger (benchmarks.demo.ledger): 先进村's grids have a few weeks of entries,
第二网格's last due week is missing and is chased."""

import datetime
import random

import pytest
from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Grid
from benchmarks.demo.ledger import WEEKS, seed_ledger
from grids import ledger
from grids.models import LedgerReport
from grids.reminders import remind_missing
from supervision.models import Notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)  # a Wednesday


def test_demo_weeks_and_the_missing_one(demo):
    written = seed_ledger(random.Random(3), TODAY)
    grids = {g.code: g for g in Grid.objects.filter(region_id=VILLAGES["xianjin"])}
    assert written == 4 * WEEKS - 1  # 先进村's four grids, 第二网格's last due week missing
    due = ledger.last_due_week(TODAY)
    assert LedgerReport.objects.filter(grid=grids["01"], week_start=due).exists()
    assert not LedgerReport.objects.filter(grid=grids["02"], week_start=due).exists()
    assert LedgerReport.objects.filter(zero_report=True).exists()
    assert LedgerReport.objects.filter(zero_report=False).exists()
    now = timezone.make_aware(datetime.datetime(2026, 12, 2, 9))
    assert remind_missing(now) >= 2
    assert set(Notification.objects.values_list("user__username", flat=True)) >= {
        "xianjin_grid2",
        "xianjin_supervisor",
    }
