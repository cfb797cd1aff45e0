"""Forms of the review path's own steps: delivery of a document, a hearing during 复核."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.bounds import BoundedDateField
from cases.forms import BootstrapMixin
from cases.transitions import documents_made
from petitions.delivered import delivered
from petitions.models import UNIT_DOCUMENTS, DeliveryMethod, PetitionDocument

DATE = {"type": "date"}


def _not_in_future(day):
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date lies in the future."))
    return day


class DeliveryForm(BootstrapMixin, forms.Form):
    document = forms.ChoiceField(label=_("Document delivered"), choices=())
    method = forms.ChoiceField(label=_("How delivered"), choices=DeliveryMethod.choices)
    delivered_on = BoundedDateField(label=_("Delivered on"), widget=forms.DateInput(attrs=DATE))
    recipient = forms.CharField(label=_("Received by"), max_length=100, required=False)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Only documents the case has (a step that makes them was taken), for the petitioner, and not
        # yet delivered (a review opinion made again in a new round is delivered again).
        done = set(delivered(case)) | UNIT_DOCUMENTS
        labels = dict(PetitionDocument.choices)
        self.fields["document"].choices = [
            (slug, labels[slug]) for slug in documents_made(case) if slug in labels and slug not in done
        ]

    def clean_delivered_on(self):
        return _not_in_future(self.cleaned_data["delivered_on"])


class HearingStartForm(BootstrapMixin, forms.Form):
    started_on = BoundedDateField(label=_("Hearing from"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HearingEndForm(BootstrapMixin, forms.Form):
    ended_on = BoundedDateField(label=_("Hearing until"), widget=forms.DateInput(attrs=DATE))
