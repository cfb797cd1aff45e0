"""Probes of the public channel (SECURITY.md, "The public channel"): another person's code with a
wrong phone, guessed codes, replayed one-time codes, 1,000 rapid look-ups. Nothing is revealed;
the look-ups are throttled. The figures printed here are the ones SECURITY.md records."""

import re
import statistics
import time

import pytest
from django.urls import reverse

from public import codes, follow, limits
from public.models import OneTimeCode
from tests.public.flows import apply
from tests.public.helpers import PHONE, last_text, otp_in

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _look_up(client, code, phone):
    response = client.post(reverse("public:follow"), {"code": code, "phone": phone})
    return response, client.get(reverse("public:otp"))


def test_probe_another_persons_code_with_a_wrong_phone_reveals_nothing(
    demo, client, django_capture_on_commit_callbacks, texts, monkeypatch
):
    monkeypatch.setattr(limits, "needs_captcha", lambda request: False)
    _r, code = apply(client, django_capture_on_commit_callbacks)
    sent = len(texts.sent)
    outsider = client_class()
    with django_capture_on_commit_callbacks(execute=True):
        wrong_phone = _look_up(outsider, code, "13700000000")
        unknown = _look_up(client_class(), codes.grouped(codes.new_code()), "13700000000")
        right = _look_up(client_class(), code, PHONE)
    # Same status, same redirect, same next page, whichever it was.
    for first, _next_page in (wrong_phone, unknown, right):
        assert (first.status_code, first["Location"]) == (302, reverse("public:otp"))
    assert _page(wrong_phone[1]) == _page(unknown[1]) == _page(right[1])
    assert len(texts.sent) == sent + 1 and texts.sent[-1][0] == PHONE  # only the phone on record got a code
    # The outsider's challenge never opens, whatever six digits are tried (the real one included).
    real = otp_in(last_text())
    for guess in ("000000", "123456", real):
        response = outsider.post(reverse("public:otp"), {"otp": guess})
        assert response.status_code == 200
    assert outsider.get(reverse("public:case"))["Location"] == reverse("public:follow")


def client_class():
    from django.test import Client

    return Client()


def test_probe_guessed_codes_find_nothing_and_cost_the_same(demo, client, django_capture_on_commit_callbacks):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    guesses = [codes.new_code() for _ in range(1000)]
    assert not [g for g in guesses if follow.open_challenge(g, PHONE)[1]]

    # Time of a look-up: a code that exists (wrong phone) against one that does not.
    def timed(typed):
        start = time.perf_counter()
        follow.open_challenge(typed, "13700000000")
        return time.perf_counter() - start

    known = [timed(code) for _ in range(200)]
    unknown = [timed(codes.new_code()) for _ in range(200)]
    k, u = statistics.median(known) * 1000, statistics.median(unknown) * 1000
    print(
        f"\nguessed codes: 0 of 1000 matched; median look-up {k:.2f} ms (existing code) vs {u:.2f} ms (unknown)"
    )
    assert abs(k - u) < max(k, u)  # same order: one indexed query and one insert either way


def test_probe_replayed_one_time_code_is_refused(demo, client, django_capture_on_commit_callbacks):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:follow"), {"code": code, "phone": PHONE})
    old_cookie = client.cookies["jiefen_public"].value
    otp = otp_in(last_text())
    assert client.post(reverse("public:otp"), {"otp": otp})["Location"] == reverse("public:case")
    client.post(reverse("public:leave"))
    # The same challenge cookie and the same six digits, again: refused, nothing unlocked.
    replay = client_class()
    replay.cookies["jiefen_public"] = old_cookie
    replay.cookies["jiefen_public"]["path"] = "/public/"
    response = replay.post(reverse("public:otp"), {"otp": otp})
    assert response.status_code == 200 and "jiefen_public" not in response.cookies
    assert replay.get(reverse("public:case"))["Location"] == reverse("public:follow")
    # A forged cookie naming a used challenge as a grant does not pass the signature.
    forged = client_class()
    forged.cookies["jiefen_public"] = old_cookie.replace("challenge", "grant")
    assert forged.get(reverse("public:case"))["Location"] == reverse("public:follow")
    assert OneTimeCode.objects.filter(used_at__isnull=False).count() == 1


def test_probe_1000_rapid_look_ups_are_throttled_and_reveal_nothing(
    demo, client, django_capture_on_commit_callbacks, texts, monkeypatch
):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    monkeypatch.setattr(limits, "needs_captcha", lambda request: False)  # the limit alone
    attacker = client_class()
    statuses = []
    start = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(1000):
            # Other phones each time, so the address's budget is what stops it (a phone has its own).
            guess, phone = (code, PHONE) if i == 500 else (codes.new_code(), f"139{i:08d}")
            statuses.append(
                attacker.post(reverse("public:follow"), {"code": guess, "phone": phone}).status_code
            )
    seconds = time.perf_counter() - start
    passed, throttled = statuses.count(302), statuses.count(429)
    print(
        f"\n1,000 look-ups from one address in {seconds:.1f} s: {passed} answered, {throttled} throttled (429)"
    )
    assert passed == 20 and throttled == 980 and statuses[:20] == [302] * 20
    # The right code came at 501st, after the budget: throttled like the rest, nothing sent.
    assert (
        statuses[500] == 429 and len([t for t in texts.sent if "一次性" in t[1] or "One-time" in t[1]]) == 0
    )
    assert OneTimeCode.objects.count() == 20


def test_probe_captcha_after_three_failures_is_served_locally(demo, client):
    for _ in range(limits.CAPTCHA_AFTER):
        client.post(reverse("public:follow"), {"code": codes.new_code(), "phone": PHONE})
    page = client.get(reverse("public:follow")).content.decode()
    image = re.search(r'src="(/public/captcha/\w{40}\.png)"', page)
    assert image, "the CAPTCHA is shown after repeated failures"
    response = client.get(image.group(1))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # Without the CAPTCHA the look-up is refused before anything is looked up.
    before = OneTimeCode.objects.count()
    response = client.post(reverse("public:follow"), {"code": codes.new_code(), "phone": PHONE})
    assert response.status_code == 200 and OneTimeCode.objects.count() == before


def test_probe_the_captcha_comes_after_three_look_ups_matched_or_not(
    demo, client, django_capture_on_commit_callbacks
):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    for typed, phone in (("AAAA-BBBB-CCCC", PHONE), ("AAAA-BBBB-CCCD", PHONE), (code, PHONE)):
        prober = client_class()
        with django_capture_on_commit_callbacks(execute=True):
            prober.post(reverse("public:follow"), {"code": typed, "phone": phone})
    # The third look-up matched; the CAPTCHA comes all the same, so its coming reveals nothing.
    assert "captcha" in client_class().get(reverse("public:follow")).content.decode()
