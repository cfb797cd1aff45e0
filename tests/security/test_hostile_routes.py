"""Every hostile payload through the 多元化解 forms (mediation.routes): routing a dispute (reason, the
body outside the portal, the court's case number), the result that comes back (what came back, a
court number given late) and a joint mediation (reason, a lawyer's name and organisation). Stored as
cleaned or refused with a Chinese message, never a 500; the case page that carries them all is then
rendered once and scanned for each payload.

One dispute goes round route → result → route … with every payload; another takes a joint mediation
with one payload of each kind (the same plain text fields) while it is being mediated."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation import workflow
from tests.dispute_helpers import new_dispute
from tests.security.hostile_checks import Tally, assert_safe_html, submit
from tests.security.hostile_payloads import PAYLOADS

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
PARTS = 4


def mediating(mediator, summary):
    dispute = new_dispute(mediator, summary=summary)
    workflow.accept(dispute.pk, mediator)
    workflow.start_mediation(dispute.pk, mediator)
    return dispute


@pytest.mark.parametrize("part", range(PARTS))
def test_every_payload_through_the_route_forms(client, demo, request, part):
    mediator = demo["xianjin_mediator"]
    client.force_login(mediator)
    tally = Tally()
    routed, joint = mediating(mediator, "转交纠纷"), mediating(mediator, "联合调解纠纷")
    route_url = reverse("disputes:action", args=[routed.pk, "route"])
    result_url = reverse("disputes:action", args=[routed.pk, "route_result"])
    joint_url = reverse("disputes:action", args=[joint.pk, "joint_mediation"])
    route_base = {"channel": "court", "unit": "", "field": "", "body_name": "诸暨市人民法院",
                  "court_case_number": "（2026）浙0681民诉前调1号", "reason": "当事人同意诉前调解"}  # fmt: skip
    result_base = {"outcome": "failed", "result_on": timezone.localdate().isoformat(), "result": "未达成协议",
                   "court_case_number": ""}  # fmt: skip
    joint_base = {"units": str(demo["yangchun_mediator"].unit_id), "reason": "两村村民",
                  "participant_name_1": "王律师", "participant_capacity_1": "lawyer",
                  "participant_organisation_1": "律师事务所"}  # fmt: skip
    payloads = list(PAYLOADS)[part::PARTS]
    # The joint mediation's fields are the same plain text fields: one payload of each kind there.
    kinds = {}
    for payload in payloads:
        kinds.setdefault(payload.kind, payload)
    for payload in payloads:
        submit(client, route_url, route_base, ["reason", "body_name", "court_case_number"], payload,
               tally=tally, form_name="route")  # fmt: skip
        submit(client, result_url, result_base, ["result", "court_case_number"], payload,
               tally=tally, form_name="route_result")  # fmt: skip
        if kinds.get(payload.kind) is payload:
            submit(client, joint_url, joint_base, ["reason", "participant_name_1", "participant_organisation_1"],
                   payload, tally=tally, form_name="joint_mediation")  # fmt: skip
    for name, dispute in (("routed dispute", routed), ("joint dispute", joint)):
        page = client.get(reverse("disputes:detail", args=[dispute.pk]))
        assert page.status_code == 200, name
        html = page.content.decode()
        assert_safe_html(html, name)
        for payload in payloads:
            assert_safe_html(html, name, payload)
        tally.rendered(name)
    assert routed.routes.count() == len(payloads) and joint.joint_mediations.count() == len(kinds)
    summary = tally.write(f"routes-{part + 1}-of-{PARTS}", request)
    assert summary["payloads"] >= 300 // PARTS
