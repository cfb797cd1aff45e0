"""visible_pairs and units_seeing: the one rule answered for many recipients at once (reminders,
digests, orders) must be exactly visible_cases, for every demo user and every case of a fixture
with a withheld, a granted, a handled and another county's case among them."""

import pytest

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region, RegionLevel, Unit, User
from accounts.scoping import grant_case_to_unit, visible_cases
from accounts.scoping_pairs import units_seeing, visible_by_user, visible_pairs
from cases.models import Case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    other = Region.objects.create(code="330682000000", name="上虞区", level=RegionLevel.COUNTY)
    where = {
        "county": COUNTY,
        "fengqiao": TOWNS["fengqiao"],
        "jiyang": TOWNS["jiyang"],
        **VILLAGES,
        "other_county": other.code,
    }
    cases = {key: CaseFactory(region_id=code, summary=key) for key, code in where.items()}
    # §30: an accusation in 先进村 withheld from the village centre, which also handles it, holds a
    # grant and whose member is its handler (every other rule says "show").
    accused = demo["xianjin_supervisor"].unit
    accusation = CaseFactory(
        region_id=VILLAGES["xianjin"], summary="accusation", handling_unit=accused,
        handler=demo["xianjin_petition_clerk"], withheld_from_unit=accused,
    )  # fmt: skip
    grant_case_to_unit(accusation, accused)
    cases["accusation"] = accusation
    # A grant to a department, a user grant, another county's case handled by a town mediator.
    grant_case_to_unit(cases["jiangdong"], demo["zhuji_handler"].unit)
    from guardian.shortcuts import assign_perm

    assign_perm("cases.view_case", demo["yangchun_mediator"], cases["huansha"])
    other_case = cases["other_county"]
    other_case.handler = demo["fengqiao_mediator"]
    other_case.save()
    # An inactive user and a user of an inactive unit see nothing by unit.
    User.objects.filter(pk=demo["jiyang_petition_clerk"].pk).update(is_active=False)
    Unit.objects.filter(pk=demo["huansha_supervisor"].unit_id).update(is_active=False)
    users = list(User.objects.all())
    return users, cases


def _seen_by_the_rule(users, ids) -> set[tuple[int, int]]:
    """(user id, case id) of ``ids`` that ``visible_cases`` itself shows each of ``users``."""
    return {
        (user.pk, pk)
        for user in users
        for pk in visible_cases(user, Case.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    }


def test_visible_pairs_agree_with_visible_cases_for_every_demo_user_and_case(world):
    users, cases = world
    ids = [c.pk for c in cases.values()]
    expected = _seen_by_the_rule(users, ids)
    got = visible_pairs((user, pk) for user in users for pk in ids)
    assert got == expected
    # Asked by groups (the members of a unit about its reminders), in two overlapping halves.
    half = len(ids) // 2
    by_user = visible_by_user([(users, set(ids[: half + 1])), (users[::2], set(ids[half:]))])
    asked = {(u.pk, pk) for u in users for pk in ids[: half + 1]} | {
        (u.pk, pk) for u in users[::2] for pk in ids[half:]
    }
    assert {(pk, c) for pk, seen in by_user.items() for c in seen} == expected & asked
    assert len(expected) > 60 and len(users) * len(ids) - len(expected) > 60  # both answers occur
    accused_ids = {u.pk for u in users if u.unit_id == cases["accusation"].withheld_from_unit_id}
    assert accused_ids and not {(u, cases["accusation"].pk) for u in accused_ids} & got


def test_visible_pairs_answer_only_the_pairs_asked(world):
    users, cases = world
    supervisor = next(u for u in users if u.username == "zhuji_supervisor")
    asked = [(supervisor, cases["xianjin"].pk)]
    assert visible_pairs(asked) == {(supervisor.pk, cases["xianjin"].pk)}
    assert visible_pairs([]) == set()


def test_visible_pairs_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    users, cases = world
    ids = [c.pk for c in cases.values()]
    # Grid posts held and the grids below them (2, rule 5: the demo's 先进村 has grid workers), units
    # (1), the units' branches (1), the users' branches (1): not one per user or per pair.
    with django_assert_max_num_queries(5):
        visible_pairs((user, pk) for user in users for pk in ids)


def test_units_seeing_is_visible_cases_of_a_member_without_personal_rules(world, demo):
    _users, cases = world
    ids = [c.pk for c in cases.values()]
    units = list(Unit.objects.all())
    got = units_seeing((unit, pk) for unit in units for pk in ids)
    accused = cases["accusation"].withheld_from_unit_id
    assert (accused, cases["accusation"].pk) not in got  # handled, granted, in its region: still not
    assert (accused, cases["xianjin"].pk) in got
    assert (demo["zhuji_handler"].unit_id, cases["jiangdong"].pk) in got  # the grant
    assert (demo["zhuji_handler"].unit_id, cases["jiyang"].pk) not in got
    town = demo["fengqiao_supervisor"].unit_id
    assert {c for u, c in got if u == town} == {
        cases[k].pk for k in ("fengqiao", "xianjin", "yangchun", "accusation")
    }


@pytest.mark.requires_postgres
def test_branches_of_one_shape_run_as_prepared_statements_with_the_same_answer(world, monkeypatch):
    """A delivery batch at province scale asks hundreds of units at once: branches that share a
    shape run as one prepared statement (accounts.scoping_pairs.PREPARED_BRANCHES, 64; two here, so
    the demo's few fill them), and the answer is the rule's as before."""
    from django.db import connection

    from accounts import scoping_pairs

    users, cases = world
    ids = [c.pk for c in cases.values()]
    expected = _seen_by_the_rule(users, ids)
    units = list(Unit.objects.all())
    plain_units = units_seeing((unit, pk) for unit in units for pk in ids)
    monkeypatch.setattr(scoping_pairs, "PREPARED_BRANCHES", 2)
    assert visible_pairs((user, pk) for user in users for pk in ids) == expected
    assert units_seeing((unit, pk) for unit in units for pk in ids) == plain_units
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'jiefen_pairs_%%'")
        assert cursor.fetchone()[0] >= 2  # the units' shapes and the users'


def _stand_ins(users):
    """A stand-in for every demo unit (its rules, no personal ones) and every user (theirs only)."""
    from accounts.scoping_pairs import NOBODY, _stand_in

    units = [_stand_in(NOBODY, u.pk, u) for u in Unit.objects.select_related("region").order_by("pk")]
    return units + [_stand_in(u.pk, u.unit_id, None) for u in users]


def _compiled_for(stand_in, ids, rule=visible_cases):
    """What Django compiles of ``rule`` for ``stand_in`` about ``ids``."""
    from accounts.scoping_pairs import _among

    queryset = rule(stand_in, _among(sorted(ids))).values_list("pk").order_by()
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


@pytest.mark.requires_postgres
def test_one_compilation_a_shape_gives_each_stand_in_the_statement_compiled_for_it(world, monkeypatch):
    """visible_pairs compiles the rule once per shape of stand-in (accounts.scoping_shapes.template)
    and puts each stand-in's own values into the parameters: the statement is the one Django
    compiles for that stand-in, for every demo unit and user (regions of every level, groups,
    inactive units, users without a unit)."""
    from accounts import scoping_pairs

    users, cases = world
    ids = [c.pk for c in cases.values()]
    monkeypatch.setattr(scoping_pairs, "_COMPILED", {})
    stand_ins = _stand_ins(users)
    for stand_in in stand_ins:
        assert scoping_pairs._asked(stand_in, ids) == _compiled_for(stand_in, ids)
    shapes = scoping_pairs._COMPILED
    assert shapes and all(template is not None for template in shapes.values())
    assert len(shapes) * 5 < len(stand_ins)  # shapes, not stand-ins
    assert any(slots for *_rest, slots in shapes.values() if any(name == "prefix" for _i, name, _a in slots))


@pytest.mark.requires_postgres
def test_a_shape_whose_values_are_not_understood_is_compiled_for_each_stand_in(world, monkeypatch):
    """A rule that one day reads a stand-in's value in a way the sentinel comparison cannot explain
    (here: the id as text) is not substituted: each stand-in gets its own compilation."""
    from accounts import scoping_pairs

    users, cases = world
    ids = [c.pk for c in cases.values()]
    rule = scoping_pairs.visible_cases
    monkeypatch.setattr(scoping_pairs, "_COMPILED", {})
    monkeypatch.setattr(
        scoping_pairs, "visible_cases", lambda user, qs: rule(user, qs).exclude(number=f"N{user.pk}")
    )
    for stand_in in _stand_ins(users)[::3]:
        sql, params = scoping_pairs._asked(stand_in, ids)
        assert f"N{stand_in.pk}" in params
        assert (sql, params) == _compiled_for(stand_in, ids, scoping_pairs.visible_cases)
    assert set(scoping_pairs._COMPILED.values()) == {None}
