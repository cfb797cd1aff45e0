"""Migrations cases/0026 and 0027: each party link gets the details its person showed until then, the
register keeps keyed digests only, and the way back restores the person's details."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.people import id_digest, name_phone_digest
from tests.template_database import scratch_copy

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
BEFORE = ("cases", "0025_models_move_to_their_apps")
AFTER = ("cases", "0027_register_keys_only")
ID = "11010519491231002X"


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def test_details_move_from_the_register_to_every_link_and_back():
    # On a database of its own, dropped afterwards: going back to BEFORE undoes later migrations of
    # every app that depends on cases, which the test database would otherwise have to redo.
    with scratch_copy():
        _details_move_and_back()


def _details_move_and_back():
    apps = migrate(BEFORE)
    region_model, case_model = apps.get_model("accounts", "Region"), apps.get_model("cases", "Case")
    person_model, link_model = apps.get_model("cases", "Person"), apps.get_model("cases", "CaseParty")
    region, _ = region_model.objects.get_or_create(
        code="330681000000", defaults={"name": "诸暨市", "level": 3}
    )
    cases = [
        case_model.objects.create(
            kind="dispute", status="registered", region=region, opened_at=timezone.now()
        )
        for _ in range(2)
    ]
    person = person_model.objects.create(
        name="张三明", id_number=ID, id_number_digest=id_digest(ID), phone="13800138000", address="某村1号",
        gender="M",
    )  # fmt: skip
    firm = person_model.objects.create(name="某公司", is_organisation=True, credit_code="91330681MA2BC1234X")
    for case in cases:
        link_model.objects.create(case=case, person=person, role="applicant")
    link_model.objects.create(case=cases[0], person=firm, role="respondent")

    apps = migrate(AFTER)
    links = apps.get_model("cases", "CaseParty").objects.order_by("pk")
    shown = [(x.name, x.id_number, x.id_number_digest, x.phone, x.address, x.gender) for x in links[:2]]
    assert shown == [("张三明", ID, id_digest(ID), "13800138000", "某村1号", "M")] * 2
    assert (links[2].name, links[2].is_organisation, links[2].credit_code) == (
        "某公司",
        True,
        firm.credit_code,
    )
    people = apps.get_model("cases", "Person").objects
    assert people.get(pk=person.pk).name_phone_digest == name_phone_digest("张三明", "13800138000")
    assert people.get(pk=firm.pk).credit_code == firm.credit_code
    with connection.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'cases_person'")
        columns = {row[0] for row in cur.fetchall()}
        cur.execute("SELECT id_number FROM cases_caseparty WHERE id_number <> ''")
        tokens = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename IN ('cases_person', 'cases_caseparty')")
        indexes = {row[0] for row in cur.fetchall()}
    assert columns == {"id", "is_organisation", "id_number_digest", "name_phone_digest", "credit_code",
                       "created_at"}  # fmt: skip
    assert len(tokens) == 2 and all(t.startswith("gAAAAA") for t in tokens), "copied as tokens, encrypted"
    assert "caseparty_name_trgm" in indexes and "person_name_trgm" not in indexes

    apps = migrate(BEFORE)
    back = apps.get_model("cases", "Person").objects.get(pk=person.pk)
    assert (back.name, back.id_number, back.phone, back.address, back.gender) == (
        "张三明", ID, "13800138000", "某村1号", "M",
    )  # fmt: skip
