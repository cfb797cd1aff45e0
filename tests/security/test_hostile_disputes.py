"""Every hostile payload through every free-text field of the dispute forms, by real POSTs: intake,
add party, mediation session, agreement, follow-up, supervision order and its reply, and the list
search. Each submission is stored as cleaned or refused with a Chinese message (never a 500); the
detail page, the list, the order list and the xlsx export then carry nothing executable and no
formula cell (reliability.md §5)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from cases.exports import neutralise_cell
from cases.forms import clean_id, clean_phone
from cases.idnumbers import validate_credit_code
from mediation import workflow
from mediation.models import Dispute
from supervision.models import SupervisionOrder
from supervision.orders import default_target_date
from tests.dispute_helpers import intake_key, plain_intake_post
from tests.security.hostile_checks import Tally, assert_no_formula, assert_safe_html, encode, submit
from tests.security.hostile_payloads import PAYLOADS, Payload, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

PARTY_TEXT = ("name", "address")
PARTY_CHECKED = {"id_number": clean_id, "phone": clean_phone, "credit_code": validate_credit_code}


def expect(payload: Payload, check=None):
    value = payload.expected
    if check is None or not value:
        return value
    return check(value)


def assert_stored(outcome, stored: dict, payload: Payload, checked: dict, where: str):
    for field, result in outcome.items():
        if result != "stored":
            continue
        want = expect(payload, checked.get(field))
        assert stored[field] == want, f"{where}.{field}: stored {stored[field]!r}, sent {label(payload)}"


def party_stored(party) -> dict:
    """A party's details as stored on the case (cases.people)."""
    return {f: getattr(party, f) for f in ("name", "address", "id_number", "phone", "credit_code")}


# The payloads in parts that can run side by side (pytest-xdist); together they send every one.
PARTS = 3


@pytest.mark.parametrize("part", range(PARTS))
def test_every_payload_through_every_dispute_form(client, demo, request, part):
    mediator, supervisor = demo["xianjin_mediator"], demo["xianjin_supervisor"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    # Not before the registration (mediation.dates): two hours ago is the day before after midnight.
    held_at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    committee = Unit.objects.get(pk=mediator.unit_id)
    intake_base = plain_intake_post()
    intake_text = ["summary", "place", "facts"] + [
        intake_key(f"{who}_{f}") for who in ("applicant", "respondent") for f in (*PARTY_TEXT, *PARTY_CHECKED)
    ]
    intake_checked = {
        intake_key(f"{who}_{f}"): c for who in ("applicant", "respondent") for f, c in PARTY_CHECKED.items()
    }
    forms = {
        "add_party": (
            {"role": "third_party", "name": "王五", "address": "", "id_number": "", "phone": "",
             "credit_code": "", "gender": ""},
            [*PARTY_TEXT, *PARTY_CHECKED], PARTY_CHECKED,
        ),
        "record_session": (
            {"held_at": held_at, "place": "调解室", "attendees": "双方", "record": "笔录", "outcome": "continue"},
            ["place", "attendees", "record"], {},
        ),
        "agree": (
            {"form": "written", "responsibilities": "", "terms": "赔偿", "performance_manner": "",
             "performance_place": "", "performance_due": "", "amount": "", "effective_date": yesterday,
             "signed_by": ""},
            ["responsibilities", "terms", "performance_manner", "performance_place", "signed_by"], {},
        ),
        "follow_up": (
            {"date": yesterday, "method": "visit", "performance": "", "satisfaction": "satisfied", "new_risks": ""},
            ["performance", "new_risks"], {},
        ),
    }  # fmt: skip
    tally = Tally()
    # One client per user, logged in once: a login per step would be most of the run's queries.
    client.force_login(mediator)
    boss = Client()
    boss.force_login(supervisor)
    for i, payload in list(enumerate(PAYLOADS))[part::PARTS]:
        # Unique base phones: a refused name falls back to the base one, and name + phone would link
        # an earlier person in the register, which is not what this test looks at.
        intake_base.update(
            {intake_key("applicant_phone"): f"138{i:08d}", intake_key("respondent_phone"): f"139{i:08d}"}
        )
        response, outcome = submit(
            client, reverse("disputes:create"), intake_base, intake_text, payload,
            tally=tally, form_name="dispute intake",
        )  # fmt: skip
        assert response.status_code == 302
        dispute = Dispute.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
        links = {link.role: link for link in dispute.parties.all()}
        stored = {"summary": dispute.summary, "place": dispute.place, "facts": dispute.facts}
        for who in ("applicant", "respondent"):
            stored.update({intake_key(f"{who}_{k}"): v for k, v in party_stored(links[who]).items()})
        assert_stored(outcome, stored, payload, intake_checked, "intake")

        workflow.accept(dispute.pk, mediator)
        workflow.start_mediation(dispute.pk, mediator)
        for action, (base, fields, checked) in forms.items():
            url = reverse("disputes:action", args=[dispute.pk, action])
            response, outcome = submit(client, url, base, fields, payload, tally=tally, form_name=action)
            if action == "add_party":
                stored = party_stored(dispute.parties.filter(role="third_party").get())
            elif action == "record_session":
                s = dispute.sessions.get()
                stored = {"place": s.place, "attendees": s.attendees, "record": s.record}
            elif action == "agree":
                a = Dispute.objects.get(pk=dispute.pk).agreement
                stored = {f: getattr(a, f) for f in fields}
            else:
                f = dispute.follow_ups.get()
                stored = {"performance": f.performance, "new_risks": f.new_risks}
            assert_stored(outcome, stored, payload, checked, action)

        order_base = {"target_unit": committee.pk, "required_action": "限期化解",
                      "target_date": default_target_date().isoformat()}  # fmt: skip
        _response, outcome = submit(
            boss, reverse("supervision:issue", args=[dispute.pk]), order_base, ["required_action"], payload,
            tally=tally, form_name="supervision order",
        )  # fmt: skip
        order = SupervisionOrder.objects.filter(case_id=dispute.pk).get()
        assert_stored(outcome, {"required_action": order.required_action}, payload, {}, "order")
        _response, outcome = submit(
            client, reverse("supervision:reply", args=[order.pk]), {"reply": "已化解"}, ["reply"], payload,
            tally=tally, form_name="supervision reply",
        )  # fmt: skip
        order.refresh_from_db()
        assert_stored(outcome, {"reply": order.reply}, payload, {}, "reply")

        page = client.get(reverse("disputes:detail", args=[dispute.pk]))
        assert page.status_code == 200
        assert_safe_html(page.content.decode(), "dispute detail", payload)
        tally.rendered("dispute detail")
        search = client.get(reverse("disputes:list") + "?" + encode({"q": payload}))
        assert search.status_code == 200
        assert_safe_html(search.content.decode(), "dispute search", payload)
        tally.add("dispute list search", "q", payload, "stored")

    first = client.get(reverse("disputes:list"))
    for number in range(1, first.context["page"].paginator.num_pages + 1):
        page = client.get(reverse("disputes:list") + f"?page={number}")
        assert_safe_html(page.content.decode(), f"dispute list page {number}")
        tally.rendered("dispute list page")
    for who in (client, boss):
        orders = who.get(reverse("supervision:orders"))
        assert_safe_html(orders.content.decode(), "supervision orders")
        tally.rendered("supervision order list")

    export = client.get(reverse("disputes:export"))
    cells, texts = assert_no_formula(export.content, "disputes.xlsx")
    # Every summary is in the file as text (a CR comes back from the file as it likes: ignored).
    found = {re.sub(r"[\r\n]", "", t) for t in texts}
    for text in Dispute.objects.values_list("summary", flat=True):
        assert re.sub(r"[\r\n]", "", neutralise_cell(text)) in found, text
    tally.rendered("disputes.xlsx cells", cells)
    summary = tally.write(f"disputes-{part + 1}-of-{PARTS}", request)
    assert summary["payloads"] >= 300 // PARTS
