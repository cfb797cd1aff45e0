"""The scale seeder (benchmarks.scale) at a small scale: counts, unique numbers, consistent lives, counters
and sequences advanced, every index and constraint back after the bulk load."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from accounts.demo import REGION_FILE
from accounts.models import Region, User
from cases.models import Case, CaseNumberCounter, CaseParty, Deadline, Person, TimelineEntry, TimelineHead
from cases.people import id_digest, name_phone_digest
from mediation.models import Dispute
from petitions.models import Petition
from reporting.periods import Period
from tests.cases.test_tally import live as open_case_counts
from tests.cases.test_tally import summed as tally_sums
from tests.dispute_helpers import new_dispute
from tests.reporting.test_petition_tally import live as live_counts
from tests.reporting.test_petition_tally import tallied as tallied_counts

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

OPEN_WITHOUT_DEADLINE = {"accepted", "declined", "followed_up"}  # waiting for the next step by hand


def _schema(tables):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conname || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [tables, tables],
        )
        return sorted(r[0] for r in cur.fetchall())


@pytest.fixture(scope="module")
def tables():
    return ["cases_case", "cases_deadline", "cases_timelineentry", "cases_person", "cases_caseparty",
            "cases_dispute", "petitions_petition", "mediation_mediationsession"]  # fmt: skip


def test_small_scale_is_whole_and_consistent(tables):
    before = _schema(tables)
    call_command("seed_demo", scale="county", disputes=2000, petitions=2000, regions=REGION_FILE, stdout=None)
    assert _schema(tables) == before, "every index and constraint is back after the load"
    # The open-case tally's trigger was off for the load and the tally counted again: still exact.
    assert tally_sums() == open_case_counts()
    with connection.cursor() as cur:
        cur.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'cases_open_tally_delta'")
        assert cur.fetchone() == ("O",)  # on again
        # So were the petition tallies' (reporting migrations 0005-0007), and they were counted again.
        cur.execute(
            "SELECT count(*), array_agg(DISTINCT tgenabled) FROM pg_trigger "
            "WHERE tgname LIKE 'reporting_petition_%%tally%%'"
        )
        assert cur.fetchone() == (15, ["O"])
    superuser = User.objects.create(username="scale_reader", is_superuser=True)
    province = Region.objects.get(code="330000000000")
    # The twelve months that have passed (the deadline tally counts those only).
    period = Period.month(*timezone.localdate().timetuple()[:2])
    for _ in range(12):
        period = period.previous()
        assert tallied_counts(superuser, province, period) == live_counts(superuser, province, period), period

    assert Dispute.objects.count() == 2000
    assert Petition.objects.count() == 2000
    numbers = list(Case.objects.values_list("number", flat=True))
    assert all(re.fullmatch(r"诸暨〔20\d\d〕[调访]字第\d{4,}号", n) for n in numbers)
    assert len(set(numbers)) == 4000

    # Closed cases have a closing time after opening and no next due; open ones are due when their
    # nearest open deadline is, and every open case waiting on a time limit has one.
    assert not Case.objects.filter(closed_at__lt=F("opened_at")).exists()
    assert not Case.objects.filter(closed_at__isnull=False, next_due_at__isnull=False).exists()
    assert set(Dispute.objects.filter(closed_at__isnull=False).values_list("status", flat=True)) == {
        "archived"
    }
    assert set(Petition.objects.filter(closed_at__isnull=False).values_list("status", flat=True)) <= {
        "finalized", "not_accepted", "diverted",
    }  # fmt: skip
    open_cases = Case.objects.filter(closed_at__isnull=True).annotate(
        nearest=Min("deadlines__due_at", filter=Q(deadlines__state="open"))
    )
    assert open_cases.exists()
    for case in open_cases:
        assert case.next_due_at == case.nearest, case.number
        if case.next_due_at is None:
            assert case.status in OPEN_WITHOUT_DEADLINE, (case.number, case.status)
    assert not Deadline.objects.filter(case__closed_at__isnull=False, state="open").exists()
    assert not Deadline.objects.filter(state="met").filter(Q(met_at=None) | Q(met_on_time=None)).exists()
    assert Deadline.objects.filter(state="met", met_on_time=False).exists(), "some were late"

    # Parties: two per dispute (applicant and respondent), one petitioner per petition; people reused.
    roles = dict(CaseParty.objects.values_list("role").annotate(n=Count("pk")))
    assert roles == {"applicant": 2000, "respondent": 2000, "petitioner": 2000}
    assert Person.objects.count() < 6000
    # The details are on the party links (cases.people); the register holds the keys that match them.
    link = CaseParty.objects.exclude(id_number_digest="").select_related("person").first()
    assert len(link.id_number) == 18  # decrypted from a Fernet token
    assert link.id_number_digest == id_digest(link.id_number) == link.person.id_number_digest
    assert link.person.name_phone_digest == name_phone_digest(link.name, link.phone)
    assert CaseParty.objects.filter(pk=link.pk).values_list("id_number", flat=True)[0] == link.id_number
    repeat = CaseParty.objects.filter(case__petition__repeat_of__isnull=False).first()
    if repeat:  # a repeat petition names the earlier petitioner with the same details
        earlier = CaseParty.objects.get(case_id=repeat.case.petition.repeat_of_id)
        assert (repeat.person_id, repeat.name, repeat.phone) == (
            earlier.person_id,
            earlier.name,
            earlier.phone,
        )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM cases_caseparty WHERE id_number <> '' AND id_number NOT LIKE 'gAAAAA%%'"
        )
        assert cur.fetchone() == (0,), "no ID number is stored in plaintext"
    assert TimelineEntry.objects.filter(action="register").count() == 4000

    # The audit chain is what the database's own trigger would have written, and the trigger is back.
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE row_hash <> jiefen_timeline_row_hash(prev_hash, case_id, "
            "seq, at, actor_id, action, description, before, after)) FROM cases_timelineentry"
        )
        assert cur.fetchone() == (TimelineEntry.objects.count(), 0)
        cur.execute(
            "SELECT count(*) FROM cases_timelinehead h WHERE h.hash IS DISTINCT FROM (SELECT e.row_hash "
            "FROM cases_timelineentry e WHERE e.case_id = h.case_id ORDER BY e.seq DESC LIMIT 1) "
            "OR h.seq <> (SELECT count(*) FROM cases_timelineentry e WHERE e.case_id = h.case_id)"
        )
        assert cur.fetchone() == (0,)
        cur.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'jiefen_chain'")
        assert cur.fetchone() == ("O",)
    assert TimelineHead.objects.count() == 4000

    # Counters continue after the generated numbers; sequences after the generated ids.
    for counter in CaseNumberCounter.objects.all():
        char = "调" if counter.kind == "dispute" else "访"
        last = max(
            int(re.search(r"第(\d+)号", n).group(1)) for n in numbers if f"〔{counter.year}〕{char}" in n
        )
        assert counter.last == last
    top = Case.objects.aggregate(m=Max("pk"))["m"]
    dispute = new_dispute(User.objects.get(username="zhuji_mediator"))
    assert dispute.pk > top
    assert dispute.number not in numbers
    # A case registered afterwards continues its chain through the trigger.
    assert dispute.timeline.get().seq == 1
