"""The forms of key persons and 包案 (analysis.duties declares which step uses which)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from analysis.duty_models import KeyPersonReason
from analysis.duty_units import leader_choices, listing_units, staff_choices
from cases.bounds import BoundedDateField, BoundedModelChoiceField
from cases.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"})


class KeyPersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    reason = forms.ChoiceField(label=_("Reason"), choices=KeyPersonReason.choices)
    note = forms.CharField(label=_("Grounds"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    unit = BoundedModelChoiceField(label=_("Responsible unit"), queryset=User.objects.none())
    responsible = BoundedModelChoiceField(label=_("Responsible person"), queryset=User.objects.none())
    review_on = BoundedDateField(label=_("Review date"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = listing_units(user)
        self.fields["unit"].queryset = units
        self.fields["responsible"].queryset = staff_choices(user, key_persons=True)


class ReviewForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Review"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    review_on = BoundedDateField(label=_("Next review date"), widget=DATE)


class RemoveForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Why remove"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResponsibilityForm(BootstrapMixin, forms.Form):
    """五定: the leader, the unit, the working staff, the time limit, the responsibility."""

    leader = BoundedModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    unit = BoundedModelChoiceField(label=_("Unit"), queryset=User.objects.none())
    staff = forms.ModelMultipleChoiceField(
        label=_("Working staff"), queryset=User.objects.none(), required=False
    )
    due_on = BoundedDateField(label=_("Time limit"), widget=DATE)
    duty = forms.CharField(
        label=_("Responsibility"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leader_choices(user)
        self.fields["unit"].queryset = listing_units(user)
        self.fields["staff"].queryset = staff_choices(user)


class ConcludeForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(
        label=_("How it ended"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
