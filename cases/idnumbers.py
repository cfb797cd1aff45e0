"""Resident ID numbers (GB 11643-1999), phone numbers and masking.

Input is normalised with NFKC (full-width digits become ASCII) and stripped of spaces, hyphens and
zero-width characters; only then is it matched against ASCII digits. Python's ``\\d`` and ``int()``
accept other Unicode digits, so they are never used on raw input.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# 2-digit province codes (GB/T 2260), plus 71/81/82 (Taiwan, Hong Kong, Macao) and 83 (residence
# permits for Taiwan residents).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}  # fmt: skip
ID18 = re.compile(r"[0-9]{17}[0-9X]")
ID15 = re.compile(r"[0-9]{15}")
PHONE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9}|0[0-9]{2,3}[0-9]{7,8})")
# An extension after the number: "-801", "转801", "ext. 801", "x801", "#801" (after normalise()
# the hyphen is gone, so a trailing "-801" cannot be told apart and is not taken as one).
EXTENSION = re.compile(r"(?:转|EXT\.?|X|#)[0-9]{1,6}$")
_STRIP = re.compile(r"[\s\-\u200b\u200c\u200d\u2060\ufeff]")


def normalise(value: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _birth_date(text: str) -> datetime.date | None:
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: datetime.date | None = None) -> str:
    """Return the canonical 18-character ID number or raise ValidationError (Chinese message).

    15-digit numbers (issued before 1999) are accepted and converted to 18 digits: the century
    19 is inserted and the check digit computed.
    """
    today = today or datetime.date.today()
    text = normalise(value)
    if ID15.fullmatch(text):
        text = text[:6] + "19" + text[6:]
        text += check_digit(text)
    elif not ID18.fullmatch(text):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    if text[:2] not in PROVINCES:
        raise ValidationError(_("The ID number starts with an unknown region code."), code="id_region")
    born = _birth_date(text[6:14])
    if born is None or born.year < 1880 or born > today:
        raise ValidationError(_("The date of birth in the ID number is not a valid date."), code="id_date")
    if check_digit(text[:17]) != text[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check for a typing error."), code="id_check"
        )
    return text


def validate_phone(value: str) -> str:
    """The canonical digits of a phone number (no +86, no separators, no extension), or a
    ValidationError. The digests and the search read this form; the case keeps what was typed
    (``phone_as_typed``)."""
    text = EXTENSION.sub("", normalise(value).replace("(", "").replace(")", ""))
    match = PHONE.fullmatch(text)
    if not match:
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline number with its area code."),
            code="phone",
        )
    return match.group(1)


def phone_as_typed(value: str) -> str:
    """The phone number in the form it was typed ("0575-87012345", "138 0013 8000 转 801"), checked
    loosely: full-width digits become ASCII and outer spaces go, but separators stay, and any
    value whose digits make a mobile or landline number passes (``validate_phone``)."""
    validate_phone(value)
    return " ".join(unicodedata.normalize("NFKC", value).split())


def canonical_phone(value: str) -> str:
    """``validate_phone``'s digits when the value is a phone number, else the value normalised:
    what a keyed digest of a phone is computed over, so 0575-87012345 and 057587012345 match."""
    try:
        return validate_phone(value)
    except ValidationError:
        return normalise(value)


def id_facts(id_number: str) -> tuple[str, datetime.date | None]:
    """(gender "M"/"F", date of birth) read from a canonical 18-character ID number (GB 11643:
    digits 7-14 are the birth date, the 17th is odd for a man and even for a woman); ("", None)
    for anything else."""
    if not ID18.fullmatch(id_number or ""):
        return "", None
    return ("M" if int(id_number[16]) % 2 else "F"), _birth_date(id_number[6:14])


def is_phone(value: str) -> bool:
    try:
        validate_phone(value)
    except ValidationError:
        return False
    return True


def mask_name(name: str) -> str:
    """张*明 for three characters, 张* for two, 欧**华 for four; Latin names keep the first letter."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str) -> str:
    """3306**********1234: region prefix and last four shown."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# GB 32100-2015 unified social credit code: 18 characters from 31 (no I, O, Z, S, V), the last a
# check character over the first 17 with these weights.
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def validate_credit_code(value: str) -> str:
    """The canonical (upper-case) credit code, or a ValidationError in Chinese."""
    text = normalise(value).upper()
    if len(text) != 18 or any(ch not in CREDIT_CHARS for ch in text):
        raise ValidationError(
            _("A unified social credit code has 18 digits and capital letters."), code="credit_shape"
        )
    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(text[:17], CREDIT_WEIGHTS, strict=True))
    if CREDIT_CHARS[(31 - total % 31) % 31] != text[17]:
        raise ValidationError(
            _("The credit code's check character is wrong; please check for a typing error."),
            code="credit_check",
        )
    return text
