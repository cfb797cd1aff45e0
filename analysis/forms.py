"""The forms of the warning steps (analysis.workflow declares which step uses which)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from analysis.units import send_targets
from cases.bounds import BoundedModelChoiceField
from cases.forms import BootstrapMixin


class SignForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AssignForm(BootstrapMixin, forms.Form):
    unit = BoundedModelChoiceField(label=_("Send to"), queryset=Unit.objects.none())

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = send_targets(case, user)


class HandleForm(BootstrapMixin, forms.Form):
    handling = forms.CharField(
        label=_("What was done (处置)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    case_numbers = forms.CharField(
        label=_("Linked cases"),
        required=False,
        max_length=2000,
        help_text=_("Case numbers, separated by spaces or commas: the cases this handling concerns."),
    )


class CloseForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
