"""Benchmark of the statistics PDF's first download (not a test; docs/performance.md, "The
statistics PDF"):

    python manage.py bench_statistics_pdf --user zhuji_statistician --month 2026-11 --repeat 5

On the demo database (``seed_demo``), whose last month is frozen. Prints the median (min-max) of
each timing over the rounds and the machine's load. Stored documents of the period are deleted
before each round and the last round's are kept.
"""

import gc
import os
import time

from django.core.management.base import BaseCommand

from accounts.models import Region, User
from benchmarks.bench.statistics_pdf import first_downloads, parts
from benchmarks.demo.activity import last_month
from reporting.forms import default_region
from reporting.periods import Period
from reporting.reports import REPORTS


class Command(BaseCommand):
    help = "Time the first download of the statistics PDFs, on demand and after the statistics page."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="zhuji_statistician")
        parser.add_argument("--region", help="region code (default: the user's region)")
        parser.add_argument(
            "--month", action="append", help="YYYY-MM (default: last month, frozen in the demo)"
        )
        parser.add_argument("--report", choices=sorted(REPORTS), action="append")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, user, region, month, report, repeat, **options):
        # As the web server and the workers do once loaded (config.heap, a floor above this app), and
        # as `bench` does: unfrozen, every full collection during a layout walked Django's ~160,000
        # long-lived objects too (~0.3 s more CPU per document, docs/performance.md).
        gc.collect()
        gc.freeze()
        user = User.objects.get(username=user)
        region = Region.objects.get(code=region) if region else default_region(user)
        periods = [Period.month(*map(int, m.split("-"))) for m in month] if month else [last_month()]
        self.stdout.write(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        started = time.monotonic()
        for period in periods:
            for slug in report or sorted(REPORTS):
                split = parts(user, slug, region, period)
                state = "frozen" if split["frozen"] else "live"
                self.stdout.write(
                    f"{slug} {region.name} {period.label()} ({state}), one run: "
                    f"figures {split['figures']:.3f} s, HTML {split['html']:.3f} s, "
                    f"WeasyPrint {split['weasyprint']:.3f} s, {split['bytes']:,} bytes"
                )
                for name, (median, low, high) in first_downloads(user, slug, region, period, repeat).items():
                    self.stdout.write(
                        f"  {name}: median {median:.3f} s ({low:.3f}-{high:.3f}, {repeat} rounds)"
                    )
        self.stdout.write(
            f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
            f"{time.monotonic() - started:.0f} s in all"
        )
