"""Rule 5 of the one scoping rule: grid workers and 网格长 see their grids' cases and their own
reports, not the neighbour grid's; the village (and the 一级网格's 网格长) sees all its grids."""

import datetime

import pytest

from accounts.demo import VILLAGES
from accounts.models import Grid, GridPost
from accounts.scoping import grid_scope, visible_cases, visible_grids
from accounts.scoping_pairs import visible_pairs
from cases.models import Case
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
X = VILLAGES["xianjin"]


def _grid(code):
    return Grid.objects.get(region_id=X, code=code)


@pytest.fixture
def cases(demo):
    g1, g2, micro = _grid("01"), _grid("02"), _grid("01-01")
    mediator = demo["xianjin_mediator"]
    return {
        "g1": new_dispute(mediator, summary="一网格", grid=g1),
        "g2": new_dispute(mediator, summary="二网格", grid=g2),
        "micro": new_dispute(mediator, summary="微网格", grid=micro),
        "village": new_dispute(mediator, summary="无网格"),
        # reported by the second grid's worker in the first grid's territory: theirs to follow
        "reported": new_dispute(demo["xianjin_grid2"], summary="二网格员上报", grid=g1),
    }


def _seen(user, cases):
    ids = set(visible_cases(user, Case.objects.all()).values_list("pk", flat=True))
    return {k for k, c in cases.items() if c.pk in ids}


def test_grid_worker_sees_own_grid_and_below_not_the_neighbour(demo, cases):
    assert _seen(demo["xianjin_grid1"], cases) == {"g1", "micro", "reported"}


def test_grid_worker_sees_what_they_reported_outside_their_grid(demo, cases):
    assert _seen(demo["xianjin_grid2"], cases) == {"g2", "reported"}


def test_micro_grid_worker_sees_only_the_micro_grid(demo, cases):
    assert _seen(demo["xianjin_grid3"], cases) == {"micro"}


def test_village_and_first_level_leader_see_all_grids(demo, cases):
    everything = set(cases)
    assert _seen(demo["xianjin_supervisor"], cases) == everything
    assert _seen(demo["xianjin_mediator"], cases) == everything
    # the 一级网格's 网格长 sees the village, as their unit does
    assert grid_scope(demo["xianjin_grid_worker"]) is None
    assert _seen(demo["xianjin_grid_worker"], cases) == everything
    assert _seen(demo["fengqiao_supervisor"], cases) == everything


def test_a_post_ended_no_longer_narrows_or_widens(demo, cases):
    # xianjin_grid1 was part-time in 第二网格 until May 2026: history, not a current post
    assert (
        GridPost.objects.filter(user=demo["xianjin_grid1"], grid=_grid("02")).exclude(ended_on=None).exists()
    )
    assert "g2" not in _seen(demo["xianjin_grid1"], cases)
    GridPost.objects.filter(user=demo["xianjin_grid3"]).update(ended_on=datetime.date(2026, 11, 1))
    demo["xianjin_grid3"].__dict__.pop("_jiefen_grid_ids", None)
    # without a post the worker is a member of the village centre again
    assert _seen(demo["xianjin_grid3"], cases) == set(cases)


def test_pairs_answer_rule_5_like_visible_cases(demo, cases):
    users = [demo[u] for u in ("xianjin_grid1", "xianjin_grid2", "xianjin_grid3", "xianjin_supervisor")]
    got = visible_pairs((u, c.pk) for u in users for c in cases.values())
    for u in users:
        assert {k for k, c in cases.items() if (u.pk, c.pk) in got} == _seen(u, cases), u.username


def test_visible_grids(demo):
    def names(user):
        return set(visible_grids(user, Grid.objects.all()).values_list("code", flat=True))

    assert names(demo["xianjin_grid1"]) == {"01", "01-01"}
    assert names(demo["xianjin_grid2"]) == {"02"}
    assert names(demo["xianjin_supervisor"]) == {"", "01", "02", "01-01"}
    assert "01" in names(demo["zhuji_supervisor"])
    assert names(demo["jiangdong_supervisor"]) == set()
    assert names(demo["zhuji_handler"]) == set()  # a department covers no region


def test_request_user_without_post_pays_no_grid_query(demo, client, django_assert_num_queries):
    from accounts.backends import load_request_user

    user = load_request_user(demo["xianjin_supervisor"].pk)
    with django_assert_num_queries(0):
        assert grid_scope(user) is None
    worker = load_request_user(demo["xianjin_grid1"].pk)
    assert worker._jiefen_grid_post is True
