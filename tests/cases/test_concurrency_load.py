"""The reliability bar for concurrency (shared/reliability.md §1 rows 4 and 5), with real threads,
each on its own PostgreSQL connection.

The shared server on 127.0.0.1:5432 allows 100 connections (``SHOW max_connections``) and other test
runs use it, so the 200-thread and 500-creation tests run against a PostgreSQL cluster of their own
(initdb on a free port, max_connections=300), into which the test database is copied first.
"""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseNumberCounter, Deadline, TimelineEntry
from cases.transitions import TransitionConflict
from mediation import workflow
from mediation.models import Dispute, DisputeStatus
from tests.dispute_helpers import new_dispute
from tests.services import FIGURES, OwnPostgres, postgres_bin

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
needs_initdb = pytest.mark.skipif(
    postgres_bin() is None, reason="initdb is not installed: no private PostgreSQL"
)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def own_pg():
    pg = OwnPostgres(max_connections=300)
    pg.start()
    yield pg
    pg.remove()


def users(*names):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    return [User.objects.get(username=n) for n in names]


@needs_initdb
def test_200_threads_on_one_transition_one_wins_199_clean_conflicts(own_pg):
    (mediator,) = users("xianjin_mediator")
    dispute = new_dispute(mediator)
    own_pg.clone_test_database()
    n = 200
    outcomes: list = [None] * n
    peak = {}

    def count_backends():
        # Runs once, in the last thread to reach the barrier: every thread holds its connection now.
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            peak["backends"] = cur.fetchone()[0]

    barrier = threading.Barrier(n, action=count_backends)

    def run(i):
        try:
            connection.ensure_connection()  # open it before the start line, not in the race
            barrier.wait()
            outcomes[i] = workflow.accept(dispute.pk, mediator)
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on every one
            outcomes[i] = exc
        finally:
            connection.close()

    with connection.cursor() as cur:
        cur.execute("SHOW max_connections")
        shared_max = int(cur.fetchone()[0])
    with own_pg.serving_django():
        with connection.cursor() as cur:
            cur.execute("SHOW max_connections")
            max_connections = int(cur.fetchone()[0])
        started = time.perf_counter()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        wins = [o for o in outcomes if isinstance(o, Dispute)]
        conflicts = [o for o in outcomes if type(o) is TransitionConflict]
        others = [o for o in outcomes if not isinstance(o, Dispute) and type(o) is not TransitionConflict]
        assert not others, others[:3]
        assert len(wins) == 1 and len(conflicts) == n - 1
        assert peak["backends"] >= n, "the threads did not hold their connections at the same time"
        assert all("已不能" in str(c) and "请刷新页面" in str(c) for c in conflicts), str(conflicts[0])
        dispute = Dispute.objects.get(pk=dispute.pk)
        assert dispute.status == DisputeStatus.ACCEPTED
        assert TimelineEntry.objects.filter(case=dispute, action="accept").count() == 1
        assert Deadline.objects.filter(case=dispute, rule__code="dispute_accept", state="open").count() == 0
    FIGURES.append(
        f"concurrency: {n} threads (own connections, {peak['backends']} backends at the start line; shared server "
        f"max_connections={shared_max}, so a private one with {max_connections}) on one accept: {len(wins)} success, {len(conflicts)} "
        f"TransitionConflict, 0 other errors, 1 timeline entry; {elapsed:.1f} s"
    )


def test_action_page_20_clients_at_once_one_redirect_19_chinese_conflicts():
    mediator, supervisor = users("xianjin_mediator", "fengqiao_supervisor")
    dispute = new_dispute(mediator)
    url = reverse("disputes:action", args=[dispute.pk, "accept"])
    clients = []
    for i in range(20):
        client = Client()
        client.force_login(mediator if i % 2 else supervisor)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def run(i):
        try:
            connection.ensure_connection()
            barrier.wait()
            responses[i] = clients[i].post(url, {})
        except Exception as exc:  # noqa: BLE001 - a 500 raised through the test client lands here
            responses[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = [r.status_code for r in responses]
    assert codes.count(302) == 1 and codes.count(200) == 19, codes
    for r in responses:
        if r.status_code == 200:
            page = r.content.decode()
            assert "该案件当前状态为“已受理”" in page and "请刷新页面" in page
    assert TimelineEntry.objects.filter(case=dispute, action="accept").count() == 1
    FIGURES.append(
        f"concurrency: {len(clients)} clients POST accept at once: {codes.count(302)} redirect (302), "
        f"{codes.count(200)} pages with the Chinese conflict message, {codes.count(500)} HTTP 500"
    )


class ThreadClock:
    """``timezone.now()`` as each thread sees it: the wall clock unless the thread set its own.

    register_dispute stamps a case with ``timezone.now()`` and has no parameter for the intake time
    (a clerk must not back- or forward-date a case number), so the year boundary is reached by
    giving each thread a clock of its own rather than by a test-only parameter."""

    def __init__(self, monkeypatch):
        self.local = threading.local()
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: getattr(self.local, "now", None) or real())

    def set(self, when):
        self.local.now = when


def other_county(code6, name, mediator_name):
    """A county with one town and one village, its mediation committee and a mediator."""
    from accounts import roles
    from accounts.models import Region, RegionLevel, Unit, UnitKind, User

    city = Region.objects.get(code=code6[:4] + "00000000")
    county = Region.objects.create(code=f"{code6}000000", name=name, level=RegionLevel.COUNTY, parent=city)
    town = Region.objects.create(code=f"{code6}100000", name="城关镇", level=RegionLevel.TOWN, parent=county)
    village = Region.objects.create(
        code=f"{code6}100201", name="新河村委会", level=RegionLevel.VILLAGE, parent=town
    )
    unit = Unit.objects.create(
        region=county, name=f"{name}人民调解委员会", kind=UnitKind.MEDIATION_COMMITTEE, covers_region=True
    )
    user = User.objects.create(username=mediator_name, unit=unit, display_name="王建国")
    user.groups.add(roles.ensure_role_groups()[roles.MEDIATOR])
    return user, village


@needs_initdb
def test_500_registrations_3_counties_across_new_year_no_duplicate_gapless_numbers(own_pg, monkeypatch):
    from accounts.demo import VILLAGES
    from accounts.models import Region
    from cases.models import PartyRole
    from mediation.models import DisputeCategory, DisputeSource, RiskLevel

    (zhuji,) = users("zhuji_mediator")
    counties = [
        (zhuji, Region.objects.get(code=VILLAGES["xianjin"])),
        other_county("330604", "上虞区", "shangyu_mediator"),
        other_county("330683", "嵊州市", "shengzhou_mediator"),
    ]
    category = DisputeCategory.objects.get(code="neighbour")
    risk = RiskLevel.objects.get(code="yellow")
    own_pg.clone_test_database()
    clock = ThreadClock(monkeypatch)
    # Half a second either side of midnight, Asia/Shanghai: 2026 numbers and 2027 numbers at once.
    before = datetime.datetime(2026, 12, 31, 23, 59, 59, 500000, tzinfo=SHANGHAI)
    after = datetime.datetime(2027, 1, 1, 0, 0, 0, 0, tzinfo=SHANGHAI)
    n, workers = 500, 50
    start_line = threading.Barrier(workers)
    todo = iter(range(n))
    take = threading.Lock()
    results, errors = [], []

    def register(i):
        actor, village = counties[i % 3]
        clock.set(before if (i // 3) % 2 == 0 else after)
        applicant = {"name": "张三明", "phone": "13800138000"}
        respondent = {"name": "李四", "phone": "13900139000"}
        dispute = workflow.register_dispute(
            actor,
            parties=[(applicant, PartyRole.APPLICANT), (respondent, PartyRole.RESPONDENT)],
            region=village, summary=f"邻里纠纷{i}", source=DisputeSource.WALK_IN, category=category,
            risk_level=risk, place="村口", facts="排水沟堵塞。",
        )  # fmt: skip
        return dispute.region_id[:6], timezone.localtime(dispute.opened_at, SHANGHAI).year, dispute.number

    def worker():
        try:
            connection.ensure_connection()
            start_line.wait()
            while True:
                with take:
                    i = next(todo, None)
                if i is None:
                    return
                try:
                    results.append(register(i))
                except Exception as exc:  # noqa: BLE001 - collected; the test asserts there are none
                    errors.append(exc)
        finally:
            connection.close()

    with own_pg.serving_django():
        started = time.perf_counter()
        # A bounded pool: 50 threads, each with its own connection, take the 500 registrations from
        # one queue, so the six counter rows stay contended throughout.
        threads = [threading.Thread(target=worker) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        numbers = list(Dispute.objects.values_list("number", flat=True))
        counters = {(c.county_code, c.year): c.last for c in CaseNumberCounter.objects.all()}
    assert not errors, errors[:3]
    assert len(numbers) == n and len(set(numbers)) == n
    by_key: dict[tuple, list[int]] = {}
    for county, year, number in results:
        assert f"〔{year}〕调字第" in number
        by_key.setdefault((county, year), []).append(int(number.split("第")[1][:-1]))
    assert set(by_key) == {(c, y) for c in ("330681", "330604", "330683") for y in (2026, 2027)}
    for key, seqs in by_key.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), key  # gapless 1..n, no duplicate
        assert counters[key] == len(seqs)
    sizes = ", ".join(f"{c}/{y}: 1..{len(s)}" for (c, y), s in sorted(by_key.items()))
    FIGURES.append(
        f"concurrency: {n} registrations, pool of {workers} threads with own connections, 3 counties, half at "
        f"2026-12-31 23:59:59.5 and half at 2027-01-01 00:00 Asia/Shanghai: {len(set(numbers))} distinct "
        f"numbers, 0 duplicates, 0 gaps ({sizes}); {elapsed:.1f} s"
    )
