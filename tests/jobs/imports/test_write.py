"""Confirming writes every row (numbers, parties found again, timeline, deadlines) or none."""

import re

import pytest
from django.db import connection

from cases.idcrypt import id_digest
from cases.models import Case, CaseNumberCounter, CaseParty, Deadline, Person, TimelineEntry
from jobs.imports.sample import sample_rows
from mediation.models import Dispute
from mediation.workflow import register_dispute
from petitions.models import Petition, VisitBatch
from tests.jobs.imports.helpers import rows, run_import

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"诸暨〔2024〕调字第[0-9]{4}号")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_good_file_of_100_imports_every_row(demo, fmt):
    user = demo["zhuji_mediator"]
    data = rows(n=100)
    data[5]["number"] = "诸暨〔2024〕调字第0150号"  # kept from the old ledger
    data[6]["applicant_id"] = data[7]["applicant_id"]  # the same person on two rows
    data[6]["applicant_name"] = data[7]["applicant_name"]
    ids = run_import(user, data, fmt)
    assert len(ids) == Dispute.objects.count() == 100
    numbers = list(Dispute.objects.order_by("pk").values_list("number", flat=True))
    assert numbers[5] == "诸暨〔2024〕调字第0150号"
    assert len(set(numbers)) == 100 and all(NUMBER.fullmatch(n) for n in numbers)
    # New numbers go past the kept one: 0001..0099 for the others would collide with nothing, but
    # the counter stands after 0150 so a later registration cannot collide with it either.
    assert CaseNumberCounter.objects.get(county_code="330681", year=2024, kind="dispute").last == 150 + 99
    assert CaseParty.objects.count() == 200
    assert CaseParty.objects.filter(role="applicant").values("person").distinct().count() == 99
    first = Dispute.objects.order_by("pk").first()
    assert first.region_id == data[0]["region"] and first.summary == "历史纠纷第1件"
    assert first.handling_unit == user.unit
    entries = TimelineEntry.objects.filter(action="import")
    assert entries.count() == 100 and set(entries.values_list("actor", flat=True)) == {user.pk}
    assert f"由 {user.display_name} 从 ledger.{fmt} 第 2 行导入" == entries.get(case=first).description
    closed = [r for r in data if r["closed_on"]]
    assert Dispute.objects.filter(status="archived", closed_at__isnull=False).count() == len(closed)
    open_ = Dispute.objects.filter(status="registered")
    assert open_.count() == 100 - len(closed)
    assert Deadline.objects.filter(case__in=open_, rule__code="dispute_accept").count() == open_.count()


def test_the_same_person_is_found_again_from_earlier_cases(demo):
    user = demo["zhuji_mediator"]
    data = rows(n=2)
    run_import(user, data)
    again = rows(n=2, seed=8)
    again[0]["applicant_id"], again[0]["applicant_name"] = data[1]["applicant_id"], data[1]["applicant_name"]
    run_import(user, again)
    # The register finds the identity by the ID number's keyed hash (cases.idcrypt); each case keeps
    # the details of its own row.
    person = Person.objects.get(id_number_digest=id_digest(data[1]["applicant_id"]))
    links = list(person.case_links.order_by("pk"))
    assert len(links) == 2
    assert [(link.name, link.id_number) for link in links] == [
        (data[1]["applicant_name"], data[1]["applicant_id"])
    ] * 2
    assert links[1].phone == again[0]["applicant_phone"] and links[0].phone == data[1]["applicant_phone"]


def test_numbers_continue_after_imports_for_later_registrations(demo):
    """A kept number of the current year moves the counter, so intake never collides with it."""
    from django.utils import timezone

    from tests.dispute_helpers import new_dispute

    user = demo["xianjin_mediator"]
    year = timezone.localdate().year
    data = sample_rows("dispute", 1, year=year)
    data[0]["opened_on"] = f"{year}-01-02"
    data[0]["region"] = "330681109219"
    data[0]["number"] = f"诸暨〔{year}〕调字第0007号"
    run_import(user, data)
    assert new_dispute(user).number == f"诸暨〔{year}〕调字第0008号"
    assert register_dispute  # the intake path used by new_dispute


def test_petitions_import_with_visits_and_collective_flags(demo):
    clerk = demo["zhuji_petition_clerk"]
    data = rows("petition", n=20)
    data[0].update(channel="来访", head_count="6", closed_on="")
    ids = run_import(clerk, data, kind="petition")
    assert Petition.objects.count() == 20 == len(ids)
    first = Petition.objects.get(pk=ids[0])
    assert (
        first.is_collective and first.status == "registered" and first.number.startswith("诸暨〔2024〕访字第")
    )
    assert VisitBatch.objects.get(petition=first).head_count == 6
    assert first.deadlines.filter(rule__code="petition_route").exists()
    assert CaseParty.objects.filter(role="petitioner").count() == 20
    visits = sum(1 for r in data if r["channel"] == "来访")
    assert VisitBatch.objects.count() == visits


def test_an_import_over_several_batches_gives_each_case_its_own_rows(demo, settings):
    """The writer writes in batches (cases, then their deadlines, parties, entries and visits): cut
    into batches of 7, each of the 20 petitions still gets exactly its row's number, deadline (its
    next due date), parties and visit, and the ids come back in the file's order."""
    settings.IMPORT_WRITE_BATCH = 7
    clerk = demo["zhuji_petition_clerk"]
    data = rows("petition", n=20)
    for i in (0, 8, 15):
        data[i].update(channel="来访", head_count=str(i + 6), closed_on="")
    ids = run_import(clerk, data, kind="petition")
    petitions = Petition.objects.in_bulk(ids)
    assert len(ids) == len(petitions) == 20
    for row, pk in zip(data, ids, strict=True):
        petition = petitions[pk]
        assert petition.summary == row["summary"]
        petitioners = CaseParty.objects.filter(case_id=pk, role="petitioner")
        assert [p.name for p in petitioners] == [row["petitioner_name"]]
        assert TimelineEntry.objects.get(case_id=pk, action="import").after["row"] == ids.index(pk) + 2
        open_dues = list(Deadline.objects.filter(case_id=pk, state="open").values_list("due_at", flat=True))
        if row["closed_on"]:
            assert open_dues == [] and petition.next_due_at is None
        else:
            assert open_dues == [petition.next_due_at] and petition.next_due_at is not None
        visits = list(VisitBatch.objects.filter(petition_id=pk).values_list("head_count", flat=True))
        assert visits == ([int(row["head_count"])] if row["channel"] == "来访" else [])
    assert {petitions[ids[i]].is_collective for i in (0, 8, 15)} == {True}  # 6, 14, 21 heads: 5 or more
    assert TimelineEntry.objects.count() == 20


@pytest.mark.requires_postgres
def test_a_failure_at_row_50_in_the_write_path_commits_nothing(demo):
    """A real fault in the real write path: the database refuses the 50th dispute."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL triggers")
    user = demo["zhuji_mediator"]
    data = rows(n=100)
    data[49]["summary"] = "触发故障"
    counters_before = list(CaseNumberCounter.objects.values_list("county_code", "year", "kind", "last"))
    with connection.cursor() as cursor:
        cursor.execute(
            """CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN
                 IF (SELECT summary FROM cases_case WHERE id = NEW.case_ptr_id) = '触发故障' THEN
                   RAISE EXCEPTION 'disk full at row 50'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
               CREATE TRIGGER refuse_row BEFORE INSERT ON cases_dispute FOR EACH ROW EXECUTE FUNCTION refuse_row();"""
        )
    with pytest.raises(Exception, match="disk full at row 50"):
        run_import(user, data)
    assert Case.objects.count() == 0 and Person.objects.count() == 0 and CaseParty.objects.count() == 0
    assert TimelineEntry.objects.count() == 0 and Deadline.objects.count() == 0
    assert (
        list(CaseNumberCounter.objects.values_list("county_code", "year", "kind", "last")) == counters_before
    )
