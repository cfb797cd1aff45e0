"""ID numbers at rest (cases.idcrypt): the column holds a Fernet token, search goes through the keyed
hash, pages mask as before, and keys rotate without losing a number."""

import io
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from cases.idcrypt import UndecryptableIdNumber
from cases.models import CaseParty, Person
from cases.people import add_party, find_or_create_identity, find_people, id_digest
from cases.pii import party_view
from tests.dispute_helpers import new_dispute
from tests.factories import CaseFactory

ID = "11010519491231002X"
OTHER = "330681199001011234"
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(pk):
    """The stored column of a party link (the ID number as given on that case)."""
    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM cases_caseparty WHERE id = %s", [pk])
        return cur.fetchone()[0]


def party(name, id_number="", role="applicant"):
    """A party of a case of its own, as intake stores it."""
    return add_party(CaseFactory(), {"name": name, "id_number": id_number}, role, 0)


def insert_raw(name, id_number):
    """A row written around the model, as a bulk COPY does."""
    link = party(name)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE cases_caseparty SET id_number = %s, id_number_digest = %s WHERE id = %s",
            [id_number, id_digest(id_number), link.pk],
        )
    return link.pk


@pytest.mark.django_db
def test_the_column_does_not_hold_the_number_but_the_model_does():
    link = party("张三明", ID)
    stored = raw(link.pk)
    assert stored.startswith("gAAAAA") and len(stored) == 120
    for fragment in (ID, ID[:17], ID[6:14], "19491231"):
        assert fragment not in stored
    assert CaseParty.objects.get(pk=link.pk).id_number == ID
    assert CaseParty.objects.values_list("id_number", flat=True).get(pk=link.pk) == ID
    assert raw(party("李四").pk) == "", "no number stays empty, not encrypted"
    other = party("王五", ID)
    assert raw(other.pk) != stored, "a fresh IV each time: equal numbers do not look equal"


@pytest.mark.django_db
def test_bulk_writes_go_through_the_same_field():
    """The import writer creates party links with bulk_create (jobs.imports.writer)."""
    person, _created = find_or_create_identity({"name": "导入", "id_number": OTHER})
    CaseParty.objects.bulk_create(
        [CaseParty(case=CaseFactory(), person=person, role="applicant", name=f"导入{i}", id_number=OTHER)
         for i in range(3)]
    )  # fmt: skip
    for link in CaseParty.objects.all():
        assert raw(link.pk).startswith("gAAAAA") and link.id_number == OTHER


@pytest.mark.django_db
def test_search_by_number_uses_the_keyed_hash_and_normalises_input():
    link = party("张三明", ID)
    person = link.person
    assert (
        person.id_number_digest == id_digest(ID) == link.id_number_digest
        and ID not in person.id_number_digest
    )
    # Full-width digits, a lower-case x, spaces and a zero-width space: NFKC, then ASCII digits.
    assert find_people(id_number="１１０１０５ １９４９１２３１\u200b００２x") == [person]
    assert find_or_create_identity({"name": "张三明", "id_number": ID}) == (person, False)
    # The hash has its own key: changing the encryption keys does not change it.
    with override_settings(ID_NUMBER_KEYS=[KEY_A]):
        assert id_digest(ID) == person.id_number_digest
    with pytest.raises(TypeError, match="id_number_digest"):
        CaseParty.objects.filter(id_number=ID).exists()
    assert CaseParty.objects.filter(id_number="").count() == 0
    assert not hasattr(Person(), "id_number"), "the register keeps the digest only"


@pytest.mark.django_db
def test_pages_mask_as_before(client, demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    applicant = dispute.parties.get(role="applicant")
    assert party_view(applicant, full=False)["id_number"] == "1101**********002X"
    assert party_view(applicant, full=True)["id_number"] == ID
    url = reverse("disputes:detail", args=[dispute.pk])
    client.force_login(demo["xianjin_grid_worker"])
    page = client.get(url).content.decode()
    assert "1101**********002X" in page and ID not in page
    client.force_login(demo["xianjin_mediator"])
    assert ID in client.get(url).content.decode()


@pytest.mark.django_db
def test_rotation_re_encrypts_and_the_old_key_can_then_go():
    with override_settings(ID_NUMBER_KEYS=[KEY_A]):
        people = [party(f"甲{i}", ID if i % 2 else OTHER) for i in range(5)]
        before = {p.pk: raw(p.pk) for p in people}
    with override_settings(ID_NUMBER_KEYS=[KEY_B, KEY_A]):
        out = io.StringIO()
        call_command("rotate_id_keys", "--check", stdout=out)
        assert "0 under the first key, 5 under older keys" in out.getvalue()
        out = io.StringIO()
        call_command("rotate_id_keys", stdout=out)
        assert "5 ID numbers re-encrypted" in out.getvalue()
        assert "5 under the first key, 0 under older keys, 0 not encrypted, 0 unreadable" in out.getvalue()
    for person in people:
        assert raw(person.pk) != before[person.pk]
        Fernet(KEY_B).decrypt(raw(person.pk).encode())  # opens with the new key alone
    with override_settings(ID_NUMBER_KEYS=[KEY_B]):  # the old key removed
        assert sorted(CaseParty.objects.values_list("id_number", flat=True)) == sorted(
            [ID, ID, OTHER, OTHER, OTHER]
        )
    with override_settings(ID_NUMBER_KEYS=[KEY_A]):  # a key list that lost the current key
        with pytest.raises(UndecryptableIdNumber):
            CaseParty.objects.get(pk=people[0].pk)
        with pytest.raises(CommandError, match="restore the removed key"):
            call_command("rotate_id_keys", "--check", stdout=io.StringIO())


@pytest.mark.django_db
def test_plaintext_rows_from_a_raw_bulk_load_are_found_and_encrypted():
    pk = insert_raw("赵六", OTHER)
    assert CaseParty.objects.get(pk=pk).id_number == OTHER  # still readable
    out = io.StringIO()
    call_command("rotate_id_keys", "--check", stdout=out)
    assert "1 not encrypted" in out.getvalue()
    call_command("rotate_id_keys", stdout=io.StringIO())
    assert raw(pk).startswith("gAAAAA") and CaseParty.objects.get(pk=pk).id_number == OTHER


@pytest.mark.django_db
def test_the_data_migration_encrypts_existing_rows_and_reverses():
    """Migration 0013's rewrite, run here over the table that holds the numbers now."""
    from cases.idcrypt import decrypt, encrypt, is_token, rewrite_column

    plain, done = insert_raw("钱七", ID), party("孙八", OTHER).pk
    token = raw(done)
    rewrite_column(lambda v: v if is_token(v) else encrypt(v), connection)
    assert raw(plain).startswith("gAAAAA") and raw(done) == token, "already encrypted rows are left alone"
    assert CaseParty.objects.get(pk=plain).id_number == ID
    rewrite_column(decrypt, connection)
    assert (raw(plain), raw(done)) == (ID, OTHER)


def _check(**overrides):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ENV": "production"}
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_its_own_keys():
    secret = "s" * 60
    result = _check(SECRET_KEY=secret, PII_HASH_KEY="h" * 40, ID_NUMBER_KEY=None)
    assert result.returncode != 0 and "ID_NUMBER_KEY must be set" in result.stderr
    result = _check(SECRET_KEY=secret, PII_HASH_KEY=secret, ID_NUMBER_KEY=KEY_A)
    assert result.returncode != 0 and "PII_HASH_KEY must be set, and differ from SECRET_KEY" in result.stderr
