"""Every hostile payload through the public's forms (app public; reliability.md §5): the application
(every free-text field: name, ID number, phone, address, the other party and their phone, summary,
facts, request), the code look-up (code, phone), the one-time code, and the public region search.
Stored as cleaned or refused with a Chinese message, never a 500; the confirmation page, the staff's
case page and the citizen's case page then carry nothing executable. Rate limits and the CAPTCHA are
switched off here (tests/public/test_probes.py tests them): this is about what the forms take."""

import pytest
from django.test import Client
from django.urls import reverse

from mediation.models import Dispute
from public import limits
from public.models import PublicAccess
from tests.public.helpers import PHONE, form_data
from tests.security.hostile_checks import FORM, Tally, assert_safe_html, encode, field_errors
from tests.security.hostile_payloads import CJK, PAYLOADS, label

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]

PARTS = 4
TEXT_FIELDS = (
    "name", "id_number", "phone", "address", "other_party", "other_phone", "summary", "facts", "request",
)  # fmt: skip


def _apply(client, base, payload, tally):
    """The payload in every text field; refused fields get their base value back until accepted."""
    pending, outcome = list(TEXT_FIELDS), {}
    url = reverse("public:apply_mediation")
    for _attempt in range(len(TEXT_FIELDS) + 2):
        response = client.post(url, encode({**base, **dict.fromkeys(pending, payload)}), content_type=FORM)
        assert response.status_code == 200, (label(payload), response.status_code)
        html = response.content.decode()
        if 'id="query-code"' in html:
            assert_safe_html(html, "confirmation", payload)
            break
        assert_safe_html(html, "application (refused)", payload)
        errors, general = field_errors(response)
        for message in [m for ms in errors.values() for m in ms] + general:
            assert CJK.search(message), f"not a Chinese message: {message!r} for {label(payload)}"
        refused = [f for f in pending if f in errors]
        assert refused, f"refused without naming a field: {general} {errors} for {label(payload)}"
        for f in refused:
            outcome[f] = "refused"
            pending.remove(f)
    else:
        raise AssertionError(f"never accepted {label(payload)}")
    for f in pending:
        outcome[f] = "stored"
    for f, result in outcome.items():
        tally.add("public application", f, payload, result)
    dispute = Dispute.objects.order_by("-pk").first()
    if outcome["summary"] == "stored":
        assert dispute.summary == payload.expected, label(payload)
    return dispute


def _look_up(client, payload, tally):
    for values in ({"code": payload, "phone": PHONE}, {"code": "ABCD-EFGH-JKMN", "phone": payload}):
        response = client.post(reverse("public:follow"), encode(values), content_type=FORM)
        assert response.status_code in (200, 302), (label(payload), response.status_code)
        if response.status_code == 200:
            assert_safe_html(response.content.decode(), "look-up (refused)", payload)
            errors, general = field_errors(response)
            assert all(CJK.search(m) for ms in errors.values() for m in ms), errors
        tally.add("public look-up", "code" if values["code"] is payload else "phone", payload,
                  "refused" if response.status_code == 200 else "stored")  # fmt: skip
    response = client.post(reverse("public:otp"), encode({"otp": payload}), content_type=FORM)
    assert response.status_code in (200, 302), (label(payload), response.status_code)
    if response.status_code == 200:
        assert_safe_html(response.content.decode(), "one-time code", payload)
    tally.add("public one-time code", "otp", payload, "refused")
    response = client.get(reverse("public:regions") + "?" + encode({"q": payload}))
    assert response.status_code == 200 and isinstance(response.json()["results"], list), label(payload)
    tally.add("public regions.json", "q", payload, "stored")


@pytest.mark.parametrize("part", range(PARTS))
def test_every_payload_through_the_public_forms(demo, request, part, monkeypatch, settings):
    monkeypatch.setattr(limits, "limited", lambda *args, **kwargs: False)
    monkeypatch.setattr(limits, "needs_captcha", lambda request: False)
    settings.SMS_GATEWAY = "tests.public.helpers.Texts"
    citizen, tally = Client(), Tally()
    base = form_data()
    payloads = list(PAYLOADS)[part::PARTS]
    for payload in payloads:
        _apply(citizen, base, payload, tally)
        _look_up(citizen, payload, tally)
    # The staff's page of the last cases and the list carry the stored payloads as text only.
    mediator = Client()
    mediator.force_login(demo["xianjin_mediator"])
    pages = [reverse("disputes:list"), reverse("home")]
    pages += [
        reverse("disputes:detail", args=[pk]) for pk in Dispute.objects.values_list("pk", flat=True)[:25]
    ]
    for url in pages:
        html = mediator.get(url).content.decode()
        assert_safe_html(html, url)
        for payload in payloads:
            assert_safe_html(html, url, payload)
        tally.rendered(url.split("/")[1] or "home")
    assert PublicAccess.objects.count() == Dispute.objects.count() == len(payloads)
    summary = tally.write(f"public-{part + 1}-of-{PARTS}", request)
    assert summary["payloads"] >= 300 // PARTS
