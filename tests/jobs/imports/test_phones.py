"""Phones from a ledger are kept as typed, as intake keeps them (cases.idnumbers.phone_as_typed),
with the search digest over their digits (cases.idcrypt.phone_digest), so a search by the number in
any form finds the imported case; a cell that is no phone refuses the whole file with its row."""

import pytest
from django.urls import reverse

from cases.idcrypt import phone_digest
from cases.models import Case, CaseParty, Person
from cases.search import digest_token
from jobs.imports import ImportRefused
from mediation.models import Dispute
from mediation.selectors import dispute_list
from petitions.models import Petition
from petitions.selectors import petition_list
from tests.jobs.imports.helpers import check, rows, run_import

pytestmark = pytest.mark.django_db


def found(user, text):
    return set(dispute_list(user, {"party": digest_token(text)}).values_list("pk", flat=True))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_landline_is_kept_as_typed_and_found_by_its_digits(demo, client, fmt):
    user = demo["zhuji_mediator"]
    data = rows(n=2, closed_share=0)
    data[0]["applicant_phone"] = "0575-87012345"
    data[1]["respondent_phone"] = "138 0000 0000"
    run_import(user, data, fmt)
    first, second = Dispute.objects.order_by("pk")
    applicant = first.parties.get(role="applicant")
    assert applicant.phone == "0575-87012345"
    assert second.parties.get(role="respondent").phone == "138 0000 0000"
    assert found(user, "057587012345") == found(user, "0575-87012345") == {first.pk}
    assert found(user, "13800000000") == {second.pk}
    client.force_login(user)
    html = client.get(reverse("disputes:detail", args=[first.pk])).content.decode()
    assert "0575-87012345" in html


def test_a_petitioner_s_phone_is_kept_as_typed(demo):
    data = rows("petition", n=1, closed_share=0)
    data[0]["petitioner_phone"] = "（0575）8701 2345"  # full-width brackets from a Chinese keyboard
    run_import(demo["zhuji_petition_clerk"], data, kind="petition")
    party = CaseParty.objects.get(case=Petition.objects.get())
    assert party.phone == "(0575)8701 2345"
    assert party.phone_digest == phone_digest("057587012345")
    token = digest_token("0575-87012345")
    assert list(petition_list(demo["zhuji_petition_clerk"], {"party": token})) == [party.case.petition]


def test_a_cell_that_is_no_phone_is_a_row_error_and_nothing_is_imported(demo):
    user = demo["zhuji_mediator"]
    data = rows(n=3, closed_share=0)
    data[1]["respondent_phone"] = "0575-870"
    data[2]["applicant_phone"] = "0575-87012345-0575-87012345"
    errors = [(e.row, e.column, e.message) for e in check(user, data).errors]
    assert errors == [
        (3, "被申请人电话", "请输入 11 位手机号码，或带区号的固定电话号码。"),
        (4, "申请人电话", "超过 20 个字。"),
        (4, "申请人电话", "请输入 11 位手机号码，或带区号的固定电话号码。"),
    ]
    with pytest.raises(ImportRefused) as refused:
        run_import(user, data)
    assert refused.value.checked.bad_rows == [3, 4]
    assert Case.objects.count() == 0 and Person.objects.count() == 0
