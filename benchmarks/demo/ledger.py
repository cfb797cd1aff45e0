"""The demo's inspection ledger (排查台账): the last weeks of 先进村's grids, as their grid workers
filed them (zero reports and inspections, some finding a dispute), with 第二网格's last due week left
unreported so that `make run` shows a reminder for it (grids.reminders)."""

import datetime
import random

from django.utils import timezone

from accounts.demo import VILLAGES
from accounts.models import Grid, GridPost
from cases.models import Case
from grids import ledger

WEEKS = 6
LOOKED_AT = ("村东排水沟与宅基地边界", "出租房屋与流动人口", "山林界址", "在建工地工资发放", "邻里噪声与占道",
             "婚姻家庭走访", "养殖场异味")  # fmt: skip
FOUND = ("两户因排水沟堵塞争吵", "工地拖欠三名工人工资", "两家山林界址有争议", "邻居占道堆放杂物引发口角")


def place_cases_in_grids(rng: random.Random) -> int:
    """先进村's cases arose somewhere: each is put in one of its 二级网格 or 微网格 (the history was
    generated before the village had grids), so its grid workers' lists are not empty."""
    grids = list(Grid.objects.filter(region_id=VILLAGES["xianjin"], level__gt=1).values_list("pk", flat=True))
    ids = list(Case.objects.filter(region_id=VILLAGES["xianjin"], grid=None).values_list("pk", flat=True))
    chosen: dict[int, list[int]] = {}
    for pk in ids:
        chosen.setdefault(rng.choice(grids), []).append(pk)
    for grid, pks in chosen.items():
        Case.objects.filter(pk__in=pks).update(grid_id=grid)
    return len(ids)


def seed_ledger(rng: random.Random, today: datetime.date | None = None) -> int:
    """Ledger entries of the weeks before this one; returns the reports written."""
    place_cases_in_grids(rng)
    today = today or timezone.localdate()
    due = ledger.last_due_week(today)
    written = 0
    for grid in Grid.objects.filter(region_id=VILLAGES["xianjin"]).order_by("code"):
        post = GridPost.objects.filter(grid=grid, ended_on=None).select_related("user").order_by("pk").first()
        if post is None:
            continue
        for n in range(WEEKS):  # the weeks up to the last one past its due day
            week = due - datetime.timedelta(days=7 * n)
            if grid.code == "02" and week == due:
                continue  # missing: the reminder's example
            if rng.random() < 0.4:
                ledger.file_zero_report(post.user, grid, week, today=today)
            else:
                for day in sorted(rng.sample(range(5), rng.choice((1, 2)))):
                    found = rng.random() < 0.35
                    ledger.add_inspection(
                        post.user, grid, inspected_on=week + datetime.timedelta(days=day),
                        looked_at=rng.choice(LOOKED_AT), found=rng.choice(FOUND) if found else "",
                        disputes_found=1 if found else 0, today=today,
                    )  # fmt: skip
            written += 1
    return written
