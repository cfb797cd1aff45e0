"""`manage.py bench_statistics_pdf` runs and prints its figures (the figures themselves are in
docs/performance.md, not asserted: a timed test on a shared machine proves nothing)."""

import io

import pytest
from django.core.management import call_command

from reporting.models import StatisticsDocument

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_each_timing_and_leaves_the_last_document(demo):
    out = io.StringIO()
    call_command("bench_statistics_pdf", repeat=1, report=["mediation"], month=["2026-10"], stdout=out)
    text = out.getvalue()
    assert "mediation 诸暨市 2026年10月 (live)" in text
    for name in ("on demand", "page (with the render)", "after the page"):
        assert f"  {name}: median " in text
    assert StatisticsDocument.objects.count() == 1
