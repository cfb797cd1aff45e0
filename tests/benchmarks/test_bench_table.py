"""The bench's table (issue 22): each figure with the load average it was taken at, and whether it
meets its target with the 30 % margin the issue asks for."""

import io
import os

from benchmarks.bench.pages import Measure
from benchmarks.management.commands.bench import Command


def _measure(p95, **extra):
    return Measure(name="dispute detail", user="village", p50_ms=p95 / 2, p95_ms=p95, target_ms=100, **extra)


def test_a_figure_meets_its_target_with_the_margin_at_seventy_percent_of_it():
    assert _measure(70).meets and _measure(70).meets_with_margin
    assert _measure(71).meets and _measure(71).meets_with_margin is False
    assert _measure(101).meets is False and _measure(101).meets_with_margin is False
    assert _measure(50, queries=13, max_queries=12).meets_with_margin is False  # queries count too
    assert Measure(name="job", user="worker", p50_ms=1, p95_ms=1).meets_with_margin is None  # no target
    assert _measure(71).as_dict()["meets_with_margin"] is False


def test_each_row_carries_the_load_average_it_was_taken_at():
    out = io.StringIO()
    command = Command(stdout=out)
    command._header()
    m = _measure(80)
    command._row(m)
    header, row = out.getvalue().splitlines()[-2:]
    assert header.split()[-3:] == ["ok", "margin", "load"]
    assert m.load is not None and abs(m.load - os.getloadavg()[0]) < 5
    assert row.split()[-3:] == ["yes", "no", f"{m.load:.2f}"]
