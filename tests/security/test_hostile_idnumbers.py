"""Resident ID numbers (GB 11643-1999) against an oracle written here from the standard, not from
cases.idnumbers: 10,000 generated inputs, 0 disagreements (reliability.md §1 row 3, §5).

The oracle derives the weights as 2^(17-i) mod 11 and the check character as (12 - S mod 11) mod 11
(10 written X), which is how the standard states them; the application uses the printed tables.
Input is NFKC-normalised, separators (whitespace, hyphens, zero-width) dropped, and only then
compared with ASCII digits: Python's ``\\d`` and ``int()`` accept Arabic-Indic or Devanagari digits.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.idnumbers import validate_id_number

TODAY = datetime.date(2026, 11, 25)
ASCII_DIGITS = "0123456789"
# GB/T 2260 provinces, plus 71/81/82 (Taiwan, Hong Kong, Macao) and 83 (residence permits).
PROVINCE_CODES = {
    str(n)
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    )
}
SEPARATORS = "-\u200b\u200c\u200d\u2060\ufeff"
PROFILE = settings(max_examples=5_000, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip


def oracle_check_char(first17: str) -> str:
    total = sum(int(ASCII_DIGITS.index(c)) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def oracle(raw: str, today=TODAY) -> str | None:
    """The canonical 18-character number, or None when the input is not a valid ID number."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(c for c in text if not (c.isspace() or c in SEPARATORS)).upper()
    if len(text) == 15 and all(c in ASCII_DIGITS for c in text):
        text = text[:6] + "19" + text[6:]
        text += oracle_check_char(text)
    if len(text) != 18 or any(c not in ASCII_DIGITS for c in text[:17]) or text[17] not in ASCII_DIGITS + "X":
        return None
    if text[:2] not in PROVINCE_CODES:
        return None
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month)):
        return None
    if year < 1880 or (year, month, day) > (today.year, today.month, today.day):
        return None
    return text if oracle_check_char(text[:17]) == text[17] else None


def app(raw: str) -> str | None:
    try:
        return validate_id_number(raw, today=TODAY)
    except ValidationError as exc:
        assert exc.messages and re.search(r"[\u4e00-\u9fff]", exc.messages[0]), exc.messages
        return None


# --- generators ----------------------------------------------------------------------------------
FULL_WIDTH = {c: chr(0xFF10 + int(c)) for c in ASCII_DIGITS} | {"X": "Ｘ"}
# Zeros of digit runs: Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali, Thai, Myanmar (all
# refused), full-width and mathematical bold (NFKC makes them ASCII: accepted).
OTHER_DIGITS = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0xFF10, 0x1D7CE]


@st.composite
def valid_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    rest = draw(st.text(ASCII_DIGITS, min_size=4, max_size=4))
    born = draw(st.dates(datetime.date(1880, 1, 1), TODAY))
    seq = draw(st.text(ASCII_DIGITS, min_size=3, max_size=3))
    first17 = f"{province}{rest}{born:%Y%m%d}{seq}"
    return first17 + oracle_check_char(first17)


@st.composite
def disguised(draw):
    """A valid (or nearly valid) number as people and machines mangle it."""
    text = list(draw(valid_numbers()))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["full", "other", "sep", "space", "lower", "digit", "drop", "dup"]))
        c = text[i]
        if len(c) != 1:
            continue  # already changed
        if kind == "full" and c in FULL_WIDTH:
            text[i] = FULL_WIDTH[c]
        elif kind == "other" and c in ASCII_DIGITS:
            text[i] = chr(draw(st.sampled_from(OTHER_DIGITS)) + int(c))
        elif kind == "sep":
            text[i] = c + draw(st.sampled_from(list(SEPARATORS)))
        elif kind == "space":
            text[i] = c + draw(st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\n"]))
        elif kind == "lower":
            text[i] = c.lower()
        elif kind == "digit":
            text[i] = draw(st.sampled_from(list(ASCII_DIGITS + "X")))
        elif kind == "drop":
            text[i] = ""
        elif kind == "dup":
            text[i] = c + c
    if draw(st.booleans()) and len("".join(text)) == 18:
        joined = "".join(text)
        if all(ch in ASCII_DIGITS for ch in joined[:6] + joined[8:17]):
            return joined[:6] + joined[8:17]  # the 15-digit form of the same person
    return "".join(text)


@st.composite
def dated(draw):
    """Right shape and check digit, any date digits: 0230, 1300, 0000, 19990229, future years."""
    first17 = (
        draw(st.sampled_from(sorted(PROVINCE_CODES)))
        + draw(st.text(ASCII_DIGITS, min_size=4, max_size=4))
        + draw(st.integers(1000, 2999).map(str))
        + draw(st.integers(0, 13).map("{:02d}".format))
        + draw(st.integers(0, 32).map("{:02d}".format))
        + draw(st.text(ASCII_DIGITS, min_size=3, max_size=3))
    )
    return first17 + oracle_check_char(first17)


@given(
    st.one_of(valid_numbers(), disguised(), dated(), st.text(ASCII_DIGITS + "Xx", min_size=14, max_size=19))
)
@PROFILE
def test_structured_inputs_agree_with_the_oracle(raw):
    result = app(raw)
    event("accepted" if result else "refused")  # --hypothesis-show-statistics shows the split
    assert result == oracle(raw), repr(raw)


@given(
    st.one_of(st.text(max_size=25), st.text("0123456789Xx１２３４５６７８９０Ｘ٠١٢३४५ -\u200b", max_size=22))
)
@PROFILE
def test_arbitrary_text_agrees_with_the_oracle(raw):
    assert app(raw) == oracle(raw), repr(raw)


def test_full_width_is_accepted_and_other_digits_are_not():
    canonical = "11010519491231002X"
    assert oracle_check_char(canonical[:17]) == "X"
    full = "".join(FULL_WIDTH[c] for c in canonical)
    assert app(full) == canonical == app("110105 1949-1231 002x") == app("\u200b" + canonical.lower())
    for zero in (0x0660, 0x0966):  # Arabic-Indic, Devanagari
        foreign = "".join(chr(zero + int(c)) if c.isdigit() else c for c in canonical)
        assert re.fullmatch(r"\d{17}[\dX]", foreign), "Python's \\d accepts these digits"
        assert app(foreign) is None and oracle(foreign) is None
    assert app("110105194902300021") is None  # 30 February
    future = "110105" + f"{TODAY.year + 1}0101" + "001"
    assert app(future + oracle_check_char(future)) is None  # born next year
