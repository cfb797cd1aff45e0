"""Loading the division tree from a CSV file (code,name,level,parent_code).

All-or-nothing: every row is checked first; any error aborts the load with the line numbers and
nothing is written. Loading the same file again changes nothing (upsert on the code).
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import LEVEL_NAMES, PREFIX_LENGTH, Region

# ASCII digits only: Python's \d also matches full-width and other Unicode digits.
CODE_RE = re.compile(r"[0-9]{12}")


class RegionFileError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return parse_rows(fh)


def parse_rows(fh: io.TextIOBase) -> list[dict]:
    reader = csv.DictReader(fh)
    missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
    if missing:
        raise RegionFileError([_("Missing columns: %s") % ", ".join(sorted(missing))])
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        code = (raw["code"] or "").strip()
        name = (raw["name"] or "").strip()
        level_name = (raw["level"] or "").strip()
        parent = (raw["parent_code"] or "").strip()
        if not CODE_RE.fullmatch(code):
            errors.append(
                _("Line %(line)d: the code %(code)r is not 12 digits.") % {"line": line, "code": code}
            )
            continue
        if level_name not in LEVEL_NAMES:
            errors.append(_("Line %(line)d: unknown level %(level)r.") % {"line": line, "level": level_name})
            continue
        if not name:
            errors.append(_("Line %(line)d: the name is empty.") % {"line": line})
            continue
        rows.append(
            {"line": line, "code": code, "name": name, "level": LEVEL_NAMES[level_name], "parent": parent}
        )
    if errors:
        raise RegionFileError(errors)
    return rows


def filter_subtree(rows: list[dict], code: str) -> list[dict]:
    """Rows of region ``code``, everything below it, and its ancestors (so the tree is whole)."""
    by_code = {r["code"]: r for r in rows}
    root = by_code.get(code)
    if root is None:
        raise RegionFileError([_("The region %s is not in the file.") % code])
    prefix = code[: PREFIX_LENGTH[root["level"]]]
    keep = {r["code"] for r in rows if r["code"].startswith(prefix) and r["level"] >= root["level"]}
    parent = root["parent"]
    while parent:
        keep.add(parent)
        parent = by_code[parent]["parent"] if parent in by_code else ""
    return [r for r in rows if r["code"] in keep]


def validate_tree(rows: list[dict]) -> None:
    codes = {r["code"] for r in rows}
    existing = set(
        Region.objects.filter(code__in={r["parent"] for r in rows if r["parent"]} - codes).values_list(
            "code", flat=True
        )
    )
    errors = []
    seen = set()
    for r in rows:
        if r["code"] in seen:
            errors.append(_("Line %(line)d: the code %(code)s appears twice.") % r)
        seen.add(r["code"])
        if r["parent"]:
            if r["parent"] not in codes and r["parent"] not in existing:
                errors.append(_("Line %(line)d: the parent %(parent)s is unknown.") % r)
            parent_level = r["level"] - 1
            # A village's parent is a town, etc.; the parent's prefix must start the child's code.
            if parent_level in PREFIX_LENGTH and not r["code"].startswith(
                r["parent"][: PREFIX_LENGTH[parent_level]]
            ):
                errors.append(
                    _("Line %(line)d: the code %(code)s does not lie under its parent %(parent)s.") % r
                )
        elif r["level"] != 1:
            errors.append(_("Line %(line)d: only a province may have no parent.") % r)
    if errors:
        raise RegionFileError(errors)


@transaction.atomic
def load_regions(rows: list[dict]) -> LoadResult:
    validate_tree(rows)
    current = {
        code: (name, level, parent)
        for code, name, level, parent in Region.objects.filter(
            code__in=[r["code"] for r in rows]
        ).values_list("code", "name", "level", "parent_id")
    }
    created = updated = unchanged = 0
    # Parents first, so every foreign key points at a row that exists.
    for level in sorted({r["level"] for r in rows}):
        batch = []
        for r in rows:
            if r["level"] != level:
                continue
            values = (r["name"], r["level"], r["parent"] or None)
            if r["code"] not in current:
                created += 1
            elif current[r["code"]] != values:
                updated += 1
            else:
                unchanged += 1
                continue
            batch.append(
                Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent"] or None)
            )
        Region.objects.bulk_create(
            batch,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent"],
        )
    return LoadResult(created, updated, unchanged)
