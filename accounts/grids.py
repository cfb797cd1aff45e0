"""Loading grids (网格) and who holds them from CSV files, like the division tree (accounts.regions).

Grids: ``village_code,code,name``. The code places the grid: empty for the village's 一级网格,
``01`` for a 二级网格, ``01-02`` for a 微网格 below 01. A village's 一级网格 is created when the
file names a grid below it and has none. Posts: ``village_code,grid_code,username,post,started_on,
ended_on`` (post: leader, full_time, part_time; dates YYYY-MM-DD, ended_on empty for a current
post), the history of who held which grid when.

All-or-nothing: every row is checked first; any error aborts with the line numbers and nothing is
written. Loading the same files again changes nothing.
"""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Grid, GridLevel, GridPost, GridPostKind, Region, RegionLevel, User
from accounts.regions import RegionFileError

CODE_RE = re.compile(r"(?:[0-9]{2}(?:-[0-9]{2})?)?")


@dataclass
class GridLoadResult:
    grids_created: int
    grids_updated: int
    posts_created: int


def grid_level(code: str) -> int:
    return GridLevel.FIRST if not code else GridLevel.SECOND if "-" not in code else GridLevel.MICRO


def parent_code(code: str) -> str | None:
    return None if not code else code.rsplit("-", 1)[0] if "-" in code else ""


def _read(path: Path, columns: set[str]) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise RegionFileError([_("Missing columns: %s") % ", ".join(sorted(missing))])
        return [
            {k: (v or "").strip() for k, v in raw.items() if k} | {"line": n}
            for n, raw in enumerate(reader, 2)
        ]


def _date(value: str, line: int, errors: list[str]):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("Line %(line)d: %(value)r is not a date (YYYY-MM-DD).") % {"line": line, "value": value}
        )
        return None


def check_grids(rows: list[dict]) -> None:
    villages = set(
        Region.objects.filter(
            code__in={r["village_code"] for r in rows}, level=RegionLevel.VILLAGE
        ).values_list("code", flat=True)
    )
    known = {(r["village_code"], r["code"]) for r in rows}
    known |= set(Grid.objects.filter(region_id__in=villages).values_list("region_id", "code"))
    errors = []
    for r in rows:
        if r["village_code"] not in villages:
            errors.append(_("Line %(line)d: %(village_code)s is not a village or community.") % r)
        elif not CODE_RE.fullmatch(r["code"]):
            errors.append(_("Line %(line)d: the grid code %(code)r is not like 01 or 01-02.") % r)
        elif not r["name"]:
            errors.append(_("Line %(line)d: the name is empty.") % {"line": r["line"]})
        elif r["code"] and "-" in r["code"] and (r["village_code"], parent_code(r["code"])) not in known:
            errors.append(_("Line %(line)d: the grid above %(code)s is not in the file.") % r)
    if errors:
        raise RegionFileError(errors)


@transaction.atomic
def load_grids(grid_rows: list[dict], post_rows: list[dict] = ()) -> GridLoadResult:
    check_grids(grid_rows)
    created = updated = 0
    # The 一级网格 first, then 二级, then 微网格: every parent exists before its children.
    wanted = {(r["village_code"], r["code"]): r["name"] for r in grid_rows}
    for village in {v for v, _c in wanted}:
        if (village, "") not in wanted and not Grid.objects.filter(region_id=village, code="").exists():
            region = Region.objects.get(pk=village)
            wanted[(village, "")] = _("%(place)s (first-level grid)") % {"place": region.place_name}
    for village, code in sorted(wanted, key=lambda key: (grid_level(key[1]), key)):
        parent = None
        if code:
            parent = Grid.objects.get(region_id=village, code=parent_code(code))
        grid, made = Grid.objects.get_or_create(
            region_id=village, code=code,
            defaults={"name": wanted[(village, code)], "level": grid_level(code), "parent": parent},
        )  # fmt: skip
        if made:
            created += 1
        elif grid.name != wanted[(village, code)]:
            grid.name = wanted[(village, code)]
            grid.save(update_fields=["name"])
            updated += 1
    return GridLoadResult(created, updated, load_posts(post_rows) if post_rows else 0)


def load_posts(rows: list[dict]) -> int:
    users = User.objects.in_bulk({r["username"] for r in rows}, field_name="username")
    grids = {
        (g.region_id, g.code): g for g in Grid.objects.filter(region_id__in={r["village_code"] for r in rows})
    }
    errors, posts = [], []
    for r in rows:
        grid, user = grids.get((r["village_code"], r["grid_code"])), users.get(r["username"])
        started, ended = _date(r["started_on"], r["line"], errors), _date(r["ended_on"], r["line"], errors)
        if grid is None:
            errors.append(_("Line %(line)d: no grid %(grid_code)r in %(village_code)s.") % r)
        elif user is None:
            errors.append(_("Line %(line)d: no account %(username)r.") % r)
        elif r["post"] not in GridPostKind.values:
            errors.append(_("Line %(line)d: unknown post %(post)r.") % r)
        elif started is None or (ended and ended < started):
            errors.append(_("Line %(line)d: give a start date, and an end date not before it.") % r)
        else:
            posts.append(GridPost(grid=grid, user=user, post=r["post"], started_on=started, ended_on=ended))
    if errors:
        raise RegionFileError(errors)
    made = 0
    for post in posts:
        _obj, new = GridPost.objects.get_or_create(
            grid=post.grid, user=post.user, post=post.post, started_on=post.started_on,
            defaults={"ended_on": post.ended_on},
        )  # fmt: skip
        made += new
    return made


def read_grid_file(path: Path) -> list[dict]:
    return _read(path, {"village_code", "code", "name"})


def read_post_file(path: Path) -> list[dict]:
    return _read(path, {"village_code", "grid_code", "username", "post", "started_on", "ended_on"})


def add_grid(parent: Grid, name: str) -> Grid:
    """A new grid below ``parent`` (a 二级网格 below the 一级, a 微网格 below a 二级), numbered next."""
    if parent.level >= GridLevel.MICRO:
        raise ValueError("a micro-grid has no grids below it")
    siblings = Grid.objects.filter(region_id=parent.region_id, parent=parent).values_list("code", flat=True)
    numbers = [int(c.rsplit("-", 1)[-1]) for c in siblings]
    number = f"{max(numbers, default=0) + 1:02d}"
    code = number if not parent.code else f"{parent.code}-{number}"
    return Grid.objects.create(
        region_id=parent.region_id, parent=parent, level=parent.level + 1, code=code, name=name.strip()
    )


def end_post(post: GridPost, on: datetime.date) -> None:
    """The post ends; it stays in the grid's history."""
    post.ended_on = max(on, post.started_on)
    post.save(update_fields=["ended_on"])
