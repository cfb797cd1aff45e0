"""The first download of a statistics PDF (issue 17), timed in-process with Django's test client.

Each round forgets what earlier rounds left (the stored documents of the period), then times:
- ``on demand``: the download with nothing prepared, which lays the document out itself;
- ``after the page``: the statistics page first (it asks the worker to render the document; here
  Celery runs eagerly, so the page's time includes that render), then the
  download, which is what a user pressing the PDF button on that page waits for.
Besides, one run split into its parts: the figures, the HTML, WeasyPrint's layout and writing.
"""

import statistics
import time

from celery import current_app
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cases.pdf import html_to_pdf
from reporting import documents, tasks
from reporting.models import StatisticsDocument
from reporting.reports import REPORTS, query, statistics_data


def _forget(report, data) -> None:
    period = data["period"]
    StatisticsDocument.objects.filter(
        report=report.kind, region=data["region"], start=period.start, end=period.end
    ).delete()
    _html, digest = documents.html_and_digest(report, data)
    cache.delete(f"statistics-pdf:{digest}")


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def parts(user, slug, region, period) -> dict:
    report = REPORTS[slug]
    figures, data = _timed(lambda: statistics_data(user, report, region, period))
    html_s, (html, _digest) = _timed(lambda: documents.html_and_digest(report, data))
    weasy, pdf = _timed(lambda: html_to_pdf(html))
    return {
        "figures": figures,
        "html": html_s,
        "weasyprint": weasy,
        "bytes": len(pdf),
        "frozen": bool(data["snapshot"]),
    }


def first_downloads(user, slug, region, period, repeat: int) -> dict:
    report = REPORTS[slug]
    client = Client()
    client.force_login(user)
    params = query(region, period)
    page_url = f"{reverse('reporting:table', args=[slug])}?{params}"
    pdf_url = f"{reverse('reporting:pdf', args=[slug])}?{params}"
    times: dict[str, list[float]] = {"on demand": [], "page (with the render)": [], "after the page": []}
    assert tasks.prepare_statistics_pdf.name in current_app.tasks  # run eagerly, not sent by name
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True  # the worker's render, in this process
    try:
        for _round in range(repeat):
            _forget(report, statistics_data(user, report, region, period))
            seconds, response = _timed(lambda: client.get(pdf_url))
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
            times["on demand"].append(seconds)
            _forget(report, statistics_data(user, report, region, period))
            seconds, response = _timed(lambda: client.get(page_url))
            assert response.status_code == 200, response.status_code
            times["page (with the render)"].append(seconds)
            seconds, response = _timed(lambda: client.get(pdf_url))
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
            times["after the page"].append(seconds)
    finally:
        current_app.conf.task_always_eager = eager
    return {name: (statistics.median(values), min(values), max(values)) for name, values in times.items()}
