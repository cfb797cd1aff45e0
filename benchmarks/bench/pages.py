"""Timing pages in-process with Django's test client, and the raw-SQL floor beside each.

Server time is measured around ``Client.get`` in the same process: URL resolution, middleware,
the view, its queries and the template, without a network or a browser. The query count comes from
one extra request under ``CaptureQueriesContext`` (capturing adds its own overhead, so it is kept
out of the timed requests). The floor is the slowest query of that request run again on its own
through a raw cursor: what the page costs at least while it runs that query.
"""

import statistics
import time
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Measure:
    name: str
    user: str
    p50_ms: float
    p95_ms: float
    queries: int | None = None
    floor_ms: float | None = None
    floor_sql: str = ""
    target_ms: float | None = None
    max_queries: int | None = None
    status: int | None = None
    note: str = ""
    samples: int = 0
    extra: dict = field(default_factory=dict)
    load: float | None = None  # the 1-minute load average when the figure was taken (issue 22)

    @property
    def meets(self) -> bool | None:
        return self._within(1.0)

    @property
    def meets_with_margin(self) -> bool | None:
        """Issue 22: p95 at most 70 % of the target (a 30 % margin), the query bound as ``meets``."""
        return self._within(1.0 - MARGIN)

    def _within(self, share: float) -> bool | None:
        if self.target_ms is None:
            return None
        ok = self.p95_ms <= self.target_ms * share
        if self.max_queries is not None and self.queries is not None:
            ok = ok and self.queries <= self.max_queries
        return ok and (self.status in (None, 200))

    def as_dict(self) -> dict:
        return {**asdict(self), "meets_target": self.meets, "meets_with_margin": self.meets_with_margin}


MARGIN = 0.3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _ms(times: list[float], q: float) -> float:
    return round(percentile(times, q), 1)


def time_sql(sql: str, repeat: int = 5) -> float:
    """Median milliseconds of one SQL statement through a raw cursor (the rows are fetched)."""
    times = []
    with connection.cursor() as cur:
        for _ in range(repeat):
            started = time.perf_counter()
            cur.execute(sql)
            if cur.description is not None:
                cur.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def time_page(client: Client, name: str, user: str, url: str, *, repeat: int, warmup: int = 2, **target):
    """p50/p95 of ``repeat`` GETs of ``url`` after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        response = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Copied now: every request start clears the connection's query log (django.db.reset_queries).
    captured = list(ctx.captured_queries)
    status = response.status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    slowest = max(captured, key=lambda q: float(q["time"]), default=None)
    floor_ms, floor_sql = None, ""
    # EXECUTE: a statement prepared in this session (the request user's, a case page's case).
    if slowest is not None and slowest["sql"].lstrip().upper().startswith(("SELECT", "WITH", "EXECUTE")):
        floor_sql = slowest["sql"]
        floor_ms = round(time_sql(floor_sql), 2)
    return Measure(
        name=name, user=user, p50_ms=_ms(times, 0.5), p95_ms=_ms(times, 0.95),
        queries=len(captured), floor_ms=floor_ms, floor_sql=floor_sql[:2000], status=status,
        samples=repeat, extra={"url": url}, **target,
    )  # fmt: skip


def time_call(name: str, user: str, fn, *, repeat: int, warmup: int = 1, **target) -> Measure:
    """p50/p95 of a plain function call (a job rather than a page)."""
    for _ in range(warmup):
        fn()
    times = []
    queries = None
    for i in range(repeat):
        if i == 0:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
            continue
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return Measure(
        name=name, user=user, p50_ms=_ms(times, 0.5), p95_ms=_ms(times, 0.95),
        queries=queries, samples=repeat, **target,
    )  # fmt: skip
