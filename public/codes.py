"""查询码 and one-time codes: generation, storage as keyed digests, constant-time checks.

A 查询码 is 12 characters of Crockford's base-32 alphabet (no I, L, O, U: nothing to misread),
60 bits from ``secrets``: guessing one among a million stored codes takes 2^40 tries on average,
and the look-up is limited to a few tries per hour per address and per phone (public.limits).
It is never the case number and says nothing about the case. Stored only as HMAC-SHA256 under
``PII_HASH_KEY``, so a database dump does not let anyone follow a case.
"""

import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
OTP_LENGTH = 6
# Letters people type for the ones the alphabet leaves out (Crockford's decoding).
READS_AS = {"I": "1", "L": "1", "O": "0", "U": "V"}


def _digest(purpose: str, value: str) -> str:
    key = (settings.PII_HASH_KEY + "|public|" + purpose).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str:
    """What a citizen typed, as the code it means: full-width to ASCII (NFKC), upper case,
    separators and spaces dropped, misread letters mapped. Anything else left in makes it no code."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    text = "".join(READS_AS.get(c, c) for c in text if c not in " -_\t\r\n")
    return text[:64]


def code_digest(typed: str) -> str:
    return _digest("code", normalise(typed))


def looks_like_code(typed: str) -> bool:
    text = normalise(typed)
    return len(text) == CODE_LENGTH and all(c in ALPHABET for c in text)


def new_otp() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(OTP_LENGTH))


def otp_digest(token: str, otp: str) -> str:
    """Bound to its challenge: the same six digits of another challenge give another digest."""
    return _digest("otp", f"{token}:{otp}")


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)
