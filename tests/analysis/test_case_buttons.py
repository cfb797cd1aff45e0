"""The buttons "列为重点人员" (person look-up) and "包案" (dispute and petition pages): shown exactly to
the users whose request of the target page is allowed — both ask one permission function
(accounts.scoping.may_use_key_persons; analysis.duty_units.may_put_case_under_leader)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.scoping import may_use_key_persons, visible_cases
from analysis.duty_units import may_put_case_under_leader
from cases.models import Case, CaseParty
from tests.analysis.planted import petition
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db
APPLICANT_ID = "11010519491231002X"  # tests.dispute_helpers.new_dispute's applicant


def _seers(demo, case):
    return [
        u for u in demo.values() if u.is_active and visible_cases(u, Case.objects.filter(pk=case.pk)).exists()
    ]


def test_the_key_person_button_on_the_look_up_follows_the_listing_permission(demo, client):
    case = new_dispute(demo["xianjin_mediator"], village="xianjin")
    party = CaseParty.objects.get(case=case, role="applicant")
    target = reverse("analysis:key_person_from_party", args=[party.pk])
    shown_to = set()
    for user in _seers(demo, case):
        client.force_login(user)
        page = client.post(reverse("people:lookup"), {"number": APPLICANT_ID}).content.decode()
        assert case.number in page, user.username
        shown = target in page
        allowed = client.get(target).status_code == 200
        assert shown == allowed == may_use_key_persons(user), user.username
        if shown:
            shown_to.add(user.username)
    assert "xianjin_supervisor" in shown_to and "xianjin_mediator" not in shown_to


@pytest.mark.parametrize("kind", ["dispute", "petition"])
def test_the_baoan_button_on_the_case_pages_follows_the_baoan_permission(demo, client, kind):
    if kind == "dispute":
        case = new_dispute(demo["xianjin_mediator"], village="xianjin")
        page_url = reverse("disputes:detail", args=[case.pk])
    else:
        case = petition(demo["zhuji_supervisor"], "xianjin", 0, timezone.now())
        page_url = reverse("petitions:detail", args=[case.pk])
    target = reverse("analysis:baoan_case", args=[case.pk])
    seen = 0
    for user in _seers(demo, case):
        client.force_login(user)
        page = client.get(page_url).content.decode()
        shown = target in page
        allowed = client.get(target).status_code == 200
        assert shown == allowed == may_put_case_under_leader(user), user.username
        seen += shown
    assert seen >= 2  # the village, town and county supervisors at least


def test_a_case_already_under_baoan_leads_from_the_button_to_its_baoan(demo, client):
    from analysis.duties import assign

    case = new_dispute(demo["xianjin_mediator"], village="xianjin")
    county = demo["zhuji_supervisor"]
    r = assign(county, case_pk=case.pk, leader=county, unit=county.unit, staff=[],
               due_on=timezone.localdate(), duty="稳控")  # fmt: skip
    client.force_login(county)
    target = reverse("analysis:baoan_case", args=[case.pk])
    assert target in client.get(reverse("disputes:detail", args=[case.pk])).content.decode()
    assert client.get(target)["Location"] == reverse("analysis:baoan", args=[r.pk])
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
    assert target not in client.get(reverse("disputes:detail", args=[case.pk])).content.decode()
