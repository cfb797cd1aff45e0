"""The one bounded parser for every number, id and date that comes from outside: URL paths, query
strings, form fields and import cells (issue 14).

Python and Django are generous readers. ``"²".isdigit()`` is true and ``int("²")`` raises;
``int("９９…")`` reads full-width digits; Django's IntegerField takes any length and PostgreSQL
refuses it at INSERT; a DateField takes 9999-12-31 and the next line that adds a day raises
OverflowError; 0001-01-01 00:00 in Asia/Shanghai is before the first moment a datetime can hold in
UTC. Each of those was an HTTP 500. Here every value is read the same way:

- text is NFKC-normalised first (full-width digits and separators become ASCII, as a Chinese input
  method types them), then must be ASCII digits with an optional sign; anything else is refused;
- an integer lies within what its column holds (``column_range`` of the model field it fills: a
  PositiveSmallIntegerField is 0..32767, an id 1..2**63-1) and within the form's own limits;
- a date lies within a window the domain needs: from 1949-10-01 (no record of this portal can be
  older) to ``DATE_YEARS_AHEAD`` years after today (default 10: target and performance dates lie in
  the future); statistics periods have a window of their own (``period_window``).

A refusal is a ValidationError with a Chinese message (forms show it) or None (look-ups answer
404 or nothing); never an exception that reaches the user as a 500.
"""

import contextlib
import datetime
import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_MAX = 2**63 - 1  # bigint, the type of every primary key here (DEFAULT_AUTO_FIELD)
EARLIEST_DATE = datetime.date(1949, 10, 1)
INTEGER_KEYS = ("AutoField", "BigAutoField")
INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def normalise(value) -> str:
    """Text as the parsers read it: NFKC (full-width to ASCII), surrounding space removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def column_range(model_field) -> tuple[int | None, int | None]:
    """The values an integer model field's column holds (None: no limit)."""
    return connection.ops.integer_field_range(model_field.get_internal_type())


def parse_int(value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer from text or a number, within [minimum, maximum]; ValidationError otherwise."""
    if isinstance(value, bool):
        raise ValidationError(_("Enter a whole number."), code="invalid")
    if isinstance(value, int):
        number = value
    else:
        text = normalise(value)
        if not INTEGER.fullmatch(text) or len(text) > 40:
            raise ValidationError(_("Enter a whole number."), code="invalid")
        number = int(text)
    if minimum is not None and number < minimum:
        raise ValidationError(
            _("Enter a whole number of at least %(min)s.") % {"min": minimum}, code="min_value"
        )
    if maximum is not None and number > maximum:
        raise ValidationError(
            _("Enter a whole number of at most %(max)s.") % {"max": maximum}, code="max_value"
        )
    return number


def parse_id(value) -> int | None:
    """A primary key from a URL, a query string or a form: 1..2**63-1, or None."""
    try:
        return parse_int(value, minimum=1, maximum=ID_MAX)
    except ValidationError:
        return None


def latest_date() -> datetime.date:
    """The last day of the year ``DATE_YEARS_AHEAD`` (default 10) years from now."""
    return datetime.date(timezone.localdate().year + getattr(settings, "DATE_YEARS_AHEAD", 10), 12, 31)


def check_date(day: datetime.date, earliest=None, latest=None) -> datetime.date:
    """``day`` if it lies in [earliest, latest] (default: the domain's window); ValidationError."""
    earliest = earliest or EARLIEST_DATE
    latest = latest or latest_date()
    if day < earliest:
        raise ValidationError(
            _("The date lies before %(date)s.") % {"date": chinese_date(earliest)}, code="too_early"
        )
    if day > latest:
        raise ValidationError(
            _("The date lies after %(date)s.") % {"date": chinese_date(latest)}, code="too_late"
        )
    return day


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(value, earliest=None, latest=None) -> datetime.date:
    """A date written YYYY-MM-DD (full-width digits too), within the window; ValidationError."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = normalise(value)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text, re.ASCII)
        try:
            value = datetime.date(*map(int, match.groups())) if match else None
        except ValueError:
            value = None
        if value is None:
            raise ValidationError(_("Enter a date like 2026-10-31."), code="invalid")
    return check_date(value, earliest, latest)


def parse_month(value, earliest=None, latest=None) -> datetime.date:
    """The first day of a month written YYYY-MM, within the window; ValidationError."""
    text = normalise(value)
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text, re.ASCII)
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise ValidationError(_("Enter a month like 2026-10."), code="invalid")
    first = datetime.date(int(match[1]), int(match[2]), 1)
    check_date(first, (earliest or EARLIEST_DATE).replace(day=1), latest)
    return first


def period_window() -> tuple[datetime.date, datetime.date]:
    """The days a statistics period may cover: from 1 January of ``PERIOD_EARLIEST_YEAR`` (default
    1980: the petition and mediation records start after it) to the end of next year."""
    first = datetime.date(getattr(settings, "PERIOD_EARLIEST_YEAR", 1980), 1, 1)
    return first, datetime.date(timezone.localdate().year + 1, 12, 31)


# --- form fields ---------------------------------------------------------------------------------
class BoundedIntegerField(forms.IntegerField):
    """An integer field read by ``parse_int``: ASCII digits after NFKC, within the model column's
    range (``model_field``) and the form's own min_value / max_value, whichever is narrower."""

    def __init__(self, *, model_field=None, min_value=None, max_value=None, **kwargs):
        low, high = column_range(model_field) if model_field is not None else (-ID_MAX - 1, ID_MAX)
        lows = [v for v in (min_value, low) if v is not None]
        highs = [v for v in (max_value, high) if v is not None]
        super().__init__(min_value=max(lows, default=None), max_value=min(highs, default=None), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_int(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedDecimalField(forms.DecimalField):
    """A decimal field with the digits and places of the model column it fills (a DecimalField
    with max_digits=14, decimal_places=2 holds less than 10**12), digits read after NFKC."""

    def __init__(self, *, model_field, **kwargs):
        kwargs.setdefault("max_digits", model_field.max_digits)
        kwargs.setdefault("decimal_places", model_field.decimal_places)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise(value)
        return super().to_python(value)


class BoundedDateField(forms.DateField):
    """A date field within [earliest, latest] (default: 1949-10-01 to DATE_YEARS_AHEAD years
    ahead; callables are called on each use), digits read after NFKC."""

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise(value)
        day = super().to_python(value)
        if day is None:
            return None
        return check_date(day, _call(self.earliest), _call(self.latest))


class BoundedDateTimeField(forms.DateTimeField):
    """A datetime field whose local date lies within the window of BoundedDateField (so that no
    conversion to UTC or day added to it leaves what a datetime can hold)."""

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise(value)
            # Checked before Django makes the value aware: 0001-01-01 00:00 in UTC+8 is out of range.
            day = value[:10]
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day, re.ASCII):
                with contextlib.suppress(ValueError):  # not a date at all: Django's message below
                    check_date(datetime.date.fromisoformat(day), _call(self.earliest), _call(self.latest))
        moment = super().to_python(value)
        if moment is None:
            return None
        check_date(timezone.localdate(moment), _call(self.earliest), _call(self.latest))
        return moment


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses, before any query, a key its model's primary key cannot
    hold (an integer key outside 1..2**63-1, or digits int() refuses)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        model = self.queryset.model
        integer_key = self.to_field_name is None and model._meta.pk.get_internal_type() in INTEGER_KEYS
        if integer_key and not isinstance(value, model) and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def _call(value):
    return value() if callable(value) else value


# --- URL paths -----------------------------------------------------------------------------------
class IdConverter:
    """``<id:pk>``: a primary key in a URL path, 1..2**63-1. A longer number does not match the
    pattern, so the answer is 404 like any missing object (registered in CasesConfig.ready)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))
