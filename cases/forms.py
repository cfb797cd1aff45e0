"""Input validation for disputes. Forms validate; workflow functions decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, place_name
from cases.idnumbers import id_facts, phone_as_typed, validate_credit_code, validate_id_number
from cases.models import PartyRole
from cases.wording import plain_messages

# A text area with no limit of its own gets this one, so every long text shows a limit and a
# counter (static/js/jiefen.js) and the server refuses the same length in Chinese.
TEXTAREA_LIMIT = 5000
# Keyboard and autofill hints per party field: a phone and an ID number bring up the number pad
# (an ID number ending in X gets an "X" key beside the field on a touch screen, static/js/jiefen.js).
INPUT_HINTS = {
    "id_number": {"inputmode": "numeric", "autocomplete": "off", "autocapitalize": "characters",
                  "spellcheck": "false", "data-id-number": "", "data-x-label": _("Type the final X")},
    "credit_code": {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    "phone": {"inputmode": "tel", "type": "tel", "autocomplete": "tel"},
    "name": {"autocomplete": "off"},
    "address": {"autocomplete": "street-address"},
}  # fmt: skip


def style(field):
    """Bootstrap classes on a widget (also for fields a form adds after __init__)."""
    widget = field.widget
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, forms.CheckboxInput):
        base = "form-check-input"
    widget.attrs["class"] = base
    if isinstance(widget, forms.Textarea) and isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = TEXTAREA_LIMIT
        field.validators = [*field.validators, MaxLengthValidator(TEXTAREA_LIMIT)]
        widget.attrs["maxlength"] = str(TEXTAREA_LIMIT)
    plain_messages(field)
    # HTML date inputs only understand ISO values, whatever the locale's display format.
    if getattr(widget, "input_type", "") == "date":
        widget.format = "%Y-%m-%d"
    elif getattr(widget, "input_type", "") == "datetime-local":
        widget.format = "%Y-%m-%dT%H:%M"


class BootstrapMixin:
    """Bootstrap classes on every widget, and the invalid class on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style(field)

    def full_clean(self):
        super().full_clean()
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                # The message beside the field is read with it (templates/cases/_field.html).
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_errors"


def clean_id(value):
    return validate_id_number(value) if value else ""


def clean_phone(value):
    """The phone as typed ("0575-87012345"), checked loosely (cases.idnumbers.phone_as_typed)."""
    return phone_as_typed(value) if value else ""


PARTY_LABELS = (_("Name"), _("ID number"), _("Phone"), _("Address"))


def party_fields(labels=PARTY_LABELS) -> dict:
    """The fields describing one party: a person or an organisation."""
    name, id_number, phone, address = labels
    fields = {
        "name": forms.CharField(label=name, max_length=100),
        "is_organisation": forms.BooleanField(
            label=_("An organisation (company, association…)"), required=False
        ),
        "id_number": forms.CharField(
            label=id_number, max_length=30, required=False,
            help_text=_("Gender and date of birth are read from it."),
        ),
        "credit_code": forms.CharField(
            label=_("Unified social credit code"), max_length=30, required=False,
            help_text=_("For an organisation instead of an ID number."),
        ),
        "gender": forms.ChoiceField(
            label=_("Gender"), required=False, choices=[("", "—"), ("M", _("male")), ("F", _("female"))],
            help_text=_("Left empty, it is read from the ID number."),
        ),
        # 20: the column; the number is kept as typed (cases.idnumbers.phone_as_typed).
        "phone": forms.CharField(label=phone, max_length=20, required=False),
        "address": forms.CharField(label=address, max_length=200, required=False),
    }  # fmt: skip
    for key, field in fields.items():
        hint_inputs(field, key)
    return fields


def hint_inputs(field, key: str):
    """The keyboard and autofill hints of a party field named ``key`` (INPUT_HINTS)."""
    hints = dict(INPUT_HINTS.get(key, {}))
    if "type" in hints:
        field.widget.input_type = hints.pop("type")
    field.widget.attrs.update(hints)
    return field


def clean_party(form, data, prefix=""):
    """Validate one party's ID number (GB 11643) or credit code (GB 32100) and phone in place."""
    checks = [
        ("id_number", validate_id_number),
        ("credit_code", validate_credit_code),
        ("phone", phone_as_typed),
    ]
    for name, validate in checks:
        key = prefix + name
        if data.get(key):
            try:
                data[key] = validate(data[key])
            except ValidationError as exc:
                form.add_error(key, exc)
    if data.get(prefix + "is_organisation"):
        if data.get(prefix + "id_number"):
            form.add_error(prefix + "id_number", _("An organisation has a credit code, not an ID number."))
    elif data.get(prefix + "credit_code"):
        form.add_error(prefix + "credit_code", _("Tick “organisation” to record a credit code."))
    elif data.get(prefix + "id_number") and data.get(prefix + "gender"):
        gender, _born = id_facts(data[prefix + "id_number"])
        if gender and gender != data[prefix + "gender"]:
            form.add_error(
                prefix + "gender",
                _("The ID number is a man's.") if gender == "M" else _("The ID number is a woman's."),
            )


def party_values(data, prefix="") -> dict:
    """A party's details as typed, for cases.people (kept on the case, keys for the register)."""
    organisation = bool(data.get(prefix + "is_organisation"))
    return {
        "name": data[prefix + "name"].strip(),
        "is_organisation": organisation,
        "id_number": data.get(prefix + "id_number") or "",
        "credit_code": data.get(prefix + "credit_code") or "",
        "gender": "" if organisation else data.get(prefix + "gender") or "",
        "phone": data.get(prefix + "phone") or "",
        "address": data.get(prefix + "address") or "",
    }


class PartyForm(BootstrapMixin, forms.Form):
    """One more applicant, respondent, third party or agent (人民调解法 §23: parties' rights)."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (r.value, r.label)
            for r in (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY, PartyRole.AGENT)
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in party_fields().items():
            style(field)
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        clean_party(self, data)
        return data


class RegionRows(forms.models.ModelChoiceIterator):
    """A region select's options from (code, name) rows instead of model instances: a county user's
    field offers ~540 places, rendered on every intake page and on every refused form shown again
    (making a Region of each was ~6 % of a refused petition intake). Same values and labels as
    Django's iterator (tests/cases/test_form_renderer.py)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for code, name in self.queryset.values_list("code", "name"):
            yield (forms.models.ModelChoiceIteratorValue(code, None), place_name(name))


def region_picker(field, *, level: int, stores: str = "code"):
    """Make a region field a searchable picker (static/js/region-picker.js; the field works as it is
    without the script): ``level`` is the highest level offered (accounts.models.RegionLevel),
    ``stores`` "code" (the region's code: intake) or "prefix" (its significant digits: a list filter
    matches the region and everything below it)."""
    from django.urls import reverse

    plain = (
        isinstance(field, forms.ModelChoiceField)
        and field.queryset.model is Region
        and field.to_field_name is None
        and getattr(type(field), "label_from_instance", None) is forms.ModelChoiceField.label_from_instance
        and "label_from_instance" not in vars(field)
    )
    if plain:
        field.iterator = RegionRows
        field.widget.choices = field.choices  # the widget took its iterator when the queryset was set
    field.widget.attrs.update(
        {
            "data-region-picker": reverse("regions:search"),
            "data-level": str(level),
            "data-stores": stores,
            "data-placeholder": str(_("Type a town or village name, or a code")),
            "data-none": str(_("No region found")),
            "data-found": str(_("%s regions found; use the arrow keys to choose")),
        }
    )
    return field
