"""The dispute intake takes any number of parties, people and organisations, on the first form;
the person who typed a party reads it back on that case (logged), nothing more; the list is cards on
a phone with its filters folded; an action's refusal stands beside its field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty, PersonalDataAccess
from mediation import workflow
from mediation.models import Dispute
from tests.dispute_helpers import intake_post, new_dispute
from tests.mediation.test_dispute_pages import intake_data

pytestmark = pytest.mark.django_db
WOMAN = "11010519491231002X"


def credit_code(body="91330681MA2BC0DE1"):
    from cases.idnumbers import CREDIT_CHARS, CREDIT_WEIGHTS

    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARS[(31 - total % 31) % 31]


def four_parties():
    """Two applicants (a woman by ID number, a landline as said), a company as respondent and an agent."""
    data = intake_data()
    data.update({
        "parties-0-name": "王秀英", "parties-0-id_number": WOMAN, "parties-0-phone": "0575-87012345",
        "parties-1-role": "applicant", "parties-1-name": "王建军", "parties-1-phone": "138 0013 8001",
        "parties-2-role": "respondent", "parties-2-name": "某某物业管理有限公司",
        "parties-2-is_organisation": "on", "parties-2-credit_code": credit_code(), "parties-2-phone": "",
        "parties-3-role": "agent", "parties-3-name": "赵律师", "parties-3-phone": "13900139003",
    })  # fmt: skip
    data.pop("parties-1-id_number", None)
    return intake_post(data, rows=4)


def test_a_dispute_is_registered_with_four_parties_on_the_first_form(client, demo):
    client.force_login(demo["xianjin_grid_worker"])
    response = client.post(reverse("disputes:create"), four_parties())
    assert response.status_code == 302, response.content.decode()[-3000:]
    d = Dispute.objects.get()
    parties = list(d.parties.order_by("position"))
    assert [(p.role, p.name) for p in parties] == [
        ("applicant", "王秀英"), ("applicant", "王建军"), ("respondent", "某某物业管理有限公司"), ("agent", "赵律师"),
    ]  # fmt: skip
    first, _second, company, _agent = parties
    assert first.phone == "0575-87012345" and first.gender == "F"
    assert first.birth_date == datetime.date(1949, 12, 31)
    assert company.is_organisation and company.person.is_organisation and company.gender == ""
    assert {p.entered_by_id for p in parties} == {demo["xianjin_grid_worker"].pk}


def test_without_javascript_there_are_three_blank_rows_and_empty_ones_are_skipped(client, demo):
    client.force_login(demo["xianjin_mediator"])
    html = client.get(reverse("disputes:create")).content.decode()
    assert 'name="parties-TOTAL_FORMS" value="3"' in html
    assert all(f'id="id_parties-{i}-name"' in html for i in range(3)) and 'id="id_parties-3-name"' not in html
    assert "<template data-party-template>" in html and "__prefix__" in html
    assert 'data-add-party="parties" hidden' in html  # the button shows only where the script runs
    # The third row untouched (its role preset): registered with two parties.
    response = client.post(reverse("disputes:create"), intake_data())
    assert response.status_code == 302
    assert Dispute.objects.get().parties.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"parties-1-name": "", "parties-1-phone": ""}, "纠纷至少需要一名申请人和一名被申请人。"),
        ({"parties-1-role": "applicant"}, "纠纷至少需要一名申请人和一名被申请人。"),
        ({"parties-2-role": "respondent", "parties-2-name": "赵秀英", "parties-2-phone": "13900139000"},
         "同一人以同一身份填写了两次。"),
    ],
)  # fmt: skip
def test_the_party_list_is_refused_as_a_whole_in_chinese(client, demo, change, message):
    client.force_login(demo["xianjin_mediator"])
    data = intake_data()
    data.update(change)
    response = client.post(reverse("disputes:create"), data)
    assert response.status_code == 200 and Dispute.objects.count() == 0
    assert message in response.content.decode()


def test_a_row_error_stands_beside_its_field(client, demo):
    client.force_login(demo["xianjin_mediator"])
    data = intake_data()
    data.update({"parties-1-phone": "12", "parties-0-gender": "M", "parties-0-id_number": WOMAN})
    html = client.post(reverse("disputes:create"), data).content.decode()
    assert 'id="id_parties-1-phone_errors"' in html and "该身份证号码为女性。" in html
    assert 'aria-describedby="id_parties-1-phone_errors"' in html


def test_the_creator_of_a_party_reads_it_back_on_that_case_and_the_view_is_logged(client, demo):
    worker = demo["xianjin_grid_worker"]
    mine = new_dispute(worker)  # the grid worker typed these parties
    theirs = new_dispute(demo["xianjin_mediator"], summary="调解员登记的纠纷")
    # A party the mediator adds to the grid worker's case stays masked for the grid worker.
    workflow.add_party(mine.pk, demo["xianjin_mediator"], role="third_party", name="钱多多",
                       phone="13700137000", id_number="", address="")  # fmt: skip
    client.force_login(worker)
    html = client.get(reverse("disputes:detail", args=[mine.pk])).content.decode()
    assert WOMAN in html and "13800138000" in html and "13900139000" in html
    assert html.count("由您录入") == 2
    assert "钱多多" not in html and "钱*多" in html and "13700137000" not in html
    rows = PersonalDataAccess.objects.filter(user=worker, case=mine, via="dispute_detail")
    assert rows.count() == 2
    # The same people on a case someone else typed: masked, nothing logged.
    other = client.get(reverse("disputes:detail", args=[theirs.pk])).content.decode()
    assert WOMAN not in other and "1101**********002X" in other and "由您录入" not in other
    assert not PersonalDataAccess.objects.filter(user=worker, case=theirs).exists()
    # Nothing else is widened: the list shows the grid worker masked names, even her own parties'.
    listing = client.get(reverse("disputes:list")).content.decode()
    assert "张三明" not in listing and "张*明" in listing


def test_the_mediator_sees_every_party_and_no_creator_badge(client, demo):
    d = new_dispute(demo["xianjin_grid_worker"])
    client.force_login(demo["xianjin_mediator"])
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert WOMAN in html and "由您录入" not in html
    assert CaseParty.objects.filter(case=d, entered_by=demo["xianjin_grid_worker"]).count() == 2


def test_an_action_refusal_about_a_date_stands_beside_that_date(client, demo):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    workflow.accept(d.pk, mediator)
    workflow.start_mediation(d.pk, mediator)
    Dispute.objects.filter(pk=d.pk).update(opened_at=timezone.now())
    before = timezone.localtime() - datetime.timedelta(days=3)
    client.force_login(mediator)
    response = client.post(reverse("disputes:action", args=[d.pk, "record_session"]), {
        "held_at": before.strftime("%Y-%m-%dT%H:%M"), "place": "村调解室", "attendees": "双方",
        "record": "笔录", "outcome": "continue",
    })  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "held_at" in form.errors and not form.non_field_errors()
    html = response.content.decode()
    assert 'id="id_held_at_errors"' in html and "登记" in form.errors["held_at"][0]
    assert "请修改下面标出的内容。" in html


def test_the_list_is_cards_on_a_phone_and_its_filters_fold(client, demo):
    new_dispute(demo["xianjin_mediator"])
    client.force_login(demo["xianjin_mediator"])
    html = client.get(reverse("disputes:list")).content.decode()
    assert 'class="table table-hover align-middle case-cards"' in html
    assert all(f'class="cell-{c}' in html for c in ("number", "summary", "status", "due"))
    assert '<details class="list-filters card mb-3" data-open-wide>' in html  # folded: no filter in use
    filtered = client.get(
        reverse("disputes:list"), {"status": "registered", "overdue": "on"}
    ).content.decode()
    assert "data-open-wide open>" in filtered and "已用 2 项" in filtered


def test_the_case_page_offers_the_camera_in_one_step(client, demo):
    d = new_dispute(demo["xianjin_grid_worker"])
    client.force_login(demo["xianjin_grid_worker"])
    html = client.get(reverse("disputes:detail", args=[d.pk])).content.decode()
    assert 'accept="image/*" capture="environment"' in html and "data-submit-on-choose" in html
