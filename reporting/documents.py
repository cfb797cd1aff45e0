"""The statistics PDF, rendered in the background before it is asked for and kept
(docs/performance.md, "The statistics PDF").

WeasyPrint takes 1-1.5 s of CPU to lay out a county's tables (every cell is a box with its own
style and text layout), several seconds of wall time on a loaded machine. So the statistics page
asks the worker (reporting.tasks) to render the document its viewer would download, unless it is
stored already, and keeps it in ``StatisticsDocument``; the download then costs the figures and a
template render (0.1-0.3 s). A frozen month's document is rendered once: its figures do not change
(the page a freeze redirects to asks for it, and ``seed_demo`` renders the demo's). A month not
frozen gets a new document when its figures change, which replaces the unit's earlier one.

Scope: a stored document is found by the region, the period and the digest of what it shows as
the asking user's own figures give it (``reports.statistics_data``: the one scoping rule, then the
frozen figures restricted to this user): every text and figure the template writes, the reader's
language, and the source of the templates and tags that write it (``document_digest``). So a row is only
served to someone who would have rendered that same document themselves; a user of another unit,
with other figures or another heading, has another digest and gets their own document. The digest
is taken from those inputs rather than from the rendered HTML: the statistics page asks for the
document on every view, and writing the whole document there only to digest it was ~15 % of the
page (docs/performance.md).
"""

import datetime
import hashlib
import json
import logging
import time
from functools import cache as once

from celery import current_app
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from cases.pdf import html_to_pdf
from jobs.models import WorkerHeartbeat
from reporting.models import StatisticsDocument

logger = logging.getLogger(__name__)

TEMPLATE = "reports/statistics.html"
PREPARE_TASK = "reporting.tasks.prepare_statistics_pdf"
# How long a render asked for in the background keeps others from asking again.
PENDING_SECONDS = 120
# How long a download waits for the render the worker is doing (when the worker's heartbeat, every
# minute, is recent) before laying the document out itself.
WAIT_SECONDS = 8
ALIVE_SECONDS = 300


@once
def _writer() -> str:
    """The source of what turns the inputs into HTML: the template, the one it extends, the tags."""
    from reporting.templatetags import reporting_tags

    parts = [get_template(name).template.source for name in (TEMPLATE, "reports/base.html")]
    with open(reporting_tags.__file__, encoding="utf-8") as source:
        parts.append(source.read())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _shown(report, data) -> list:
    """Everything the template reads from its context, as text, but the "made on" line: a stored
    document stays the one to serve on the following days, and carries the date it was made."""

    def column(c):  # what the template prints of it, and how ``figure`` formats its cells
        printed = [c.key, c.heading, str(c.label), c.unit, c.unit_shown, str(c.formula)]
        return [*printed, bool(c.rate), bool(c.mean)]

    def row(r):
        return [r["row"].key, str(r["row"].name), [[repr(c["value"]), repr(c["live"])] for c in r["cells"]]]

    sheets = [
        [t["sheet"].key, str(t["sheet"].title), [column(c) for c in t["sheet"].columns],
         [row(r) for r in t["rows"]]]
        for t in data["sheets"]
    ]  # fmt: skip
    comparison = [{k: str(v) for k, v in line.items()} for line in data["results"]["comparison"]]
    heading = [str(line) for line in data["heading"][:-1]]
    return [get_language(), str(report.title), heading, comparison, sheets]


def document_digest(report, data) -> str:
    """The digest a document of ``data`` is stored under: what it shows and the code that writes it,
    so two documents with one digest are the same HTML (tests/reporting/test_statistics_documents.py)."""
    shown = json.dumps(_shown(report, data), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_writer()}\0{shown}".encode()).hexdigest()


def html_and_digest(report, data) -> tuple[str, str]:
    """The document's HTML and the digest it is stored under."""
    context = {
        "report": report, **data, "comparison": data["results"]["comparison"],
        "heading": data["heading"][:-1],
    }  # fmt: skip
    return render_to_string(TEMPLATE, context), document_digest(report, data)


def _rows(report, data, digest):
    period = data["period"]
    return StatisticsDocument.objects.filter(
        report=report.kind, region=data["region"], start=period.start, end=period.end, digest=digest
    )


def _stored(report, data, digest) -> bytes | None:
    stored = _rows(report, data, digest).values_list("pdf", flat=True).first()
    return None if stored is None else bytes(stored)


def _pending(digest) -> str:
    return f"statistics-pdf:{digest}"


def _worker_alive() -> bool:
    beat = WorkerHeartbeat.objects.filter(name="celery").values_list("last_seen", flat=True).first()
    return beat is not None and timezone.now() - beat < datetime.timedelta(seconds=ALIVE_SECONDS)


def _wait_for_worker(report, data, digest) -> bytes | None:
    """The document the worker is rendering, if it is stored within WAIT_SECONDS: a download pressed
    right after the page would otherwise lay it out a second time, beside the worker."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if (stored := _stored(report, data, digest)) is not None:
            return stored
    return None


def _store(user, report, data, digest, pdf: bytes) -> None:
    """Keep ``pdf``, and drop what it supersedes: the earlier documents of the same report, region
    and period made for the same unit, whose figures were those of an earlier day. (Another user of
    the unit whose own cases make their figures differ has to have theirs rendered again.)"""
    period = data["period"]
    same = StatisticsDocument.objects.filter(
        report=report.kind, region=data["region"], start=period.start, end=period.end, unit_id=user.unit_id
    )
    try:
        with transaction.atomic():
            row = StatisticsDocument.objects.create(
                report=report.kind, region=data["region"], start=period.start, end=period.end,
                digest=digest, pdf=pdf, unit_id=user.unit_id,
            )  # fmt: skip
    except IntegrityError:
        return  # rendered at the same time by another process: the same bytes but for the date
    same.filter(made_at__lt=row.made_at).delete()


def statistics_pdf(user, report, data) -> bytes:
    """The PDF of what ``data`` (``reports.statistics_data`` for ``user``) shows: the stored one, or
    the one the worker is finishing, or rendered and stored now."""
    html, digest = html_and_digest(report, data)
    stored = _stored(report, data, digest)
    if stored is None and cache.get(_pending(digest)) and _worker_alive():
        stored = _wait_for_worker(report, data, digest)
    if stored is not None:
        return stored
    pdf = html_to_pdf(html)
    _store(user, report, data, digest, pdf)
    return pdf


def prepare(user, report, data) -> bool:
    """Render and store the document of ``data`` (computed for ``user``) unless it is stored;
    True if rendered."""
    html, digest = html_and_digest(report, data)
    if _rows(report, data, digest).exists():
        return False
    _store(user, report, data, digest, html_to_pdf(html))
    return True


def prepare_later(user, report, data) -> None:
    """Ask the worker to render the document ``user`` would download unless it is stored: by the
    time they press the button on the page it is (reporting.tasks)."""
    key = document_digest(report, data)
    if _rows(report, data, key).exists() or not cache.add(_pending(key), 1, PENDING_SECONDS):
        return
    period = data["period"]
    args = (user.pk, report.slug, data["region"].code, period.start.isoformat(), period.end.isoformat())
    language = get_language()

    def send():
        try:
            current_app.signature(PREPARE_TASK, args=(*args, language)).delay()
        except Exception:  # a broker that does not answer: the download renders it instead
            logger.warning("statistics PDF not queued", exc_info=True)
            cache.delete(_pending(key))

    transaction.on_commit(send)
