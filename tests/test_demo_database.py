"""The ``demo`` fixture's contract, now that the demo county is seeded once per session
(tests/demo_database.py): every demo user is there, a test without ``demo`` sees none of it, and
what a test writes is gone for the next test, also after a transactional test flushed the tables."""

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
def test_a_transactional_test_gets_the_demo_in_the_ordinary_database(demo):
    assert not DEMO_DATABASE.in_use()
    assert set(demo) == DEMO_USERNAMES
    User.objects.create(username="committed_then_flushed", unit=demo["zhuji_supervisor"].unit)


@pytest.mark.django_db
def test_after_a_flush_the_demo_is_whole_and_the_ordinary_database_empty(demo):
    assert set(demo) == DEMO_USERNAMES
    assert not User.objects.filter(username="committed_then_flushed").exists()
    if settings.POSTGRES_AVAILABLE:  # and the ordinary database, read on a connection of its own
        default = connections["default"]
        base = default.__class__({**default.settings_dict, "NAME": DEMO_DATABASE.base}, alias="base")
        try:
            with base.cursor() as cur:
                cur.execute("SELECT count(*) FROM accounts_user")
                assert cur.fetchone()[0] == 0
        finally:
            base.close()
