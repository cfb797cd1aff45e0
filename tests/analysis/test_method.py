"""The surge method of docs/analysis.md, on numbers (analysis.surge.poisson_bound) and the place a
pattern over several regions lies in (analysis.findings.common_region)."""

import math

from analysis.findings import common_region
from analysis.surge import poisson_bound


def tail(mean, k):
    """P(X >= k) for X ~ Poisson(mean), summed directly."""
    return 1 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))


def test_the_bound_is_the_smallest_count_as_unlikely_as_the_significance():
    for mean in (0.02, 0.5, 2, 7.5, 30):
        k = poisson_bound(mean, 0.001)
        assert tail(mean, k) <= 0.001 < tail(mean, k - 1)


def test_a_village_with_one_case_a_year_does_not_alarm_on_two_because_of_the_minimum():
    mean = 1 * 7 / 365
    assert poisson_bound(mean, 0.001) == 2  # two in a week would be unusual by chance alone …
    assert max(5, poisson_bound(mean, 0.001)) == 5  # … but the rule's minimum count is 5


def test_a_place_with_no_history_needs_only_the_minimum():
    assert poisson_bound(0, 0.001) == 1


def test_large_baselines_do_not_underflow():
    k = poisson_bound(2000, 0.001)
    assert 2000 + 3 * math.sqrt(2000) < k < 2000 + 4 * math.sqrt(2000)


def test_a_pattern_lies_in_the_lowest_region_containing_all_its_cases():
    assert common_region(["330681109219", "330681109241"]) == "330681109000"  # two villages: the town
    assert common_region(["330681109219", "330681001001"]) == "330681000000"  # two towns: the county
    assert common_region(["330681109219"]) == "330681109219"
