"""Search by a whole ID number or phone number (issue 17, "Finding things"): through the keyed hashes on
the party link (cases.search, cases.idcrypt), in the dispute list, the petition list and the person
look-up, only among the cases the one visibility rule lets the user see (accounts.scoping), and
never with the number in an address (the filter form is posted; the list redirects to its digest)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.idcrypt import id_digest, phone_digest
from cases.idnumbers import canonical_phone
from cases.models import CaseParty
from cases.search import digest_token
from mediation.selectors import dispute_list
from petitions.selectors import petition_list
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition, person

pytestmark = pytest.mark.django_db

APPLICANT_ID = "11010519491231002X"  # 张三明 in new_dispute
RESPONDENT_PHONE = "13900139000"  # 李四 in new_dispute


def found(user, text):
    """What the dispute list shows after the search box was posted with ``text``."""
    return set(dispute_list(user, {"party": digest_token(text)}).values_list("pk", flat=True))


def test_a_whole_id_number_finds_the_case(demo):
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    assert found(user, APPLICANT_ID) == {dispute.pk}
    assert found(user, APPLICANT_ID.lower()) == {dispute.pk}  # x for X
    assert found(user, "110105 19491231 002X") == {dispute.pk}  # typed in groups
    assert found(user, "１１０１０５１９４９１２３１００２Ｘ") == {dispute.pk}  # full-width
    assert found(user, "110105194912310038") == set()  # another number


def test_a_whole_phone_number_finds_the_case_in_any_typed_form(demo):
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    for typed in (RESPONDENT_PHONE, "139-0013-9000", "139 0013 9000", "+86 139 0013 9000", "8613900139000"):
        assert found(user, typed) == {dispute.pk}, typed
    assert found(user, "13900139001") == set()


def test_a_landline_with_or_without_its_hyphen_is_one_number(demo):
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    link = dispute.parties.get(role="respondent")
    link.phone = "057587012345"
    link.save()
    assert canonical_phone("0575-87012345") == canonical_phone("(0575)87012345") == "057587012345"
    assert found(user, "0575-87012345") == found(user, "057587012345") == {dispute.pk}


def test_a_part_of_a_number_is_no_number(demo):
    """Only a whole number is hashed; a part is searched as text, which finds no party by it."""
    user = demo["xianjin_mediator"]
    new_dispute(user)
    assert digest_token(APPLICANT_ID[:12]) == digest_token(RESPONDENT_PHONE[:7]) == ""
    for part in (APPLICANT_ID[:12], RESPONDENT_PHONE[:7]):
        assert not dispute_list(user, {"q": part}).exists()


def test_the_posted_search_redirects_to_the_digest_never_the_number(client, demo):
    """ASVS 14.2.1: the filter form is posted; the list's address that comes back carries the
    number's keyed hash, and keeps the other filters; a GET with the number finds nothing."""
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    client.force_login(user)
    url = reverse("disputes:list")
    for typed, kind in ((APPLICANT_ID, "id"), ("139 0013 9000", "phone")):
        response = client.post(url, {"q": typed, "scope": "all", "region": "", "page": "4"})
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/disputes/?") and "page" not in location and "region" not in location
        assert f"party={kind}%3A" in location and "scope=all" in location
        assert typed.replace(" ", "") not in location.replace("+", "") and "q=" not in location
        page = client.get(location)
        assert [case.pk for case, _names in page.context["rows"]] == [dispute.pk]
        assert 'id="number-search"' in page.content.decode()
    # A new search replaces the number; a name stays a name in the address.
    response = client.post(url, {"q": "张三明", "party": digest_token(APPLICANT_ID)})
    assert response["Location"] == "/disputes/?q=%E5%BC%A0%E4%B8%89%E6%98%8E"
    assert not dispute_list(user, {"q": APPLICANT_ID}).exists()
    # A mangled digest is a form error, said on the page (like any invalid filter, nothing filtered).
    assert 'id="number-search-expired"' in client.get(url, {"party": "id:not-a-digest"}).content.decode()


def test_the_search_compares_digests_never_the_typed_number(demo):
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    link = dispute.parties.get(role="respondent")
    assert link.phone_digest == phone_digest(RESPONDENT_PHONE) and len(link.phone_digest) == 64
    applicant = dispute.parties.get(role="applicant")
    assert applicant.id_number_digest == id_digest(APPLICANT_ID)
    for typed in (APPLICANT_ID, RESPONDENT_PHONE):
        with CaptureQueriesContext(connection) as queries:
            assert found(user, typed) == {dispute.pk}
        sql = " ".join(q["sql"] for q in queries)
        assert typed not in sql and typed[-8:] not in sql
    assert phone_digest(RESPONDENT_PHONE) in sql


def test_the_phone_digest_is_apart_from_the_other_digests(demo):
    assert phone_digest("13800138000") != id_digest("13800138000")
    assert phone_digest("") == ""


def test_a_number_of_a_party_in_another_village_finds_nothing(demo):
    """The scoping rule still decides: a case of 江东社区 (another town) is not found by the
    先进村 mediator, whatever number they type; the 江东 mediator finds it."""
    elsewhere = new_dispute(demo["jiangdong_mediator"], village="jiangdong")
    mine = new_dispute(demo["xianjin_mediator"])
    assert found(demo["xianjin_mediator"], RESPONDENT_PHONE) == {mine.pk}
    assert found(demo["xianjin_mediator"], APPLICANT_ID) == {mine.pk}
    assert found(demo["jiangdong_mediator"], APPLICANT_ID) == {elsewhere.pk}
    assert found(demo["zhuji_supervisor"], APPLICANT_ID) == {mine.pk, elsewhere.pk}


def test_the_petition_list_finds_by_id_number_and_phone(demo):
    clerk = demo["zhuji_petition_clerk"]
    petition = new_petition(clerk, petitioners=[person(id_number=APPLICANT_ID, phone="13700137000")])
    other = new_petition(clerk, petitioners=[person(name="王秀英", phone="13600136000")])

    def listed(user, text):
        return set(petition_list(user, {"party": digest_token(text)}).values_list("pk", flat=True))

    assert listed(clerk, APPLICANT_ID) == {petition.pk}
    assert listed(clerk, "137 0013 7000") == {petition.pk}
    assert listed(clerk, "13600136000") == {other.pk}
    assert listed(demo["xianjin_mediator"], "13700137000") == set()  # a county petition, not theirs


def test_the_list_pages_find_by_number_in_a_fixed_number_of_queries(client, demo):
    user = demo["fengqiao_supervisor"]
    for _ in range(3):
        new_dispute(demo["xianjin_mediator"])
    client.force_login(user)
    url = reverse("disputes:list")
    client.get(url)
    counts = []
    for query in (
        {},
        {"party": digest_token(APPLICANT_ID)},
        {"party": digest_token(RESPONDENT_PHONE)},
        {"q": "张三明"},
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    page = client.get(url, {"party": digest_token(RESPONDENT_PHONE)}).content.decode()
    assert "共 3 件" in page  # the three disputes of 李四, found by the phone alone


def test_existing_parties_get_their_phone_digest_from_the_migration(demo):
    """cases/0029 computes the digest of every stored phone (rows written before it had none)."""
    user = demo["xianjin_mediator"]
    dispute = new_dispute(user)
    CaseParty.objects.update(phone_digest="")
    assert found(user, RESPONDENT_PHONE) == set()
    migration = importlib.import_module("cases.migrations.0029_party_phone_digest")
    with connection.schema_editor(atomic=False) as editor:
        migration.compute_phone_digests(django_apps, editor)
    assert found(user, RESPONDENT_PHONE) == {dispute.pk}
    assert not CaseParty.objects.exclude(phone="").filter(phone_digest="").exists()
    assert (
        CaseParty.objects.filter(phone="", phone_digest="").count()
        == CaseParty.objects.filter(phone="").count()
    )


@pytest.mark.requires_postgres
def test_the_digest_search_reads_the_partial_indexes(demo):
    from django.db import transaction

    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_caseparty'")
        indexes = dict(cur.fetchall())
    assert (
        "WHERE" in indexes["caseparty_phone_digest"] and "phone_digest" in indexes["caseparty_phone_digest"]
    )
    assert "WHERE" in indexes["caseparty_id_digest"]
    new_dispute(demo["xianjin_mediator"])
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(
            "EXPLAIN SELECT case_id FROM cases_caseparty WHERE phone_digest = %s",
            [phone_digest(RESPONDENT_PHONE)],
        )
        plan = " ".join(row[0] for row in cur.fetchall())
    assert "caseparty_phone_digest" in plan


def test_a_posted_filter_that_would_not_fit_an_address_is_refused_on_the_page(client, demo):
    """A posted search too long for an address was a DisallowedRedirect (400 without a word; found by
    tests/security/test_hostile_new_forms.py): the form's errors are shown instead, in Chinese. Only
    the form's own fields go into the address, stripped as the form cleans them."""
    client.force_login(demo["xianjin_mediator"])
    url = reverse("disputes:list")
    response = client.post(url, {"q": "纠纷" * 3000})
    assert response.status_code == 200
    [message] = response.context["form"].errors["q"]
    assert "200" in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    response = client.post(url, {"q": "  张三明  ", "junk": "x" * 20000, "scope": "all"})
    assert response.status_code == 302
    assert response["Location"] == "/disputes/?q=%E5%BC%A0%E4%B8%89%E6%98%8E&scope=all"
