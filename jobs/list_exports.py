"""Case lists as xlsx: the same filters, scoping and masking as the list pages.

Each list type registers a ``ListExport`` (petitions from its app's ready()); a download is built
either at once or as a background job (jobs.runner) whose page shows its progress. Every cell goes
through cases.exports, so no cell can be a formula. An export may be JSON instead (``fmt="json"``,
the 信访信息系统 exchange, petitions.exchange): a list of objects keyed by ``keys()``.
"""

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.exports import write_xlsx
from cases.pii import can_view_full_pii, party_view
from jobs.models import JobKind
from jobs.runner import complete, runner

MAX_ROWS = 10_000
RESULT_DIR = "jobs"


@dataclass(frozen=True)
class ListExport:
    key: str
    title: str  # translated (lazy): the sheet's name and the file's, e.g. 人民调解案件清单
    headers: Callable[[], list]
    queryset: Callable  # (user, QueryDict) -> the list page's queryset
    row: Callable  # (case, full_pii: bool) -> list of cell values
    fmt: str = "xlsx"  # or "json"
    json_keys: Callable | None = None  # JSON: the objects' keys, one per header (default: the headers)


LIST_EXPORTS: dict[str, ListExport] = {}


def register(spec: ListExport) -> None:
    LIST_EXPORTS[spec.key] = spec


def party_names(case, full: bool) -> str:
    return "、".join(party_view(link, full)["name"] for link in case.parties.all())


def local(value, fmt="%Y-%m-%d") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def local_date(value):
    """A moment as its Asia/Shanghai date: a real date cell, which a clerk can sort and filter."""
    return timezone.localtime(value).date() if value else None


def days_taken(case, start=None) -> int | None:
    """Calendar days from ``start`` (default: registration) to closing, or to today for an open case."""
    start = start or local_date(case.opened_at)
    if start is None:
        return None
    end = local_date(case.closed_at) or timezone.localdate()
    return (end - start).days


def download_name(spec: ListExport, when=None) -> str:
    """人民调解案件清单-20261205.xlsx: the list's name and the day it was made."""
    day = timezone.localtime(when).date() if when else timezone.localdate()
    return f"{spec.title}-{day:%Y%m%d}.{spec.fmt}"


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def rows(spec: ListExport, user, query: QueryDict, progress=None, held=None):
    """The export's rows for ``user``; ``progress(done, total)`` is told as they are made, and the
    case ids are added to ``held`` (the job's result records them for the download's check)."""
    full = can_view_full_pii(user)
    queryset = spec.queryset(user, query)[:MAX_ROWS]
    total = queryset.count() if progress else None
    for done, case in enumerate(queryset.iterator(chunk_size=500), start=1):
        if held is not None:
            held.append(case.pk)
        yield spec.row(case, full)
        if progress:
            progress(done, total)


def workbook(spec: ListExport, user, query: QueryDict, progress=None, held=None) -> bytes:
    headers = [str(h) for h in spec.headers()]
    if spec.fmt == "json":
        keys = [str(k) for k in spec.json_keys()] if spec.json_keys else headers
        records = [dict(zip(keys, values, strict=True)) for values in rows(spec, user, query, progress, held)]
        return json.dumps({"title": str(spec.title), "records": records}, ensure_ascii=False, indent=1,
                          default=_json_value).encode()  # fmt: skip
    return write_xlsx(headers, rows(spec, user, query, progress, held), str(spec.title))


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


@runner(JobKind.LIST_EXPORT)
def run_list_export(job, progress):
    spec = LIST_EXPORTS[job.params["list"]]
    held = []
    content = workbook(spec, job.owner, QueryDict(job.params.get("query", "")), progress, held)
    relative = f"{RESULT_DIR}/{job.pk}-{uuid.uuid4().hex}.{spec.fmt}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    complete(
        job, result_path=relative, report={"rows": job.done, "full_pii": can_view_full_pii(job.owner)},
        message=_("%(count)d rows exported.") % {"count": job.done}, case_ids=held,
    )  # fmt: skip
