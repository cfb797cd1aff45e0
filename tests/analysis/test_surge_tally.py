"""The surge rules' per-county category counts read the whole months of their baselines from the
opened-case tally (analysis.surge._Totals): the same figures as counting every case, whatever the
cases' places, dates (on a month's edge in Asia/Shanghai), categories and withholding."""

import datetime
import random

import pytest

from analysis import surge
from analysis.models import RuleKind, WarningRule
from tests.reporting.test_opened_tally import _dispute
from tests.reporting.test_petition_tally import _petition, _world

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def _counts(totals) -> dict:
    return {key: figures for key, figures in totals.by_category.items() if any(figures)}


def test_the_category_baselines_from_the_tally_equal_the_counts_of_the_cases(demo, monkeypatch):
    rng = random.Random(22)
    places, categories, units, _readers = _world(demo)
    for n in range(50):
        (_dispute(rng, places, units, n) if n % 2 else _petition(rng, places, categories, units, n))
    rules = list(WarningRule.objects.filter(kind=RuleKind.SURGE))
    assert len(rules) >= 2  # windows of 7 and 30 days: the tallied months lie inside both baselines
    counties = {code[:6] for code in places}
    # At 00:30 in Shanghai on a month's first day, and in the middle of a month.
    for now in (
        datetime.datetime(2026, 10, 31, 16, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC),
    ):
        windows = sorted({surge._windows(rule, now) for rule in rules})
        tallied = surge._Totals(counties, windows, now)
        assert tallied.tallied is not None and tallied.tallied[0] > windows[-1][0]
        with monkeypatch.context() as m:
            m.setattr(surge, "monthly_tallies_available", lambda: False)
            counted = surge._Totals(counties, windows, now)
        assert counted.tallied is None
        assert _counts(counted) and _counts(tallied) == _counts(counted), now
        assert tallied.by_region == counted.by_region
