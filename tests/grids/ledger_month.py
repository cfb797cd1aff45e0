"""A fixture month (October 2026) of inspection ledgers in the demo's grids, whose figures are
worked out by hand in tests/grids/test_inspection_stats.py."""

import datetime

from accounts.demo import VILLAGES
from accounts.models import Grid
from grids.models import Inspection, LedgerReport

D = datetime.date


def build(demo):
    x, y = VILLAGES["xianjin"], VILLAGES["yangchun"]
    grid = {code: Grid.objects.get(region_id=x, code=code) for code in ("", "01", "02", "01-01")}
    yangchun = Grid.objects.get(region_id=y, code="01")
    who = demo["xianjin_grid1"]

    def report(g, week, zero=False, *inspections):
        r = LedgerReport.objects.create(grid=g, week_start=week, zero_report=zero, filed_by=who)
        for day, found in inspections:
            Inspection.objects.create(report=r, inspected_on=day, looked_at="矩阵排查", disputes_found=found,
                                      recorded_by=who)  # fmt: skip
        return r

    report(grid["01"], D(2026, 10, 5), True)
    report(grid["01"], D(2026, 10, 12), False, (D(2026, 10, 13), 1), (D(2026, 10, 14), 0))
    report(grid["01-01"], D(2026, 10, 19), True)
    report(grid["02"], D(2026, 10, 5), False, (D(2026, 10, 6), 2))
    report(grid["02"], D(2026, 10, 26), True)
    report(grid[""], D(2026, 10, 19), False, (D(2026, 10, 20), 0))
    report(yangchun, D(2026, 10, 12), True)
    # The week of 28 September begins before October: neither it nor its inspection counts.
    report(yangchun, D(2026, 9, 28), False, (D(2026, 9, 30), 3))
    return grid
