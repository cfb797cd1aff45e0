"""The public's forms: plain words, checked as the staff forms are (ID numbers cases.idnumbers,
phones, uploads cases.attachments), Chinese messages (cases.wording through BootstrapMixin)."""

import re

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from cases.attachments import check_upload
from cases.bounds import BoundedModelChoiceField
from cases.forms import BootstrapMixin, clean_id, clean_phone
from cases.idnumbers import canonical_phone
from cases.models import Satisfaction
from mediation.models import DisputeCategory
from petitions.models import PetitionCategory, PetitionKind
from public import codes, routing

MAX_FILES = 5
MOBILE = re.compile(r"1[3-9]\d{9}")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most 5 files."))
        return [super(FilesField, self).clean(f, initial) for f in files]


class CaptchaMixin:
    """Adds the locally drawn CAPTCHA when the address failed too often (public.limits)."""

    def __init__(self, *args, captcha=False, **kwargs):
        super().__init__(*args, **kwargs)
        if captcha:
            self.fields["captcha"] = CaptchaField(
                label=_("Type the characters in the picture"),
                widget=CaptchaTextInput(attrs={"class": "form-control", "autocomplete": "off"}),
                error_messages={"invalid": _("The characters do not match the picture; try again.")},
            )


class ApplicationForm(CaptchaMixin, BootstrapMixin, forms.Form):
    """申请调解 / 网上信访: who applies, where, what happened, what they ask for."""

    name = forms.CharField(label=_("Your real name"), max_length=100)
    id_number = forms.CharField(label=_("Your ID number"), max_length=30)
    phone = forms.CharField(
        label=_("Your mobile phone"), max_length=30,
        help_text=_("The query code and the one-time codes are sent to this number."),
    )  # fmt: skip
    address = forms.CharField(label=_("Your address"), max_length=200, required=False)
    region = BoundedModelChoiceField(
        label=_("Where it happened (town or village)"), queryset=Region.objects.none()
    )
    other_party = forms.CharField(label=_("The other party (person or organisation)"), max_length=100)
    other_phone = forms.CharField(
        label=_("The other party's phone, if you know it"), max_length=30, required=False
    )
    summary = forms.CharField(label=_("In one sentence, what is it about?"), max_length=100)
    facts = forms.CharField(
        label=_("What happened"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    request = forms.CharField(
        label=_("What you ask for"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = FilesField(
        label=_("Photos or documents (optional)"), required=False,
        help_text=_("Up to 5 files: PDF, JPG, PNG, DOCX or XLSX, each at most 10 MB."),
    )  # fmt: skip
    accept_notice = forms.BooleanField(
        label=_("I have read the notice on personal data above and agree that my data is used as it says.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = routing.served_regions().order_by("code")
        self.fields["region"].widget.attrs.update({
            "data-region-picker": "/public/regions.json", "data-level": "4", "data-stores": "code",
            "data-placeholder": str(_("Type a town or village name, or a code")),
            "data-none": str(_("No region found")),
            "data-found": str(_("%s regions found; use the arrow keys to choose")),
        })  # fmt: skip
        self.fields["files"].widget.attrs["multiple"] = True
        self.fields["files"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_id_number(self):
        return clean_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        phone = clean_phone(self.cleaned_data["phone"])
        if not MOBILE.fullmatch(canonical_phone(phone).removeprefix("86")):
            raise ValidationError(_("Give a mobile number: the codes are sent by text message."))
        return phone

    def clean_other_phone(self):
        return clean_phone(self.cleaned_data["other_phone"])

    def clean_files(self):
        checked = []
        for upload in self.cleaned_data.get("files") or []:
            check_upload(upload)  # the staff uploads' checks: type, signature, size, zip bombs
            checked.append(upload)
        return checked

    def applicant(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "id_number": d["id_number"], "phone": d["phone"], "address": d["address"]}

    def respondent(self) -> dict:
        d = self.cleaned_data
        return {"name": d["other_party"], "phone": d["other_phone"]}


class DisputeApplicationForm(ApplicationForm):
    category = BoundedModelChoiceField(
        label=_("What kind of dispute"), queryset=DisputeCategory.objects.filter(is_active=True)
    )
    field_order = [
        "name",
        "id_number",
        "phone",
        "address",
        "region",
        "category",
        "other_party",
        "other_phone",
    ]


class PetitionApplicationForm(ApplicationForm):
    petition_kind = forms.ChoiceField(
        label=_("What kind of petition"),
        choices=[(PetitionKind.CLAIM, _("a request or complaint about my own matter")),
                 (PetitionKind.SUGGESTION, _("a suggestion or opinion"))],
    )  # fmt: skip
    category = BoundedModelChoiceField(
        label=_("What it concerns"), queryset=PetitionCategory.objects.filter(parent__isnull=True)
    )
    field_order = [
        "name",
        "id_number",
        "phone",
        "address",
        "region",
        "petition_kind",
        "category",
        "other_party",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_party"].label = _("Who it concerns (unit or person)")


class FollowForm(CaptchaMixin, BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Query code"), max_length=40)
    phone = forms.CharField(label=_("The mobile phone you gave"), max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_code(self):
        # The same answer for a code that is malformed as for one that does not exist: the form
        # only refuses what cannot be typed at all (empty, too long).
        return codes.normalise(self.cleaned_data["code"])

    def clean_phone(self):
        return canonical_phone(self.cleaned_data["phone"])


class OtpForm(CaptchaMixin, BootstrapMixin, forms.Form):
    otp = forms.CharField(label=_("One-time code from the text message"), max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})

    def clean_otp(self):
        return "".join(self.cleaned_data["otp"].split())


class EvaluationForm(BootstrapMixin, forms.Form):
    value = forms.ChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs["class"] = "form-check-input"  # radios, not text boxes


class ReviewForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I ask for the handling opinion to be reviewed by the office above.")
    )
