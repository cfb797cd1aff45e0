"""Cells as values: text, dates, numbers, parties and coded choices, each refused with a Chinese
message (a ValidationError) that the check reports against the cell."""

import datetime
import decimal
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import bounds
from cases.bounds import column_range
from cases.idnumbers import normalise, phone_as_typed, validate_credit_code, validate_id_number

# The oldest date an import accepts: 人民调解法 and the 信访条例 records start long after.
EARLIEST = datetime.date(1980, 1, 1)
INTEGER_MAX = 2**31 - 1


def cell_text(value) -> str:
    """A cell as text: Excel gives numbers for digit strings and datetimes for dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_("Not a date; write it like 2024-03-05."))
    if day > timezone.localdate():
        raise ValidationError(_("The date lies in the future."))
    if day < EARLIEST:
        raise ValidationError(_("The date lies before 1980."))
    return day


def parse_int(value, minimum=0, field=None) -> int:
    """A whole number of at least ``minimum`` that the model ``field``'s column holds (without a
    field: a PostgreSQL integer), read by cases.bounds.parse_int."""
    maximum = column_range(field)[1] if field is not None else INTEGER_MAX
    try:
        return bounds.parse_int(cell_text(value), minimum=minimum, maximum=maximum)
    except ValidationError:
        raise ValidationError(
            _("Not a whole number between %(min)d and %(max)d.") % {"min": minimum, "max": maximum}
        ) from None


def parse_amount(value) -> decimal.Decimal:
    text = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "")
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValidationError(_("Not an amount in yuan.")) from exc
    if not amount.is_finite() or amount < 0 or amount >= 10**12:
        raise ValidationError(_("Not an amount in yuan."))
    return amount.quantize(decimal.Decimal("0.01"))


def parse_party(name, id_or_code, phone, address) -> dict:
    """One party's details as the row gives them (kept on the case; cases.people). The number column takes a
    resident ID number (a person) or a unified social credit code (an organisation)."""
    values = {"name": cell_text(name)[:100], "is_organisation": False, "id_number": "", "credit_code": ""}
    number = normalise(cell_text(id_or_code))
    if number:
        try:
            values["id_number"] = validate_id_number(number)
        except ValidationError:
            try:
                values["credit_code"] = validate_credit_code(number)
                values["is_organisation"] = True
            except ValidationError:
                raise ValidationError(validate_error(number)) from None
    values["phone"] = import_phone(cell_text(phone))
    values["address"] = cell_text(address)[:200]
    values["gender"] = ""
    return values


def import_phone(text: str) -> str:
    """The phone as the ledger typed it ("0575-87012345", "138 0000 0000"), as intake keeps it
    (cases.idnumbers.phone_as_typed), checked that its digits make a phone number: the search
    digests the canonical digits (cases.idcrypt.phone_digest), so 057587012345 still finds it."""
    return phone_as_typed(text) if text else ""


def validate_error(number: str) -> str:
    try:
        validate_id_number(number)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


class Choices:
    """A value given by its code or its label (Chinese or English), as people type it."""

    def __init__(self, pairs, aliases=None):
        from django.utils import translation

        self.lookup = {}
        for code, label in pairs:
            self.lookup[code.lower()] = code
            self.lookup[str(label).lower()] = code
            with translation.override("zh-hans"):
                self.lookup[str(label)] = code
            with translation.override("en"):
                self.lookup[str(label).lower()] = code
        for alias, code in (aliases or {}).items():
            self.lookup[alias] = code
        with translation.override("zh-hans"):
            self.allowed = "、".join(str(label) for _code, label in pairs)

    def get(self, value):
        text = unicodedata.normalize("NFKC", cell_text(value))
        return self.lookup.get(text) or self.lookup.get(text.lower())
