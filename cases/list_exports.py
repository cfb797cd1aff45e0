"""Case lists as xlsx: the same filters, scoping and masking as the list pages.

Each list type registers a ``ListExport`` (petitions from its app's ready()); a download is built
either at once or as a background job (cases.jobs) whose page shows its progress. Every cell goes
through cases.exports, so no cell can be a formula.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .exports import write_xlsx
from .jobs import complete, runner
from .models import JobKind
from .pii import can_view_full_pii, party_view

MAX_ROWS = 10_000
RESULT_DIR = "jobs"


@dataclass(frozen=True)
class ListExport:
    key: str
    filename: str
    headers: Callable[[], list]
    queryset: Callable  # (user, QueryDict) -> the list page's queryset
    row: Callable  # (case, full_pii: bool) -> list of cell values


LIST_EXPORTS: dict[str, ListExport] = {}


def register(spec: ListExport) -> None:
    LIST_EXPORTS[spec.key] = spec


def party_names(case, full: bool) -> str:
    return "、".join(party_view(link, full)["name"] for link in case.parties.all())


def local(value, fmt="%Y-%m-%d") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def rows(spec: ListExport, user, query: QueryDict, progress=None):
    """The export's rows for ``user``; ``progress(done, total)`` is told as they are made."""
    full = can_view_full_pii(user)
    queryset = spec.queryset(user, query)[:MAX_ROWS]
    total = queryset.count() if progress else None
    for done, case in enumerate(queryset.iterator(chunk_size=500), start=1):
        yield spec.row(case, full)
        if progress:
            progress(done, total)


def workbook(spec: ListExport, user, query: QueryDict, progress=None) -> bytes:
    headers = [str(h) for h in spec.headers()]
    return write_xlsx(headers, rows(spec, user, query, progress), spec.key)


@runner(JobKind.LIST_EXPORT)
def run_list_export(job, progress):
    spec = LIST_EXPORTS[job.params["list"]]
    content = workbook(spec, job.owner, QueryDict(job.params.get("query", "")), progress)
    relative = f"{RESULT_DIR}/{job.pk}-{uuid.uuid4().hex}.xlsx"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    complete(
        job, result_path=relative, report={"rows": job.done},
        message=_("%(count)d rows exported.") % {"count": job.done},
    )  # fmt: skip


def dispute_export() -> ListExport:
    from .forms import DisputeFilterForm
    from .selectors import dispute_list

    def queryset(user, query):
        form = DisputeFilterForm(query or None)
        return dispute_list(user, form.cleaned_data if form.is_valid() else {})

    def headers():
        return [_("Case number"), _("Summary"), _("Parties"), _("Region"), _("Category"), _("Risk level"),
                _("Status"), _("Registered"), _("Next due")]  # fmt: skip

    def row(d, full):
        return [
            d.number, d.summary, party_names(d, full), d.region.name, d.category.name, d.risk_level.name,
            str(d.get_status_display()), local(d.opened_at, "%Y-%m-%d %H:%M"), local(d.next_due_at),
        ]  # fmt: skip

    return ListExport("disputes", "disputes.xlsx", headers, queryset, row)
