"""The shared case core: people, numbering, timeline, deadlines, transitions."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from accounts import roles
from accounts.demo import VILLAGES
from cases.deadlines import close_deadline, extend_deadline, open_deadline, rule_for
from cases.models import Case, CaseKind, DeadlineRule, Person, TimelineEntry
from cases.numbering import allocate_case_number
from cases.people import find_or_create_identity, find_people
from cases.transitions import Transition, TransitionConflict, perform
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_person_found_again_by_id_number_or_name_and_phone():
    first, created = find_or_create_identity(
        {"name": "张三明", "id_number": "11010519491231002X", "phone": ""}
    )
    assert created
    again, created = find_or_create_identity(
        {"name": "张三明", "id_number": "11010519491231002x", "phone": ""}
    )
    assert not created and again.pk == first.pk
    other, _created = find_or_create_identity({"name": "李四", "phone": "13800138000"})
    assert find_people(name="李四", phone="138 0013 8000") == [other]
    assert find_people(name=" 李四 ", phone="13800138000") == [other]
    assert find_people(name="李四", phone="13900000000") == []


def test_id_number_is_searchable_by_keyed_hash():
    person, _created = find_or_create_identity({"name": "王五", "id_number": "11010519491231002X"})
    assert len(person.id_number_digest) == 64
    assert "11010519491231002X" not in person.id_number_digest


def test_register_holds_keys_and_no_details():
    """The register is a keyed identity: no name, ID number, phone or address is stored in it."""
    person, _created = find_or_create_identity(
        {"name": "王五", "id_number": "11010519491231002X", "phone": "13800138000", "address": "某村1号"}
    )
    stored = Person.objects.filter(pk=person.pk).values().get()
    assert set(stored) == {"id", "is_organisation", "id_number_digest", "name_phone_digest", "credit_code",
                           "created_at"}  # fmt: skip
    values = " ".join(str(v) for v in stored.values())
    assert not any(text in values for text in ("王五", "11010519491231002X", "13800138000", "某村"))
    assert stored["name_phone_digest"] and stored["name_phone_digest"] != stored["id_number_digest"]


def test_case_numbers_per_county_year_and_kind(demo):
    with transaction.atomic():
        a = CaseFactory(
            region_id=VILLAGES["xianjin"], opened_at=timezone.make_aware(datetime.datetime(2026, 3, 1))
        )
        b = CaseFactory(
            region_id=VILLAGES["jiangdong"], opened_at=timezone.make_aware(datetime.datetime(2026, 3, 2))
        )
        p = CaseFactory(
            region_id=VILLAGES["xianjin"],
            kind=CaseKind.PETITION,
            opened_at=timezone.make_aware(datetime.datetime(2026, 3, 2)),
        )
        numbers = [allocate_case_number(c) for c in (a, b, p)]
    assert numbers == ["诸暨〔2026〕调字第0001号", "诸暨〔2026〕调字第0002号", "诸暨〔2026〕访字第0001号"]


def test_new_year_in_shanghai_starts_a_new_sequence(demo):
    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Asia/Shanghai.
    opened = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    with transaction.atomic():
        case = CaseFactory(region_id=VILLAGES["xianjin"], opened_at=opened)
        assert allocate_case_number(case) == "诸暨〔2027〕调字第0001号"


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    with pytest.raises(RuntimeError):
        allocate_case_number(case)


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_no_duplicates():
    from accounts.demo import seed_demo

    seed_demo()
    errors, numbers = [], []

    def create():
        try:
            with transaction.atomic():
                case = CaseFactory(region_id=VILLAGES["xianjin"])
                numbers.append(allocate_case_number(case))
                case.save()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(numbers)) == 20
    assert sorted(int(n[-5:-1]) for n in numbers) == list(range(1, 21))


def test_deadline_from_rule_with_explanation(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    deadline = open_deadline(case, "petition_notice", D(2026, 9, 28))
    assert deadline.due_date == D(2026, 10, 13)
    assert "2026年9月28日" in deadline.computation
    case.refresh_from_db()
    assert case.next_due_at == deadline.due_at


def test_deadline_rolls_and_says_so(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    deadline = open_deadline(case, "petition_objection", D(2026, 9, 28))
    assert deadline.due_date == D(2026, 10, 10)  # 5 working days, the 调休 Saturday
    calendar_rule = DeadlineRule.objects.create(code="t5", label="t", amount=5, unit="calendar")
    deadline = open_deadline(case, calendar_rule.code, D(2026, 9, 28))
    assert deadline.due_date == D(2026, 10, 8)
    assert "2026年10月3日" in deadline.computation


def test_region_specific_rule_wins(demo):
    DeadlineRule.objects.create(
        code="petition_notice", region_prefix="33", label="浙江", amount=5, unit="workday"
    )
    assert rule_for("petition_notice", VILLAGES["xianjin"]).region_prefix == "33"
    assert rule_for("petition_notice", "110105000000").region_prefix == ""


def test_extension_and_frozen_on_time(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    deadline = open_deadline(case, "petition_handle", D(2026, 3, 2))
    assert deadline.due_date == D(2026, 5, 6)  # 60 days = 05-01, holiday until 05-05 -> 05-06
    extend_deadline(deadline, 30)
    assert deadline.due_date == D(2026, 5, 31) + datetime.timedelta(days=1)  # 90 days = 05-31 Sun -> 06-01
    close_deadline(deadline, timezone.make_aware(datetime.datetime(2026, 6, 1, 18, 0)))
    assert deadline.met_on_time is True and deadline.elapsed_days == 91
    case.refresh_from_db()
    assert case.next_due_at is None


@pytest.fixture
def accept():
    return Transition("accept", "受理", frozenset({"registered"}), "accepted", frozenset({roles.MEDIATOR}))


def test_transition_changes_state_and_writes_one_timeline_entry(demo, accept):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    perform(accept, Case, case.pk, demo["xianjin_mediator"])
    case.refresh_from_db()
    assert case.status == "accepted"
    entry = TimelineEntry.objects.get(case=case)
    assert entry.before == {"status": "registered"} and entry.after == {"status": "accepted"}


def test_transition_refusals(demo, accept):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    with pytest.raises(Http404):
        perform(accept, Case, case.pk, demo["yangchun_mediator"])  # another village
    with pytest.raises(PermissionDenied):
        perform(accept, Case, case.pk, demo["xianjin_grid_worker"])  # role
    perform(accept, Case, case.pk, demo["xianjin_mediator"])
    with pytest.raises(TransitionConflict):
        perform(accept, Case, case.pk, demo["xianjin_mediator"])  # state
    assert TimelineEntry.objects.filter(case=case).count() == 1


def test_timeline_is_append_only(demo):
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    from cases.timeline import record

    entry = record(case, None, "note", "自动")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(accept):
    from accounts.demo import seed_demo
    from accounts.models import User

    seed_demo()
    case = CaseFactory(region_id=VILLAGES["xianjin"])
    user = User.objects.get(username="xianjin_mediator")
    barrier = threading.Barrier(2)
    outcomes = []

    def act():
        try:
            barrier.wait()
            perform(accept, Case, case.pk, User.objects.get(pk=user.pk))
            outcomes.append("ok")
        except TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert TimelineEntry.objects.filter(case=case).count() == 1
