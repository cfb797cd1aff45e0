from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Grid, GridPostKind, User
from cases.bounds import BoundedDateField, BoundedIntegerField, BoundedModelChoiceField
from cases.forms import BootstrapMixin
from grids.models import Inspection

DATE = {"type": "date"}


class InspectionForm(BootstrapMixin, forms.Form):
    inspected_on = BoundedDateField(label=_("Date of inspection"), widget=forms.DateInput(attrs=DATE))
    looked_at = forms.CharField(label=_("What was looked at"), max_length=200)
    found = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty when nothing was found."),
    )  # fmt: skip
    disputes_found = BoundedIntegerField(
        label=_("Disputes found"), min_value=0, initial=0,
        model_field=Inspection._meta.get_field("disputes_found"),
    )  # fmt: skip


class GridForm(BootstrapMixin, forms.Form):
    parent = BoundedModelChoiceField(label=_("Parent grid"), queryset=Grid.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        # A 微网格 is the lowest level: grids are added below the 一级 and 二级 only.
        self.fields["parent"].queryset = grids.filter(level__lt=3)


class PostForm(BootstrapMixin, forms.Form):
    grid = BoundedModelChoiceField(label=_("Grid"), queryset=Grid.objects.none())
    user = BoundedModelChoiceField(label=_("Person"), queryset=User.objects.none())
    post = forms.ChoiceField(label=_("Post"), choices=GridPostKind.choices)
    started_on = BoundedDateField(label=_("From"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, grids, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["user"].queryset = users
