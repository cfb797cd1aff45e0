"""查询码 and one-time codes: generation, storage, verification (public.codes, public.follow)."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from public import codes, follow, limits
from public.models import OneTimeCode, PublicAccess


def test_codes_are_12_characters_of_an_unambiguous_alphabet_and_differ():
    drawn = {codes.new_code() for _ in range(5000)}
    assert len(drawn) == 5000
    assert all(len(c) == 12 and set(c) <= set(codes.ALPHABET) for c in drawn)
    assert not set("ILOU") & set(codes.ALPHABET)
    # 32^12 = 2^60 possible codes.
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH == 2**60


def test_typed_code_is_read_as_meant():
    code = "AB1C-D0EF-GH2J"
    assert codes.normalise("ab1c d0ef gh2j") == "AB1CD0EFGH2J"
    assert (
        codes.normalise("ＡＢ１Ｃ－ＤＯＥＦ－ＧＨ２Ｊ".replace("－", "-")) == "AB1CD0EFGH2J"
    )  # full width, O for 0
    assert codes.normalise("abic-d0ef-gh2j") == "AB1CD0EFGH2J"  # I read as 1
    assert codes.code_digest(code) == codes.code_digest("ab1cd0efgh2j")
    assert (
        codes.looks_like_code(code)
        and not codes.looks_like_code("AB1C")
        and not codes.looks_like_code("诸暨")
    )


def test_digest_is_keyed_and_not_the_code():
    code = codes.new_code()
    digest = codes.code_digest(code)
    assert len(digest) == 64 and code not in digest
    import hashlib

    assert (
        digest != hashlib.sha256(code.encode()).hexdigest()
    )  # an unkeyed hash could be brute-forced offline


def test_otp_digest_is_bound_to_its_challenge():
    assert codes.otp_digest("a", "123456") != codes.otp_digest("b", "123456")
    assert len(codes.new_otp()) == 6 and codes.new_otp().isdigit()


@pytest.fixture
def access(demo, django_capture_on_commit_callbacks, client):
    from tests.public.flows import apply

    _r, code = apply(client, django_capture_on_commit_callbacks)
    return PublicAccess.objects.get(), code


@pytest.mark.django_db
def test_one_time_code_once_within_its_minutes_and_tries(access, django_capture_on_commit_callbacks):
    from tests.public.helpers import PHONE, last_text, otp_in

    _access, code = access
    with django_capture_on_commit_callbacks(execute=True):
        token, matched = follow.open_challenge(code, PHONE)
    assert matched
    otp = otp_in(last_text())
    wrong = "000000" if otp != "000000" else "111111"
    assert not follow.check_otp(token, wrong)
    assert follow.check_otp(token, otp)
    assert not follow.check_otp(token, otp)  # replayed
    assert follow.granted(token) is not None

    with django_capture_on_commit_callbacks(execute=True):
        token, _m = follow.open_challenge(code, PHONE)
    otp = otp_in(last_text())
    OneTimeCode.objects.filter(token=token).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not follow.check_otp(token, otp)  # expired

    with django_capture_on_commit_callbacks(execute=True):
        token, _m = follow.open_challenge(code, PHONE)
    otp = otp_in(last_text())
    for _ in range(follow.OTP_TRIES):
        follow.check_otp(token, wrong)
    assert not follow.check_otp(token, otp)  # too many tries: the right code no longer opens it


@pytest.mark.django_db
def test_wrong_phone_or_unknown_code_opens_a_challenge_that_never_passes(access, texts):
    _access, code = access
    sent = len(texts.sent)
    for typed, phone in ((code, "13700000000"), (codes.new_code(), "13912345678"), ("nonsense", "")):
        token, matched = follow.open_challenge(typed, phone)
        assert not matched and OneTimeCode.objects.get(token=token).access is None
        for guess in ("000000", "123456", "999999"):
            assert not follow.check_otp(token, guess)
        assert follow.granted(token) is None
    assert len(texts.sent) == sent  # nothing was sent anywhere


@pytest.mark.django_db
def test_rate_limits_per_address_and_per_phone():
    request = RequestFactory().post("/public/follow/", REMOTE_ADDR="10.0.0.1")
    results = [limits.limited(request, "lookup") for _ in range(25)]
    assert results.count(False) == 20 and results[20:] == [True] * 5
    other = RequestFactory().post("/public/follow/", REMOTE_ADDR="10.0.0.2")
    assert not limits.limited(other, "lookup")  # another address has its own budget
    by_phone = [limits.limited(other, "lookup", phone_key="digest-of-a-phone") for _ in range(12)]
    assert by_phone.count(False) == 10  # a phone's budget, whichever address asks


@pytest.mark.django_db
def test_captcha_after_three_failures():
    request = RequestFactory().post("/public/follow/", REMOTE_ADDR="10.0.0.3")
    for _ in range(limits.CAPTCHA_AFTER - 1):
        limits.failed(request)
    assert not limits.needs_captcha(request)
    limits.failed(request)
    assert limits.needs_captcha(request)


@pytest.mark.django_db
def test_challenges_older_than_a_day_are_dropped():
    token, _m = follow.open_challenge("AAAA-BBBB-CCCC", "13700000000")
    OneTimeCode.objects.filter(token=token).update(created_at=timezone.now() - datetime.timedelta(days=2))
    follow.open_challenge("AAAA-BBBB-CCCD", "13700000000")
    assert not OneTimeCode.objects.filter(token=token).exists() and OneTimeCode.objects.count() == 1
