"""Plain Chinese messages in place of Django's stock wording ("确保该变量包含不超过 200 字符").

``plain_messages(field)`` runs on every field of every form (cases.forms.style, called by
BootstrapMixin): a message a form or field sets itself is kept; only Django's own defaults are
replaced, and the length and range validators are swapped for copies with plain messages.
"""

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

# Keyed by the error code; a field's message is replaced only while it is Django's stock one.
MESSAGES = {
    "required": _("Please fill this in."),
    "invalid_choice": _("Please choose one of the options offered."),
    "invalid_list": _("Please choose from the options offered."),
    "max_digits": _("At most %(max)s digits."),
    "max_decimal_places": _("At most %(max)s digits after the decimal point."),
    "max_whole_digits": _("At most %(max)s digits before the decimal point."),
}
# "invalid" depends on the kind of field.
INVALID = (
    (forms.DateTimeField, _("Enter a date and time, for example 2026-11-24 09:30.")),
    (forms.DateField, _("Enter a date, for example 2026-11-24.")),
    (forms.IntegerField, _("Enter a whole number.")),
    (forms.DecimalField, _("Enter a number.")),
    (forms.EmailField, _("Enter an e-mail address, for example name@example.cn.")),
)
VALIDATORS = {
    validators.MaxLengthValidator: _("At most %(limit_value)d characters; this has %(show_value)d."),
    validators.MinLengthValidator: _("At least %(limit_value)d characters; this has %(show_value)d."),
    validators.MaxValueValidator: _("At most %(limit_value)s."),
    validators.MinValueValidator: _("At least %(limit_value)s."),
}


def _stock(field, code: str) -> set:
    """Django's own default messages for ``code`` along the field's classes."""
    return {
        str(klass.__dict__["default_error_messages"][code])
        for klass in type(field).__mro__
        if klass.__module__.startswith("django.") and code in klass.__dict__.get("default_error_messages", {})
    }


def plain_messages(field):
    """Replace Django's stock messages of ``field`` by plain Chinese ones (idempotent)."""
    messages = field.error_messages
    for code, text in MESSAGES.items():
        if code in messages and str(messages[code]) in _stock(field, code):
            messages[code] = text
    if "invalid" in messages and str(messages["invalid"]) in _stock(field, "invalid"):
        for kind, text in INVALID:
            if isinstance(field, kind):
                messages["invalid"] = text
                break
    field.validators = [_plain(v) for v in field.validators]
    return field


def _plain(validator):
    text = VALIDATORS.get(type(validator))
    if text is None or validator.message is not type(validator).message:
        return validator
    return type(validator)(validator.limit_value, message=text)
