"""cases.bounds: the one bounded parser for numbers, ids and dates from outside (issue 14). Each
parser answers a value within its bounds or a Chinese ValidationError (None for ids), whatever the
text: property-based over any text and over the hostile families of tests/security."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cases.bounds import (
    EARLIEST_DATE,
    ID_MAX,
    BoundedDateField,
    BoundedDateTimeField,
    BoundedDecimalField,
    BoundedIntegerField,
    latest_date,
    parse_date,
    parse_id,
    parse_int,
    parse_month,
    period_window,
)
from cases.models import CaseParty
from jobs.imports.cells import parse_int as parse_cell_int
from mediation.models import Agreement, Dispute
from tests.security.hostile_payloads import CJK
from tests.security.hostile_values import hostile

ANY = st.one_of(hostile, st.text(max_size=30))
QUICK = hsettings(max_examples=300, deadline=None, database=None)


def chinese(exc: ValidationError) -> bool:
    return all(CJK.search(m) for m in exc.messages)


@QUICK
@given(ANY)
def test_parse_int_answers_an_int_in_bounds_or_a_chinese_refusal(text):
    with translation.override("zh-hans"):
        try:
            number = parse_int(text, minimum=-5, maximum=2**31 - 1)
        except ValidationError as exc:
            assert chinese(exc)
        else:
            assert -5 <= number <= 2**31 - 1


@QUICK
@given(ANY)
def test_parse_id_answers_a_bigint_or_none(text):
    found = parse_id(text)
    assert found is None or 1 <= found <= ID_MAX


@QUICK
@given(ANY)
def test_parse_date_answers_a_day_in_the_window_or_a_chinese_refusal(text):
    with translation.override("zh-hans"):
        try:
            day = parse_date(text)
        except ValidationError as exc:
            assert chinese(exc)
        else:
            assert EARLIEST_DATE <= day <= latest_date()


@QUICK
@given(ANY)
def test_parse_month_answers_a_first_day_in_the_period_window_or_a_refusal(text):
    first, last = period_window()
    try:
        day = parse_month(text, first, last)
    except ValidationError:
        return
    assert day.day == 1 and first <= day <= last


@pytest.mark.parametrize(
    "text,expected",
    [("12", 12), ("１２", 12), (" +7 ", 7), ("-3", -3), ("²", 2), ("٣", None), ("1.0", None), ("", None),
     ("9" * 41, None), ("⑴", None), ("1e3", None)],
)  # fmt: skip
def test_digits_are_ascii_after_nfkc(text, expected):
    try:
        assert parse_int(text) == expected
    except ValidationError:
        assert expected is None


def test_ids_beyond_bigint_or_below_one_are_none():
    assert parse_id(str(ID_MAX)) == ID_MAX
    assert parse_id(str(ID_MAX + 1)) is None
    assert parse_id("0") is None and parse_id("-1") is None and parse_id("²³") == 23


def test_an_integer_field_takes_the_range_of_the_column_it_fills():
    position = BoundedIntegerField(model_field=CaseParty._meta.get_field("position"))  # smallint, >= 0
    assert (position.min_value, position.max_value) == (0, 32767)
    people = BoundedIntegerField(min_value=1, model_field=Dispute._meta.get_field("people_involved"))
    assert (people.min_value, people.max_value) == (1, 2**31 - 1)
    days = BoundedIntegerField(min_value=1, max_value=30)
    assert (days.min_value, days.max_value) == (1, 30)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        people.clean("2147483648")
    assert chinese(exc.value)
    assert people.clean("３") == 3


def test_a_decimal_field_takes_the_digits_of_its_column():
    amount = BoundedDecimalField(model_field=Agreement._meta.get_field("amount"), min_value=0)
    assert str(amount.clean("９９９９９９９９９９９９.99")) == "999999999999.99"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        amount.clean("99999999999999")  # 14 digits: the column holds 12 before the point
    assert chinese(exc.value)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1949-09-30", "٢٠٢٦-١١-٢٠x"])
def test_a_date_field_refuses_days_outside_the_window_in_chinese(value):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        BoundedDateField().clean(value)
    assert chinese(exc.value)


def test_a_date_field_reads_full_width_digits():
    assert BoundedDateField().clean("２０２６－１１－２０") == datetime.date(2026, 11, 20)


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00"])
def test_a_datetime_field_refuses_moments_outside_the_window_before_making_them_aware(value):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        BoundedDateTimeField().clean(value)
    assert chinese(exc.value)


def test_a_datetime_field_keeps_a_moment_inside_the_window():
    moment = BoundedDateTimeField().clean("2026-11-24T23:59")
    assert timezone.localtime(moment).date() == datetime.date(2026, 11, 24)


def test_a_path_id_beyond_bigint_matches_no_pattern():
    assert resolve(f"/disputes/{ID_MAX}/").kwargs == {"pk": ID_MAX}
    for path in (f"/disputes/{ID_MAX + 1}/", "/disputes/0/", "/disputes/99999999999999999999/"):
        with pytest.raises(Resolver404):
            resolve(path)
    assert reverse("disputes:detail", args=[12]) == "/disputes/12/"


@pytest.mark.parametrize("value,ok", [("3", True), ("３", True), (3.0, True), ("2147483648", False),
                                      (1e300, False), ("0", False), ("²", True), ("٣", False)])  # fmt: skip
def test_an_import_cell_number_is_bounded_by_its_column(value, ok):
    field = Dispute._meta.get_field("people_involved")
    with translation.override("zh-hans"):
        try:
            number = parse_cell_int(value, 1, field)
        except ValidationError as exc:
            assert not ok and chinese(exc)
        else:
            assert ok and 1 <= number <= 2**31 - 1
