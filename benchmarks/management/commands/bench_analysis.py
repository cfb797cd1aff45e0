"""Benchmark of the analysis pages (研判) and the monthly 研判报告 on the current database (not a
test; docs/performance.md, "Analysis pages and the 研判报告"):

    python manage.py bench_analysis --user zhuji_supervisor --month 2026-11 --repeat 5

For each region asked (default: the user's region and its first child), times the analysis page
as the test client fetches it (every figure, the tile grid), the warnings list with a period
filter, and the report's parts: the figures and charts (``report_data``), the template and the
WeasyPrint layout. Prints the median (min-max) over the rounds, the statements run and the load.
"""

import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Region, User
from cases.pdf import html_to_pdf
from reporting import monthly_report
from reporting.forms import default_region
from reporting.periods import Period, default_period


def _timed(function, repeat):
    times, result, queries = [], None, 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), min(times), max(times), queries, result


class Command(BaseCommand):
    help = "Time the analysis pages, the warnings list with a period, and the monthly analysis report."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="zhuji_supervisor")
        parser.add_argument("--region", action="append", help="region code (default: the user's and a child)")
        parser.add_argument("--month", help="YYYY-MM (default: the last full month)")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, user, region, month, repeat, **options):
        user = User.objects.get(username=user)
        period = Period.month(*map(int, month.split("-"))) if month else default_period()
        if region:
            regions = [Region.objects.get(code=code) for code in region]
        else:
            top = default_region(user)
            regions = [top, *top.children.order_by("code")[:1]]
        client = Client()
        client.force_login(user)
        self.stdout.write(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        self.stdout.write(
            f"{user.username}, {period.label()}, {repeat} rounds (median (min-max), statements)"
        )
        query = {"month": f"{period.start:%Y-%m}"}
        warnings = {"status": "all", "period": "chosen", **query}
        self._line(
            "warnings list, a month", _timed(lambda: client.get(reverse("analysis:list"), warnings), repeat)
        )
        for place in regions:
            params = {"region": place.code, **query}
            page = _timed(lambda p=params: client.get(reverse("insight:index"), p), repeat)
            self._line(f"{place.name}: analysis page", page)
            with translation.override("zh-hans"):
                data = _timed(lambda p=place: monthly_report.render_html(user, p, period), repeat)
                html = data[4][0]
                pdf = _timed(lambda h=html: html_to_pdf(h), max(1, repeat // 2))
            self._line(f"{place.name}: report figures, charts and HTML", data)
            self._line(f"{place.name}: report WeasyPrint ({len(pdf[4]):,} bytes)", pdf)
        self.stdout.write(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def _line(self, name, timed):
        median, low, high, queries, _result = timed
        self.stdout.write(f"  {name}: {median:.3f} s ({low:.3f}-{high:.3f}), {queries} statements")
