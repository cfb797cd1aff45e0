"""Hypothesis strategies for out-of-range input (issue 14): numbers, ids and dates as a browser or a
script can send them. Nothing here is a list of known bad strings; every family is built from its
definition, so a new member of it is found as well:

- integers near every limit the database has (``connection.ops.integer_field_range`` of each
  integer column type, and 10**k), positive and negative, written in ASCII or in any of Unicode's
  decimal-digit scripts (every character whose decimal value is 0 starts a run of ten digits);
- characters that ``str.isdigit()`` accepts and ``int()`` refuses (superscripts, circled digits…),
  found by asking unicodedata;
- dates, datetimes and months with any year from -1 to 10**5 (year 1 and 9999 included, which
  hypothesis favours as the ends of the range), months 0-13, days 0-32, in ISO form or another
  digit script.
"""

import datetime
import re
import sys
import unicodedata

from django.db import connection
from hypothesis import strategies as st

INTEGER_COLUMNS = (
    "SmallIntegerField",
    "PositiveSmallIntegerField",
    "IntegerField",
    "PositiveIntegerField",
    "BigIntegerField",
    "PositiveBigIntegerField",
)


def _limits() -> list[int]:
    found = {0}
    for column in INTEGER_COLUMNS:
        low, high = connection.ops.integer_field_range(column)
        found.update(v for v in (low, high) if v is not None)
    found.update(-v for v in list(found))
    return sorted(found)


def _digit_zeros() -> list[str]:
    """The zero of every decimal-digit script (ASCII first): the next nine code points are 1-9."""
    zeros = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.decimal(chr(c), None) == 0]
    return ["0"] + [z for z in zeros if z != "0"]


def _odd_digits() -> list[str]:
    """Characters with isdigit() true that int() refuses (², ①, ⑴…): not decimal digits."""
    return [chr(c) for c in range(0x20000) if chr(c).isdigit() and not chr(c).isdecimal()]


LIMITS = _limits()
ZEROS = _digit_zeros()
ODD_DIGITS = _odd_digits()


def in_script(text: str, zero: str) -> str:
    """ASCII digits in ``text`` written in the script whose zero is ``zero``."""
    base = ord(zero)
    return "".join(chr(base + int(c)) if c.isascii() and c.isdigit() else c for c in text)


# ASCII most of the time (what reaches int() and the database), any other script otherwise.
scripts = st.sampled_from(("0", "0", "0", None)).flatmap(
    lambda z: st.just(z) if z else st.sampled_from(ZEROS)
)

# Integers: at and around every column limit, powers of ten up to 40 digits, and anything else.
near_limits = st.sampled_from(LIMITS).flatmap(lambda v: st.integers(v - 2, v + 2))
powers = st.builds(lambda k, sign: sign * 10**k, st.integers(0, 40), st.sampled_from((1, -1)))
integers = st.one_of(near_limits, powers, st.integers())

integer_texts = st.builds(lambda n, zero: in_script(str(n), zero), integers, scripts)
odd_digit_texts = st.text(alphabet=st.sampled_from(ODD_DIGITS + list("0123456789")), min_size=1, max_size=8)
decimal_texts = st.builds(
    lambda n, frac, zero: in_script(f"{n}.{frac}", zero), integers, st.integers(0, 10**6), scripts
)

# Years: the first and last a date can hold, their neighbours and what lies beyond, or any year.
years = st.one_of(
    st.sampled_from((1, 9999)), st.sampled_from((0, 2, 9998, 10000, 99999, -1)), st.integers(1, 9999)
)
months = st.one_of(st.sampled_from((1, 12)), st.integers(0, 13))
days = st.one_of(st.sampled_from((1, 31)), st.integers(0, 32))
# The first and last days a date holds and their neighbours: one day more or less leaves the range.
EDGE_DAYS = [datetime.date.min + datetime.timedelta(days=k) for k in range(3)] + [
    datetime.date.max - datetime.timedelta(days=k) for k in range(3)
]


def _date(y, m, d, zero):
    return in_script(f"{y:04d}-{m:02d}-{d:02d}", zero)


def weighted(*pairs):
    """Draw from strategies with weights ((weight, strategy), …); one_of would weigh them alike."""
    return st.sampled_from([s for weight, s in pairs for _ in range(weight)]).flatmap(lambda s: s)


edge_dates = st.builds(
    lambda day, zero: in_script(day.isoformat(), zero), st.sampled_from(EDGE_DAYS), scripts
)
date_texts = weighted((1, edge_dates), (2, st.builds(_date, years, months, days, scripts)))
datetime_texts = st.builds(
    lambda date, h, mi, sep: f"{date}{sep}{h:02d}:{mi:02d}",
    date_texts,
    st.one_of(st.sampled_from((0, 23)), st.integers(0, 24)),
    st.one_of(st.sampled_from((0, 59)), st.integers(0, 60)),
    st.sampled_from(("T", " ")),
)
month_texts = st.builds(lambda y, m, zero: in_script(f"{y:04d}-{m:02d}", zero), years, months, scripts)

# One value for any field that holds a number, an id, a date or a month.
hostile = st.one_of(integer_texts, odd_digit_texts, decimal_texts, date_texts, datetime_texts, month_texts)

SHAPES = (
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2})?"), "datetime-local"),
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "date"),
    (re.compile(r"\d{4}-\d{1,2}"), "month"),
    (re.compile(r"-?\d+"), "number"),
    (re.compile(r"-?\d+\.\d*"), "decimal"),
)
FAMILIES = {
    "datetime-local": datetime_texts,
    "date": date_texts,
    "month": month_texts,
    "number": weighted((2, integer_texts), (1, odd_digit_texts)),
    "decimal": st.one_of(decimal_texts, integer_texts),
}


def kind_of(kind: str = "", value: str = "") -> str:
    """A field's shape: its input type (date, datetime-local, month, number) if it has one of
    those, else the shape of the value it holds ("" when neither says)."""
    if kind in FAMILIES:
        return kind
    return next((k for pattern, k in SHAPES if pattern.fullmatch(value or "")), "")


def shaped(kind: str = "", value: str = ""):
    """Hostile values in a field's shape (kind_of); three draws in four keep the shape, so a
    bounded run reaches the field's own parser. A field of no known shape gets any family."""
    kind = kind_of(kind, value)
    return weighted((3, FAMILIES[kind]), (1, hostile)) if kind else hostile


__all__ = ["LIMITS", "ODD_DIGITS", "ZEROS", "hostile", "in_script", "integer_texts", "kind_of", "shaped"]
