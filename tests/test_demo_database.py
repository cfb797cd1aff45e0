"""The ``demo`` fixture's contract, now that the demo county is seeded once per session
(tests/demo_database.py): every demo user is there, a test without ``demo`` sees none of it, and
what a test writes is gone for the next test, also what a transactional test committed (on PostgreSQL
in a database of its own, dropped afterwards; on SQLite flushed)."""

import pytest
from django.conf import settings
from django.db import connections

from accounts import roles
from accounts.demo import COUNTY, EXTRA_LOGINS, GRID_USERS, TOWNS, VILLAGES
from accounts.models import Region, Unit, User
from tests.demo_database import DEMO_DATABASE

DEMO_USERNAMES = {f"{place}_{role}" for place in ["zhuji", *TOWNS, *VILLAGES] for role in roles.ALL_ROLES} | {
    *GRID_USERS,
    *EXTRA_LOGINS,
}  # the 二级网格 workers, the industry committee's mediator


@pytest.mark.django_db
def test_demo_gives_every_demo_user_by_username(demo):
    assert set(demo) == DEMO_USERNAMES
    assert demo["xianjin_mediator"].unit.name == "先进村人民调解委员会"
    assert demo["xianjin_mediator"].check_password("jiefen2026")
    assert Region.objects.get(code=COUNTY).name == "诸暨市"


@pytest.mark.django_db
def test_a_test_without_demo_sees_no_demo_county():
    assert not User.objects.exists()
    assert not Region.objects.filter(code=COUNTY).exists()
    assert not Unit.objects.exists()


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_on_postgresql_a_demo_test_runs_on_the_seeded_copy(demo):
    assert DEMO_DATABASE.in_use()


@pytest.mark.django_db
def test_a_demo_test_writes_in_a_transaction(demo):
    """The next test finds none of this (the copy is never committed to)."""
    User.objects.create(username="left_behind", unit=demo["xianjin_mediator"].unit)
    demo["xianjin_mediator"].display_name = "改过的名字"
    demo["xianjin_mediator"].save()


@pytest.mark.django_db
def test_what_the_previous_demo_test_wrote_is_gone(demo):
    assert not User.objects.filter(username="left_behind").exists()
    assert User.objects.get(username="xianjin_mediator").display_name != "改过的名字"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_commits_on_a_copy_of_the_demo_of_its_own(demo):
    if settings.POSTGRES_AVAILABLE:
        assert DEMO_DATABASE.on_own_copy() and DEMO_DATABASE.in_use()
        assert connections["default"].settings_dict["NAME"] not in (DEMO_DATABASE.name, DEMO_DATABASE.base)
    assert set(demo) == DEMO_USERNAMES
    User.objects.create(username="committed_then_dropped", unit=demo["zhuji_supervisor"].unit)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_without_demo_sees_no_demo_county():
    assert not User.objects.exists()
    assert not Region.objects.filter(code=COUNTY).exists()
    User.objects.create(username="committed_without_demo")


def _count_on(name, sql):
    """A count read on a connection of its own to database ``name``."""
    default = connections["default"]
    other = default.__class__({**default.settings_dict, "NAME": name}, alias="other")
    try:
        with other.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    finally:
        other.close()


# Transactional too, so that it runs after the two above (pytest-django runs a process's
# transactional tests last, in file order).
@pytest.mark.django_db(transaction=True)
def test_after_transactional_tests_the_demo_is_whole_and_the_ordinary_database_empty(demo):
    assert set(demo) == DEMO_USERNAMES
    assert not User.objects.filter(username__startswith="committed_").exists()
    if settings.POSTGRES_AVAILABLE:  # what the earlier tests committed reached neither database
        users = "SELECT count(*) FROM accounts_user"
        assert _count_on(DEMO_DATABASE.base, users) == 0
        assert _count_on(DEMO_DATABASE.name, users + " WHERE username LIKE 'committed%%'") == 0
