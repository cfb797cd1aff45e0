"""The list search: three characters or more search summaries, numbers and party names; one or two
characters search the start of party names only (cases.search, docs/performance.md)."""

import pytest
from django.urls import reverse

from cases.search import is_short
from mediation.selectors import dispute_list
from petitions.selectors import petition_list
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def found(user, text):
    return set(dispute_list(user, {"q": text}).values_list("pk", flat=True))


def test_three_characters_search_summary_number_and_names(demo):
    user = demo["xianjin_mediator"]
    drain = new_dispute(user, summary="村东排水沟堵塞")  # applicant 张三明
    orchard = new_dispute(user, summary="果园用水纠纷")
    assert found(user, "排水沟") == {drain.pk}
    assert found(user, "用水纠") == {orchard.pk}
    assert found(user, drain.number[-6:]) == {drain.pk}
    assert found(user, "三明") == set()  # two characters: the start of a name only
    assert found(user, "张三明") == {drain.pk, orchard.pk}  # both have the applicant 张三明
    assert found(user, "三明 ") == set()  # the term is stripped before its length counts


def test_one_or_two_characters_search_the_start_of_names_only(demo):
    user = demo["xianjin_mediator"]
    drain = new_dispute(user, summary="村东排水沟堵塞")
    assert found(user, "排水") == set()  # in the summary, but short terms do not read summaries
    assert found(user, "张") == found(user, "张三") == {drain.pk}
    assert found(user, "李四") == {drain.pk}  # the respondent
    assert is_short("李四") and not is_short("李四光") and not is_short("")


def test_the_list_says_how_a_short_term_was_searched(client, demo):
    user = demo["xianjin_supervisor"]
    new_dispute(demo["xianjin_mediator"], summary="村东排水沟堵塞")
    client.force_login(user)
    short = client.get(reverse("disputes:list"), {"q": "排水"}).content.decode()
    assert 'id="short-search"' in short and "少于 3 个字，只按当事人姓名开头检索" in short
    assert "村东排水沟堵塞" not in short
    full = client.get(reverse("disputes:list"), {"q": "排水沟"}).content.decode()
    assert 'id="short-search"' not in full and "村东排水沟堵塞" in full
    petitions = client.get(reverse("petitions:list"), {"q": "王"}).content.decode()
    assert 'id="short-search"' in petitions
    assert not petition_list(user, {"q": "王"}).exists()


def test_a_whole_case_number_finds_that_case(demo):
    user = demo["xianjin_mediator"]
    first = new_dispute(user, summary="村东排水沟堵塞")
    second = new_dispute(user, summary=f"与{first.number}相关的另一起纠纷")
    assert found(user, first.number) == {first.pk}  # by the number alone, not by the summary
    assert found(user, f"  {second.number} ") == {second.pk}
    assert found(user, first.number[:-1]) == {first.pk, second.pk}  # a part: summary and number


def test_a_party_is_found_by_the_name_given_on_that_case(demo):
    """The search reads the party's name as given on the case, not the register's: the same person
    (one ID number) typed as 张三明 on one case and 张叁明 on another is found by each name on its own
    case only."""
    user = demo["xianjin_mediator"]
    drain = new_dispute(user, summary="村东排水沟堵塞")  # applicant 张三明, 11010519491231002X
    orchard = new_dispute(user, summary="果园用水纠纷")
    orchard.parties.filter(role="applicant").update(name="张叁明")
    assert drain.parties.get(role="applicant").person_id == orchard.parties.get(role="applicant").person_id
    assert found(user, "张三明") == {drain.pk} and found(user, "张叁明") == {orchard.pk}


@pytest.mark.requires_postgres
def test_party_name_search_reads_the_trigram_index_on_the_case_party(demo):
    from django.db import connection, transaction

    from cases.models import CaseParty

    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(
                "SET LOCAL enable_seqscan = off"
            )  # the table is tiny: make the planner show its index
        plan = CaseParty.objects.filter(name__icontains="张三明").explain()
    assert "caseparty_name_trgm" in plan, plan
