import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.idnumbers import (
    check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

VALID = "11010519491231002X"  # the standard's own example


def test_valid_number_with_x():
    assert validate_id_number(VALID) == VALID
    assert validate_id_number(VALID.lower()) == VALID


def test_bad_check_digit():
    with pytest.raises(ValidationError) as info:
        validate_id_number("110105194912310021")
    assert info.value.code == "id_check"


def test_bad_birth_date():
    first17 = "33068119990230123"  # 1999-02-30
    with pytest.raises(ValidationError) as info:
        validate_id_number(first17 + check_digit(first17))
    assert info.value.code == "id_date"


def test_future_birth_date():
    first17 = "33068120300101123"
    with pytest.raises(ValidationError) as info:
        validate_id_number(first17 + check_digit(first17), today=datetime.date(2026, 11, 24))
    assert info.value.code == "id_date"


def test_unknown_region():
    first17 = "99068119900101123"
    with pytest.raises(ValidationError) as info:
        validate_id_number(first17 + check_digit(first17))
    assert info.value.code == "id_region"


def test_legacy_15_digit_number_is_converted():
    # 15 digits: region 330681, birth 800101, sequence 123
    assert validate_id_number("330681800101123") == "33068119800101123" + check_digit("33068119800101123")


def test_full_width_digits_spaces_and_zero_width_are_normalised():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in VALID)
    assert validate_id_number(full_width) == VALID
    assert validate_id_number("110105 1949-1231\u200b002x") == VALID


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002XX", "1101051949123100２"[:17] + "Y"]
)
def test_wrong_shapes(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


def test_arabic_indic_digits_are_not_digits_here():
    # NFKC leaves Arabic-Indic digits alone; they must not pass as digits.
    with pytest.raises(ValidationError):
        validate_id_number("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")


def test_phone():
    assert validate_phone("138 0013 8000") == "13800138000"
    assert validate_phone("+8613800138000") == "13800138000"
    assert validate_phone("0575-87001234") == "057587001234"
    with pytest.raises(ValidationError):
        validate_phone("12345")


def test_masks():
    assert mask_name("张三明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳建华") == "欧**华"
    assert mask_id_number("330681198001011234") == "3306**********1234"
    assert mask_phone("13856785678") == "138****5678"


def test_credit_code_check_character():
    assert validate_credit_code("91440300708461136T") == "91440300708461136T"
    assert validate_credit_code(" 91110108551385082q ") == "91110108551385082Q"
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91440300708461136U")
    assert info.value.code == "credit_check"


@pytest.mark.parametrize("value", ["9144030070846113", "91440300708461136I", "9144030070846113６T"[:17]])
def test_credit_code_wrong_shapes(value):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert info.value.code == "credit_shape"
