"""The whole benchmark (``make bench``): pages for a village, a town and a county user (the
analysis page and the warnings of a month among them; and the
province when it is seeded), the closure PDF, the deadline scan over a million due deadlines and its
re-run, one delivery of 100,000 due reminders, a 10,000-row import, the early-warning scan over a
day's new cases and its re-run, and the key-person and 包案 pages (issue 18, benchmarks.bench.
warnings). Prints a table and writes JSON (default var/bench.json).

    DATABASE_URL=postgres://…/jiefen_scale python manage.py bench

Run it on a database seeded with ``seed_demo --scale province`` (docs/performance.md). The scan's
bench rows are deleted afterwards; the imported disputes stay (each run adds 10,000).
"""

import gc
import json
import os
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.bench.pages import MARGIN
from benchmarks.bench.run import (
    database_size,
    run_analysis_report,
    run_delivery,
    run_import,
    run_pages,
    run_pdf,
    run_scan,
)
from benchmarks.bench.warnings import run_duty_pages, run_warning_scan

PARTS = ["pages", "pdf", "scan", "delivery", "import", "warnings", "duties"]


class Command(BaseCommand):
    help = "Time the main pages and jobs on a large database; print a table and write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
        parser.add_argument("--scan-deadlines", type=int, default=1_000_000)
        parser.add_argument("--delivery-reminders", type=int, default=100_000)
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument("--only", choices=PARTS, action="append")
        parser.add_argument(
            "--duty-rows", type=int, default=500, help="key persons and 包案 seeded for their pages"
        )
        parser.add_argument("--province", action="store_true", help="also the province user's pages (slow)")
        parser.add_argument(
            "--seed-if-needed", action="store_true",
            help="first run seed_demo --scale province when the database holds fewer than 1M disputes",
        )  # fmt: skip
        parser.add_argument(
            "--json", dest="json_path", type=Path, default=Path(settings.BASE_DIR) / "var" / "bench.json"
        )

    def handle(
        self,
        repeat,
        scan_deadlines,
        delivery_reminders,
        import_rows,
        only,
        json_path,
        seed_if_needed=False,
        **options,
    ):
        if connection.vendor != "postgresql":
            raise CommandError("the benchmark needs PostgreSQL (set DATABASE_URL to a seeded database)")
        # As the web server and the workers do once loaded (config.heap, a floor above this app).
        gc.collect()
        gc.freeze()
        only = set(only or PARTS)
        started = time.monotonic()
        db = database_size()
        seeding = None
        if seed_if_needed and db["disputes"] < 900_000:
            self.stdout.write("seeding the province (seed_demo --scale province) …")
            t = time.monotonic()
            call_command("seed_demo", scale="province", stdout=self.stdout)
            seeding = round(time.monotonic() - t)
            db = database_size()
        self.stdout.write(
            f"database: {db['disputes']:,} disputes, {db['petitions']:,} petitions, "
            f"{db['open_cases']:,} open cases, {db['size']}"
        )
        self._header()
        results = []
        if "pages" in only:
            results += run_pages(repeat, self._row, province=options.get("province", False))
        if "pdf" in only and (m := run_pdf(max(5, repeat // 2), self._row)):
            results.append(m)
        if "pdf" in only:
            results.append(run_analysis_report(3, self._row))
        if "scan" in only and scan_deadlines:
            results += run_scan(scan_deadlines, self._row)
        if "delivery" in only and delivery_reminders:
            results.append(run_delivery(delivery_reminders, self._row))
        if "import" in only and import_rows and (m := run_import(import_rows, self._row)):
            results.append(m)
        if "warnings" in only:
            results += run_warning_scan(self._row)
        if "duties" in only:
            results += run_duty_pages(repeat, self._row, options.get("duty_rows", 500))
        elapsed = time.monotonic() - started
        missed = [m for m in results if m.meets is False]
        thin = [m for m in results if m.meets and m.meets_with_margin is False]
        self.stdout.write(
            f"\n{len(results)} measurements in {elapsed / 60:.1f} min; "
            f"{len(results) - len(missed)} meet their target, {len(missed)} miss; "
            f"{len(thin)} met without a {MARGIN:.0%} margin; load average now {_load():.2f}"
        )
        for m in missed:
            self.stdout.write(f"  MISSED: {m.name} — {m.user}: p95 {m.p95_ms} ms, {m.queries} queries")
        for m in thin:
            self.stdout.write(f"  NO MARGIN: {m.name} — {m.user}: p95 {m.p95_ms} of {m.target_ms:.0f} ms")
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(
            _dumps(
                {
                    "machine": {"cpus": _cpus(), "memory": _memory(), "python": platform.python_version(),
                                "postgresql": connection.pg_version},
                    "database": db,
                    "seeding_seconds": seeding,
                    "minutes": round(elapsed / 60, 1),
                    "results": [m.as_dict() for m in results],
                }
            )
        )  # fmt: skip
        self.stdout.write(f"written {json_path}")

    def _header(self):
        self.stdout.write(
            f"\n{'measurement':<34} {'user':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} "
            f"{'floor ms':>9} {'target':>8}  ok  {'margin':>6} {'load':>5}"
        )

    def _row(self, m):
        if m.load is None:
            m.load = round(_load(), 2)  # a row is written as soon as its figure is taken
        target = f"{m.target_ms:.0f}" if m.target_ms else ""
        ok = {True: "yes", False: "NO", None: ""}[m.meets]
        margin = {True: "yes", False: "no", None: ""}[m.meets_with_margin]
        floor = f"{m.floor_ms:.1f}" if m.floor_ms is not None else ""
        queries = m.queries if m.queries is not None else ""
        self.stdout.write(
            f"{m.name:<34} {m.user:<34} {m.p50_ms:>8.1f} {m.p95_ms:>8.1f} {queries:>7} {floor:>9} "
            f"{target:>8}  {ok:<3} {margin:>6} {m.load:>5.2f}" + (f"  ({m.note})" if m.note else "")
        )
        self.stdout.flush()


def _load() -> float:
    """The 1-minute load average (issue 22: every figure is read beside the load it was taken at)."""
    return os.getloadavg()[0]


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _memory() -> str:
    try:
        with open("/proc/meminfo") as fh:
            kib = int(fh.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GiB"
    except OSError:
        return ""
