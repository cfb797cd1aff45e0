"""The tier list (tests/tiers.py) names files that exist, and ``make test-fast`` leaves exactly
those tiers out."""

import re
from fnmatch import fnmatch

from tests.tiers import ROOT, TIERS, tiers_of


def test_every_tier_pattern_matches_a_test_file():
    files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")]
    stale = [p for patterns in TIERS.values() for p in patterns if not any(fnmatch(f, p) for f in files)]
    assert not stale, f"tests/tiers.py names no test file any more: {stale}"


def test_a_file_is_in_its_tier():
    assert tiers_of(ROOT / "tests/security/test_access_matrix.py") == ["matrix"]
    assert tiers_of(ROOT / "tests/security/test_hostile_dates.py") == ["hostile"]
    assert tiers_of(ROOT / "tests/cases/test_faults_10k.py") == ["fault"]
    assert tiers_of(ROOT / "tests/cases/test_search.py") == []


def test_make_test_fast_leaves_out_every_tier_and_only_those():
    makefile = (ROOT / "Makefile").read_text()
    expression = re.search(r'^FAST_MARKERS\s*=\s*"?(.+?)"?$', makefile, re.M).group(1)
    assert set(re.findall(r"\w+", expression)) - {"not", "or", "and"} == set(TIERS)
