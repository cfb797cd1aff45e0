from django import forms
from django.utils.translation import gettext_lazy as _

from cases.bounds import BoundedDateField, BoundedDateTimeField, BoundedDecimalField, BoundedIntegerField
from cases.forms import BootstrapMixin
from cases.models import TerminationRoute

from .models import Agreement, AgreementForm, Satisfaction, SessionOutcome

DATE = {"type": "date"}


class SessionForm(BootstrapMixin, forms.Form):
    held_at = BoundedDateTimeField(
        label=_("Held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), max_length=500)
    record = forms.CharField(label=_("Record (笔录)"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=SessionOutcome.choices)


class AgreementInputForm(BootstrapMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=AgreementForm.choices)
    responsibilities = forms.CharField(
        label=_("Facts and each party's responsibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms = forms.CharField(label=_("Agreed terms"), widget=forms.Textarea(attrs={"rows": 4}))
    performance_manner = forms.CharField(label=_("Manner of performance"), max_length=200, required=False)
    performance_place = forms.CharField(label=_("Place of performance"), max_length=200, required=False)
    performance_due = BoundedDateField(
        label=_("Performance due"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    amount = BoundedDecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, model_field=Agreement._meta.get_field("amount")
    )
    effective_date = BoundedDateField(label=_("Effective date"), widget=forms.DateInput(attrs=DATE))
    signed_by = forms.CharField(
        label=_("Signed by (one per line: name, date)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TerminateForm(BootstrapMixin, forms.Form):
    route = forms.ChoiceField(label=_("Route the parties were told"), choices=TerminationRoute.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(BootstrapMixin, forms.Form):
    days = BoundedIntegerField(label=_("Days"), min_value=1, max_value=30)
    consent_note = forms.CharField(label=_("Both parties' consent"), max_length=300)


class PerformanceForm(BootstrapMixin, forms.Form):
    performed_on = BoundedDateField(label=_("Performed on"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmationForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[
            ("apply", _("applied to the court")),
            ("confirmed", _("court confirmed")),
            ("refused", _("court refused")),
        ],
    )
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    court = forms.CharField(label=_("Court"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("step") == "apply" and not data.get("court", "").strip():
            self.add_error("court", _("Name the court the parties applied to."))
        return data


class FollowUpForm(BootstrapMixin, forms.Form):
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[("visit", _("home visit")), ("phone", _("phone")), ("meeting", _("meeting"))],
    )
    performance = forms.CharField(label=_("Performance of the agreement"), max_length=300, required=False)
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    new_risks = forms.CharField(label=_("New risks"), max_length=300, required=False)


class RemediateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the parties mediate again"),
        help_text=_("人民调解法 §33: after a refused confirmation the parties may change the agreement."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
