"""The one visibility rule, for village, town and county users, against cases in their own, a
sibling, a child and the parent region, plus guardian grants, handlers and departments."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region, RegionLevel, Unit
from accounts.scoping import (
    get_visible_case_or_404,
    grant_case_to_unit,
    revoke_case_from_unit,
    visible_cases,
    visible_regions,
)
from accounts.scoping_regions import wholly_visible_within
from cases.models import Case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(demo):
    other_county = Region.objects.create(code="330682000000", name="上虞区", level=RegionLevel.COUNTY)
    where = {
        "county": COUNTY,
        "fengqiao": TOWNS["fengqiao"],
        "jiyang": TOWNS["jiyang"],
        "xianjin": VILLAGES["xianjin"],
        "yangchun": VILLAGES["yangchun"],
        "jiangdong": VILLAGES["jiangdong"],
        "other_county": other_county.code,
    }
    return {key: CaseFactory(region_id=code, summary=key) for key, code in where.items()}


def seen(user):
    return set(visible_cases(user, Case.objects.all()).values_list("summary", flat=True))


def test_village_user_sees_only_own_village(demo, cases):
    # Not the sibling village, not the parent town, not the county, not another town.
    assert seen(demo["xianjin_mediator"]) == {"xianjin"}


def test_town_user_sees_town_and_its_villages(demo, cases):
    assert seen(demo["fengqiao_supervisor"]) == {"fengqiao", "xianjin", "yangchun"}


def test_county_user_sees_the_whole_county_only(demo, cases):
    assert seen(demo["zhuji_supervisor"]) == {
        "county",
        "fengqiao",
        "jiyang",
        "xianjin",
        "yangchun",
        "jiangdong",
    }


def test_functional_department_sees_nothing_by_region(demo, cases):
    # 县人社局 sits in the county but only sees what is assigned to it.
    assert seen(demo["zhuji_handler"]) == set()


def test_guardian_grant_makes_exactly_one_case_visible_to_exactly_one_unit(demo, cases):
    extra = CaseFactory(region_id=VILLAGES["jiangdong"], summary="jiangdong-2")
    labour = demo["zhuji_handler"].unit
    grant_case_to_unit(cases["jiangdong"], labour)

    assert seen(demo["zhuji_handler"]) == {"jiangdong"}
    # Nobody else gained anything: the village next door still sees only its own case.
    assert seen(demo["xianjin_mediator"]) == {"xianjin"}
    assert "jiangdong-2" in seen(demo["jiyang_supervisor"]) and extra.pk

    revoke_case_from_unit(cases["jiangdong"], labour)
    assert seen(demo["zhuji_handler"]) == set()


def test_grant_to_village_unit_crosses_towns_for_that_village_only(demo, cases):
    committee = demo["xianjin_mediator"].unit
    grant_case_to_unit(cases["jiangdong"], committee)
    assert seen(demo["xianjin_mediator"]) == {"xianjin", "jiangdong"}
    # Another unit in the same village (the 综治中心) did not get the grant.
    assert seen(demo["xianjin_supervisor"]) == {"xianjin"}
    assert seen(demo["yangchun_mediator"]) == {"yangchun"}


def test_handler_sees_the_case_they_handle(demo, cases):
    case = cases["other_county"]
    case.handler = demo["zhuji_handler"]
    case.save()
    assert seen(demo["zhuji_handler"]) == {"other_county"}


def test_handling_unit_sees_its_cases(demo, cases):
    case = cases["jiangdong"]
    case.handling_unit = demo["zhuji_handler"].unit
    case.save()
    assert seen(demo["zhuji_handler"]) == {"jiangdong"}


def test_inactive_or_anonymous_users_see_nothing(demo, cases):
    user = demo["zhuji_supervisor"]
    user.is_active = False
    user.save()
    assert seen(user) == set()
    assert visible_cases(AnonymousUser(), Case.objects.all()).count() == 0


def test_inactive_unit_loses_its_region(demo, cases):
    unit = demo["fengqiao_supervisor"].unit
    Unit.objects.filter(pk=unit.pk).update(is_active=False)
    user = type(demo["fengqiao_supervisor"]).objects.get(pk=demo["fengqiao_supervisor"].pk)
    assert seen(user) == set()


def test_detail_lookup_gives_404_for_foreign_and_missing_cases_alike(demo, cases):
    user = demo["xianjin_mediator"]
    assert get_visible_case_or_404(user, Case.objects.all(), pk=cases["xianjin"].pk)
    with pytest.raises(Http404):
        get_visible_case_or_404(user, Case.objects.all(), pk=cases["yangchun"].pk)
    with pytest.raises(Http404):
        get_visible_case_or_404(user, Case.objects.all(), pk=10**9)


def test_visible_regions_for_filing(demo):
    town_regions = visible_regions(demo["fengqiao_mediator"], Region.objects.all())
    assert town_regions.filter(code=VILLAGES["xianjin"]).exists()
    assert not town_regions.filter(code=VILLAGES["jiangdong"]).exists()
    assert not town_regions.filter(code=COUNTY).exists()
    assert visible_regions(demo["zhuji_handler"], Region.objects.all()).count() == 0


def test_scoping_costs_the_same_queries_for_1_and_50_cases(demo, django_assert_num_queries):
    user = demo["fengqiao_supervisor"]
    CaseFactory(region_id=VILLAGES["xianjin"])
    with django_assert_num_queries(2):  # the user's unit (once), then the list
        assert len(list(visible_cases(user, Case.objects.all()))) == 1
    CaseFactory.create_batch(49, region_id=VILLAGES["yangchun"])
    with django_assert_num_queries(1):
        assert len(list(visible_cases(user, Case.objects.all()))) == 50


@pytest.mark.requires_postgres
def test_prefix_match_has_a_pattern_index_on_postgres(db):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexdef LIKE %s",
            ["%region_id varchar_pattern_ops%"],
        )
        assert cur.fetchall(), "cases_case.region_id needs a varchar_pattern_ops index for LIKE 'prefix%'"
        cur.execute("EXPLAIN SELECT id FROM cases_case WHERE region_id LIKE '330681109%%'")
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "cases_case" in plan


def test_case_withheld_from_the_accused_unit_even_when_granted_or_handled(demo, cases):
    # An accusation against 枫桥镇人民政府, in its own town, handed to it and even handled by its staff.
    government = demo["fengqiao_handler"].unit
    case = cases["fengqiao"]
    case.withheld_from_unit = government
    case.handling_unit = government
    case.handler = demo["fengqiao_handler"]
    case.save()
    grant_case_to_unit(case, government)
    assert "fengqiao" not in seen(demo["fengqiao_handler"])
    # Everyone else keeps seeing it as before.
    assert "fengqiao" in seen(demo["fengqiao_supervisor"])
    assert "fengqiao" in seen(demo["zhuji_supervisor"])


def test_cases_in_a_region_are_the_rule_narrowed_to_the_region_for_every_user(demo, cases):
    """visible_cases_in_region (statistics) is the same set as visible_cases plus a region prefix,
    whether or not it takes its shortcut: for every demo user, every region prefix of the fixture,
    with a withheld, a granted, a handled and another county's case among them."""
    from accounts.scoping_regions import visible_cases_in_region

    withheld = cases["yangchun"]
    withheld.withheld_from_unit = demo["zhuji_supervisor"].unit
    withheld.save()
    grant_case_to_unit(cases["jiangdong"], demo["xianjin_supervisor"].unit)
    other = cases["other_county"]
    other.handler = demo["fengqiao_mediator"]
    other.save()
    prefixes = {
        Region.objects.get(code=code).prefix for code in (COUNTY, *TOWNS.values(), *VILLAGES.values())
    }
    prefixes |= {"330682", "33"}
    compared = 0
    for user in demo.values():
        for prefix in sorted(prefixes):
            expected = set(
                visible_cases(user, Case.objects.all())
                .filter(region__code__startswith=prefix)
                .values_list("summary", flat=True)
            )
            got = set(
                visible_cases_in_region(user, Case.objects.all(), prefix).values_list("summary", flat=True)
            )
            assert got == expected, (user.username, prefix)
            compared += bool(expected)
    assert compared > 50  # not an empty comparison
    # The shortcut drops the §30 exclusion for nobody: the county supervisor's unit never sees it.
    county = Region.objects.get(code=COUNTY).prefix
    assert "yangchun" not in set(
        visible_cases_in_region(demo["zhuji_supervisor"], Case.objects.all(), county).values_list(
            "summary", flat=True
        )
    )


def test_within_a_wholly_visible_prefix_the_rule_is_the_prefix_less_the_withheld(demo, cases):
    """wholly_visible_within, for every demo user and every place of the demo from the province to a
    village: when it answers, the cases under the prefix less those withheld from the unit it names
    are exactly the cases visible_cases lets the user see there."""
    cases["yangchun"].withheld_from_unit = demo["fengqiao_supervisor"].unit
    cases["yangchun"].save()
    prefixes = {
        r.prefix for r in Region.objects.filter(code__in=[COUNTY, *TOWNS.values(), *VILLAGES.values()])
    }
    prefixes |= {"33", "3306"}
    answered = 0
    for user in [*demo.values(), AnonymousUser()]:
        for prefix in prefixes:
            how = wholly_visible_within(user, prefix)
            if how is None:
                continue
            answered += 1
            under = Case.objects.filter(region__code__startswith=prefix)
            inside = under.exclude(withheld_from_unit_id=how[0]) if how[0] is not None else under
            expected = visible_cases(user, under)
            assert set(inside.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True)), (
                user,
                prefix,
            )
    assert answered >= 10


def test_a_wholly_visible_region_and_what_lies_beyond_it_are_the_rule_split_in_two(demo, cases):
    """For every demo user whose region is wholly visible (region_wholly_visible), the cases they see
    are every case under the prefix less those withheld from their unit, plus visible_beyond_region;
    the same fixture as above (withheld, granted, handled and another county's cases)."""
    from accounts.scoping_regions import region_wholly_visible, visible_beyond_region

    withheld = cases["yangchun"]
    withheld.withheld_from_unit = demo["zhuji_supervisor"].unit
    withheld.save()
    grant_case_to_unit(cases["other_county"], demo["fengqiao_supervisor"].unit)
    cases["jiangdong"].handler = demo["xianjin_supervisor"]
    cases["jiangdong"].save()
    split = 0
    for user in demo.values():
        whole = region_wholly_visible(user)
        if whole is None:
            continue
        prefix, unit = whole
        inside = Case.objects.filter(region__code__startswith=prefix).exclude(withheld_from_unit_id=unit)
        beyond = visible_beyond_region(user, Case.objects.all(), prefix)
        expected = set(visible_cases(user, Case.objects.all()).values_list("summary", flat=True))
        assert set(inside.values_list("summary", flat=True)) | set(
            beyond.values_list("summary", flat=True)
        ) == (expected), user.username
        split += beyond.exists()
    assert split >= 2  # the town's granted case, the village supervisor's handled one
