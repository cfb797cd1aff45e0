"""visible_case_or_404 (accounts.scoping_case): the case pages read their case through a statement
compiled once per shape of user. It must be, for every demo user, the statement Django compiles for
that user, and give the same case (fields, joined rows, annotations) or the same 404 as
get_visible_case_or_404, on cases of every kind of place: a village, a town, the county, another
county, an accusation withheld from the unit that handles it, a case granted to a department."""

import threading

import pytest
from django.db import connection
from django.http import Http404

from accounts import scoping_case
from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region, RegionLevel, User
from accounts.scoping import _unit, get_visible_case_or_404, grant_case_to_unit, grid_scope, visible_cases
from accounts.scoping_case import visible_case_or_404
from accounts.scoping_shapes import filled
from cases.models import Case
from mediation.selectors import dispute_page_queryset, dispute_page_timeline, dispute_with_region
from petitions.selectors import petition_page_queryset
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
BUILDS = (dispute_page_queryset, dispute_with_region, petition_page_queryset)


@pytest.fixture
def world(demo):
    """Two disputes and two petitions moved to each kind of place, one accusation of each kind
    withheld from the village centre that handles it, one case of each kind granted to a department."""
    other = Region.objects.create(code="330682000000", name="上虞区", level=RegionLevel.COUNTY)
    places = [VILLAGES["xianjin"], VILLAGES["huansha"], TOWNS["jiyang"], COUNTY, other.code]
    mediator, clerk = demo["xianjin_mediator"], demo["zhuji_petition_clerk"]
    cases = []
    for code in places:
        cases.append(new_dispute(mediator))
        cases.append(new_petition(clerk))
        Case.objects.filter(pk__in=[c.pk for c in cases[-2:]]).update(region_id=code)
    accused = demo["xianjin_supervisor"].unit
    for case in (new_dispute(mediator), new_petition(clerk)):
        Case.objects.filter(pk=case.pk).update(handling_unit=accused, withheld_from_unit=accused)
        grant_case_to_unit(case, accused)
        cases.append(case)
    for case in (new_dispute(mediator), new_petition(clerk)):
        Case.objects.filter(pk=case.pk).update(region_id=other.code)
        grant_case_to_unit(case, demo["zhuji_handler"].unit)
        cases.append(case)
    users = list(User.objects.filter(is_superuser=False).order_by("pk"))
    return users, [c.pk for c in cases]


def _state(case) -> dict:
    """What a page reads of the case: its own fields, the joined rows' and the annotations."""
    joined = {
        name: getattr(case, name, None) and vars(getattr(case, name))
        for name in ("region", "category", "risk_level", "handler", "handling_unit")
    }
    own = {k: v for k, v in vars(case).items() if k != "_state" and not k.startswith("_prefetched")}
    return {
        "own": own,
        "joined": {k: v and {a: b for a, b in v.items() if a != "_state"} for k, v in joined.items()},
    }


def _dispute_page_row():
    return dispute_page_queryset().prefetch_related(None)


def _petition_page_row():
    return petition_page_queryset().prefetch_related(None)


def _django(user, build, pk):
    try:
        return get_visible_case_or_404(user, build(), pk=pk)
    except Http404:
        return None


def _ours(user, build, pk):
    try:
        return visible_case_or_404(user, build, pk)
    except Http404:
        return None


def test_the_statement_is_the_one_django_compiles_for_each_user(world, monkeypatch):
    """For every demo user and case page queryset: the kept statement with the user's values and the
    case id in it is Django's own compilation for that user — one compilation per shape, not per user."""
    users, ids = world
    monkeypatch.setattr(scoping_case, "_local", threading.local())
    for build in BUILDS:
        for user in users:
            _unit(user), grid_scope(user)
            statement = scoping_case._statement(build, user, connection)
            assert statement is not None, user.username
            queryset = visible_cases(user, build()).filter(pk=ids[0]).order_by()
            expected = queryset.query.get_compiler(connection=connection).as_sql()
            got = statement.sql, tuple(filled(statement.params, statement.slots, user, connection, ids[0]))
            assert got == (expected[0], tuple(expected[1])), user.username
    assert len(scoping_case._compiled()) * 3 < len(users) * len(BUILDS)  # shapes, not users


def test_every_user_gets_the_case_django_gives_or_the_same_404(world):
    users, ids = world
    kinds = dict(Case.objects.filter(pk__in=ids).values_list("pk", "kind"))
    seen = 0
    for build, kind in ((_dispute_page_row, "dispute"), (_petition_page_row, "petition")):
        for user in users:
            for pk in (pk for pk in ids if kinds[pk] == kind):
                expected, got = _django(user, build, pk), _ours(user, build, pk)
                assert (got is None) == (expected is None), (user.username, pk)
                if got is not None:
                    seen += 1
                    assert type(got) is type(expected)
                    assert _state(got) == _state(expected), (user.username, pk)
    assert seen > len(users)  # the answers include cases shown, not only 404s


def _rows(rows) -> list:
    """Each prefetched row as the page reads it: its fields and annotations, and which rows are
    joined to it (the case itself is checked apart: it must be the page's case object)."""
    return [
        (
            {k: v for k, v in vars(r).items() if k != "_state"},
            {
                k: v and {a: b for a, b in vars(v).items() if a != "_state"}
                for k, v in r._state.fields_cache.items()
                if k != "case"
            },
        )
        for r in rows
    ]


@pytest.mark.parametrize("kind", ["dispute", "petition"])
def test_the_page_gets_its_prefetches_and_the_timeline_it_asks_for(world, demo, kind):
    """The prefetches compiled once (parties, deadlines, sessions, follow-ups, reviews …) give the
    rows Django's prefetch gives, each with its case set; a later filter stays the case's. So does
    the timeline, which the page asks for per case (``per_case``)."""
    from mediation.workflow import TRANSITIONS as dispute_steps
    from petitions.selectors import petition_page_timeline
    from petitions.workflow import TRANSITIONS as petition_steps

    users, ids = world
    if kind == "dispute":
        user, build, timeline = demo["xianjin_mediator"], dispute_page_queryset, dispute_page_timeline
    else:
        user, build, timeline = demo["zhuji_petition_clerk"], petition_page_queryset, petition_page_timeline
    pk = next(pk for pk in ids if Case.objects.get(pk=pk).kind == kind)
    # compiled on the first call, kept for the second; the timeline folded and whole (the page's
    # per-case prefetch: its statement names the case twice, in the latest entries' subquery too)
    for everything in (False, False, True, True):
        per_case = (timeline, (("everything", everything),))
        case = visible_case_or_404(user, build, pk, per_case=per_case)
        expected = get_visible_case_or_404(
            user, build().prefetch_related(timeline(pk, everything=everything)), pk=pk
        )
        assert set(case._prefetched_objects_cache) == set(expected._prefetched_objects_cache)
        for name, rows in expected._prefetched_objects_cache.items():
            assert _rows(case._prefetched_objects_cache[name]) == _rows(rows), name
            for row in case._prefetched_objects_cache[name]:
                assert getattr(row, type(case)._meta.get_field(name).field.name) is case
        assert case.timeline_count == expected.timeline_count > 0
        assert list(case.parties.filter(pk__gt=0)) == list(expected.parties.all())
    other = next(p for p in ids if p != pk and Case.objects.get(pk=p).kind == kind)
    assert not set(case.deadlines.all()) & set(Case.objects.get(pk=other).deadlines.all())
    assert (dispute_steps if kind == "dispute" else petition_steps).offered(case, user) == (
        dispute_steps if kind == "dispute" else petition_steps
    ).offered(expected, user)


def test_the_statement_is_prepared_once_per_database_session(world, demo, django_assert_num_queries):
    users, ids = world
    user = demo["zhuji_supervisor"]
    _unit(user), grid_scope(user)
    pk = next(pk for pk in ids if Case.objects.get(pk=pk).kind == "dispute")
    visible_case_or_404(user, dispute_with_region, pk)
    with django_assert_num_queries(1):  # the case; no statement of the rule's, no planning
        visible_case_or_404(user, dispute_with_region, pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'jiefen_case_%%'")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.parametrize("pk", [0, 2**63, "x", -5])
def test_an_id_no_case_can_have_is_404_without_a_statement(world, demo, pk, django_assert_num_queries):
    user = demo["zhuji_supervisor"]
    _unit(user), grid_scope(user)
    with django_assert_num_queries(0), pytest.raises(Http404):
        visible_case_or_404(user, dispute_with_region, pk)


def test_a_shape_the_sentinels_cannot_explain_is_compiled_per_request(world, demo, monkeypatch):
    """A rule that one day reads a user's value in a way the two compilations cannot explain (here:
    the id as text) keeps no statement and still answers what Django answers."""
    users, ids = world
    rule = scoping_case.visible_cases
    narrowed = lambda user, qs: rule(user, qs).exclude(number=f"N{user.pk}")  # noqa: E731
    monkeypatch.setattr(scoping_case, "visible_cases", narrowed)
    monkeypatch.setattr(scoping_case, "_local", threading.local())
    user = demo["zhuji_supervisor"]
    for pk in ids:
        got = _ours(user, dispute_with_region, pk) if Case.objects.get(pk=pk).kind == "dispute" else None
        if got is not None:
            assert got.pk == pk
    # The thread also keeps what it needs of the build itself ("built": its database and prefetches).
    assert {v for k, v in scoping_case._compiled().items() if k[-1] != "built"} == {None}


def test_a_superuser_sees_every_case_and_an_inactive_user_none(world, demo):
    users, ids = world
    root = User.objects.create_superuser("root-case", password="x")  # noqa: S106
    gone = demo["xianjin_mediator"]
    User.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    for pk in ids:
        build = dispute_with_region if Case.objects.get(pk=pk).kind == "dispute" else petition_page_queryset
        assert visible_case_or_404(root, build, pk).pk == pk
        with pytest.raises(Http404):
            visible_case_or_404(gone, build, pk)


def test_register_matches_are_what_django_compiles_for_each_user(world, monkeypatch):
    """other_cases_of_parties reads the party's other cases through visible_values: for every demo
    user, on a case whose parties share their register with every case of the world (withheld,
    granted, another county's), the rows are those of the queryset Django builds for that user."""
    from cases.selectors import _register_matches, other_cases_of_parties

    users, ids = world
    monkeypatch.setattr(scoping_case, "_local", threading.local())
    case = Case.objects.get(pk=ids[0])
    people = sorted({link.person_id for link in case.parties.all()})
    shown = counted = 0
    for user in users:
        expected = list(_register_matches(user, people, case.pk))
        assert scoping_case.visible_values(user, _register_matches, people, case.pk) == expected, (
            user.username
        )
        assert expected  # the shared applicant links the other disputes
        shown += sum(row["seen"] for row in expected)
        counted += sum(not row["seen"] for row in expected)
        found = other_cases_of_parties(user, case)
        seen = {c["pk"] for entry in found.values() for c in entry["seen"]}
        assert seen == {row["pk"] for row in expected if row["seen"]}
    assert shown and counted  # some rows shown, some only counted
    assert all(entry is not None for entry in scoping_case._compiled().values())
