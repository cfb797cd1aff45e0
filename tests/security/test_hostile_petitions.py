"""Every hostile payload through every free-text field of the petition forms, by real POSTs: intake,
extension, handling opinion (reply), review opinion, evaluation, and the list search. Stored as
cleaned or refused with a Chinese message, never a 500; detail, list and xlsx export carry nothing
executable and no formula cell (reliability.md §5)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY
from cases.exports import neutralise_cell
from cases.forms import clean_id, clean_phone
from petitions import workflow as wf
from petitions.models import Petition, PetitionCategory
from tests.security.hostile_checks import Tally, assert_no_formula, assert_safe_html, encode, submit
from tests.security.hostile_payloads import PAYLOADS, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


def check_stored(outcome, stored, payload, checked, where):
    for field, result in outcome.items():
        if result == "stored":
            value = payload.expected
            want = checked[field](value) if field in checked and value else value
            assert stored[field] == want, f"{where}.{field}: stored {stored[field]!r}, sent {label(payload)}"


# The payloads in parts that can run side by side (pytest-xdist); together they send every one.
PARTS = 3
DELIVERY = "in_person"


@pytest.mark.parametrize("part", range(PARTS))
def test_every_payload_through_every_petition_form(client, demo, request, part):
    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    today = timezone.localdate()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    intake_base = {
        "channel": "letter", "petition_kind": "claim",
        "category": PetitionCategory.objects.get(code="wage_arrears").pk, "region": COUNTY,
        "received_on": yesterday, "summary": "拖欠工资", "content": "某公司拖欠工资三个月。", "demands": "",
        "complained_unit": "", "referring_body": "", "reference_number": "", "head_count": "1",
        "name": "陈建国", "id_number": "", "phone": "", "address": "", "repeat_choice": "new",
    }  # fmt: skip
    intake_text = ["summary", "content", "demands", "referring_body", "reference_number", "name",
                   "address", "id_number", "phone"]  # fmt: skip
    checked = {"id_number": clean_id, "phone": clean_phone}
    tally = Tally()
    # One client per user, logged in once: a login per step would be most of the run's queries.
    client.force_login(clerk)
    handling = Client()
    handling.force_login(handler)
    for i, payload in list(enumerate(PAYLOADS))[part::PARTS]:
        intake_base["phone"] = f"137{i:08d}"  # a refused name must not find an earlier petitioner
        response, outcome = submit(
            client, reverse("petitions:create"), intake_base, intake_text, payload,
            tally=tally, form_name="petition intake",
        )  # fmt: skip
        petition = Petition.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
        party = petition.parties.get()  # the details as stored on this petition
        stored = {f: getattr(petition, f) for f in intake_text[:5]}
        stored.update({f: getattr(party, f) for f in ("name", "address", "id_number", "phone")})
        check_stored(outcome, stored, payload, checked, "intake")

        wf.forward(petition.pk, clerk, handler.unit)
        wf.accept(petition.pk, handler)
        steps = [
            ("extend", {"days": "10", "approver": "局长", "reason": "情况复杂"}, ["approver", "reason"],
             lambda p: {"approver": p.extension_approver, "reason": p.extension_reason}),
            ("reply", {"outcome": "supported", "text": "责令支付。"}, ["text"], lambda p: {"text": p.reply_text}),
        ]  # fmt: skip
        for action, base, fields, read in steps:
            url = reverse("petitions:action", args=[petition.pk, action])
            _r, outcome = submit(
                handling, url, base, fields, payload, tally=tally, form_name=f"petition {action}"
            )
            check_stored(outcome, read(Petition.objects.get(pk=petition.pk)), payload, {}, action)
        wf.record_delivery(petition.pk, handler, document="opinion", method=DELIVERY, delivered_on=today)
        wf.request_review(petition.pk, clerk, requested_on=today)
        # The body one level above the department decides (§35): the county bureau, the clerk's unit.
        url = reverse("petitions:action", args=[petition.pk, "decide_review"])
        _r, outcome = submit(
            client, url, {"outcome": "upheld", "opinion": "维持。"}, ["opinion"], payload,
            tally=tally, form_name="petition review opinion",
        )  # fmt: skip
        check_stored(outcome, {"opinion": petition.reviews.get().opinion}, payload, {}, "review")
        url = reverse("petitions:action", args=[petition.pk, "evaluate"])
        _r, outcome = submit(
            client, url, {"value": "satisfied", "given_on": yesterday, "way": "电话"}, ["way"], payload,
            tally=tally, form_name="petition evaluation",
        )  # fmt: skip
        check_stored(outcome, {"way": petition.evaluations.get().way}, payload, {}, "evaluation")

        page = client.get(reverse("petitions:detail", args=[petition.pk]))
        assert page.status_code == 200
        assert_safe_html(page.content.decode(), "petition detail", payload)
        tally.rendered("petition detail")
        search = client.get(reverse("petitions:list") + "?" + encode({"q": payload}))
        assert search.status_code == 200
        assert_safe_html(search.content.decode(), "petition search", payload)
        tally.add("petition list search", "q", payload, "stored")

    first = client.get(reverse("petitions:list"))
    for number in range(1, first.context["page"].paginator.num_pages + 1):
        page = client.get(reverse("petitions:list") + f"?page={number}")
        assert_safe_html(page.content.decode(), f"petition list page {number}")
        tally.rendered("petition list page")
    export = client.get(reverse("petitions:export"))
    cells, texts = assert_no_formula(export.content, "petitions.xlsx")
    found = {re.sub(r"[\r\n]", "", t) for t in texts}  # the file keeps line ends its own way
    for summary in Petition.objects.values_list("summary", flat=True):
        assert re.sub(r"[\r\n]", "", neutralise_cell(summary)) in found, summary
    tally.rendered("petitions.xlsx cells", cells)
    assert tally.write(f"petitions-{part + 1}-of-{PARTS}", request)["payloads"] >= 300 // PARTS
