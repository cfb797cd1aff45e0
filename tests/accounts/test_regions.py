import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.demo import REGION_FILE
from accounts.models import Region, RegionLevel
from accounts.regions import RegionFileError, filter_subtree, load_regions, parse_rows, read_rows

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"
GOOD = HEADER + (
    "330000000000,浙江省,province,\n"
    "330600000000,绍兴市,city,330000000000\n"
    "330681000000,诸暨市,county,330600000000\n"
    "330681109000,枫桥镇,town,330681000000\n"
    "330681109219,先进村委会,village,330681109000\n"
)


def test_load_is_idempotent():
    first = load_regions(parse_rows(io.StringIO(GOOD)))
    second = load_regions(parse_rows(io.StringIO(GOOD)))
    assert (first.created, first.updated) == (5, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert Region.objects.count() == 5


def test_renamed_region_is_updated():
    load_regions(parse_rows(io.StringIO(GOOD)))
    result = load_regions(parse_rows(io.StringIO(GOOD.replace("先进村委会", "先进村"))))
    assert result.updated == 1
    assert Region.objects.get(code="330681109219").name == "先进村"


def test_prefix_of_each_level():
    load_regions(parse_rows(io.StringIO(GOOD)))
    prefixes = {r.level: r.prefix for r in Region.objects.all()}
    assert prefixes == {
        RegionLevel.PROVINCE: "33",
        RegionLevel.CITY: "3306",
        RegionLevel.COUNTY: "330681",
        RegionLevel.TOWN: "330681109",
        RegionLevel.VILLAGE: "330681109219",
    }


def test_bad_rows_are_reported_by_line_and_nothing_is_written():
    bad = GOOD + "33068110922,短码村,village,330681109000\n" + "330681109230,某村,hamlet,330681109000\n"
    with pytest.raises(RegionFileError) as info:
        load_regions(parse_rows(io.StringIO(bad)))
    assert any("Line 7" in e or "第 7 行" in e for e in info.value.errors)
    assert any("Line 8" in e or "第 8 行" in e for e in info.value.errors)
    assert Region.objects.count() == 0


def test_full_width_digits_are_not_a_code():
    # Python's \d accepts full-width digits; the loader must not.
    row = HEADER + "３３００００００００００,浙江省,province,\n"
    with pytest.raises(RegionFileError):
        parse_rows(io.StringIO(row))


def test_child_outside_its_parent_is_refused():
    bad = GOOD + "330682101001,错村,village,330681109000\n"
    with pytest.raises(RegionFileError):
        load_regions(parse_rows(io.StringIO(bad)))
    assert Region.objects.count() == 0


def test_subtree_filter_keeps_ancestors():
    rows = filter_subtree(parse_rows(io.StringIO(GOOD)), "330681109000")
    assert {r["code"] for r in rows} == {
        "330000000000",
        "330600000000",
        "330681000000",
        "330681109000",
        "330681109219",
    }


def test_demo_fixture_is_the_whole_demo_county():
    rows = read_rows(REGION_FILE)
    levels = [r["level"] for r in rows]
    assert levels.count(RegionLevel.TOWN) == 23
    assert levels.count(RegionLevel.VILLAGE) == 515


def test_command_loads_the_shared_province_file_for_one_county(tmp_path, settings):
    from pathlib import Path

    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "regions-zhejiang.csv"
    if not shared.exists():
        pytest.skip("shared/data is not beside this checkout")
    out = io.StringIO()
    call_command("load_regions", str(shared), root="330681109000", stdout=out)
    assert "created" in out.getvalue()
    assert Region.objects.filter(code__startswith="330681109").count() > 20
    call_command("load_regions", str(shared), root="330681109000", stdout=out)
    assert "0 created, 0 updated" in out.getvalue().splitlines()[-1]


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_regions", str(tmp_path / "nope.csv"))
