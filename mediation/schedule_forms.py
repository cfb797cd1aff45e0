"""Forms of the scheduling steps (mediation.scheduling): arrange a session ahead, move it, cancel
it, record that the parties were told. The choices come from the case: its mediators who may see
it (mediation.people.eligible_mediators), its parties, its sessions still to be held."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.bounds import BoundedDateField, BoundedDateTimeField
from cases.forms import BootstrapMixin
from mediation.models import NoticeMethod, ScheduledSession, ScheduledState
from mediation.people import eligible_mediators

DATE = {"type": "date"}
TIME = {"type": "time"}


class Checks(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes, one a line, each with its own label (a tap target on a phone)."""

    template_name = "mediation/widgets/checks.html"


def _user_label(user) -> str:
    name = user.display_name or user.username
    return f"{name}（{user.unit}）" if user.unit_id else name


def _when(session) -> str:
    local = timezone.localtime(session.starts_at)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M} {session.place}"


def pending_sessions(case):
    """The case's sessions still to be held, earliest first."""
    return ScheduledSession.objects.filter(dispute_id=case.pk, state=ScheduledState.SCHEDULED).order_by(
        "starts_at", "pk"
    )


class _WhenMixin:
    """A date and a time typed apart (the phone's date and time pickers), one moment in Asia/Shanghai."""

    def _starts_at(self, data):
        day, time = data.pop("date", None), data.pop("time", None)
        if day and time:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class _PendingMixin:
    def _pending(self, case):
        self._sessions = {str(s.pk): s for s in pending_sessions(case)}
        self.fields["scheduled"].choices = [(pk, _when(s)) for pk, s in self._sessions.items()]

    def _chosen(self, data):
        data["scheduled"] = self._sessions.get(data.get("scheduled") or "")
        return data


class ScheduleForm(_WhenMixin, BootstrapMixin, forms.Form):
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs=TIME))
    place = forms.CharField(label=_("Place"), max_length=200)
    mediators = forms.MultipleChoiceField(
        label=_("Mediators"), required=False, widget=Checks,
        help_text=_("Who will mediate; none chosen: you."),
    )  # fmt: skip
    parties = forms.MultipleChoiceField(label=_("Parties to notify"), required=False, widget=Checks)

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._mediators = {str(u.pk): u for u in eligible_mediators(case)}
        self.fields["mediators"].choices = [(pk, _user_label(u)) for pk, u in self._mediators.items()]
        if str(user.pk) in self._mediators:
            self.fields["mediators"].initial = [str(user.pk)]
        self._parties = {str(p.pk): p for p in case.parties.all()}
        self.fields["parties"].choices = [(pk, str(p)) for pk, p in self._parties.items()]
        self.fields["parties"].initial = list(self._parties)
        self.fields["place"].initial = getattr(case, "place", "")

    def clean(self):
        data = self._starts_at(super().clean())
        data["mediators"] = [self._mediators[pk] for pk in data.get("mediators") or ()]
        data["parties"] = [self._parties[pk] for pk in data.get("parties") or ()]
        return data


class RescheduleForm(_PendingMixin, _WhenMixin, BootstrapMixin, forms.Form):
    scheduled = forms.ChoiceField(label=_("Scheduled session"))
    date = BoundedDateField(label=_("New date"), widget=forms.DateInput(attrs=DATE))
    time = forms.TimeField(label=_("New time"), widget=forms.TimeInput(attrs=TIME))
    place = forms.CharField(
        label=_("New place"), max_length=200, required=False, help_text=_("Left blank: the same place.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending(case)

    def clean(self):
        return self._chosen(self._starts_at(super().clean()))


class CancelSessionForm(_PendingMixin, BootstrapMixin, forms.Form):
    scheduled = forms.ChoiceField(label=_("Scheduled session"))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending(case)

    def clean(self):
        return self._chosen(super().clean())


class NotifyPartiesForm(_PendingMixin, BootstrapMixin, forms.Form):
    scheduled = forms.ChoiceField(label=_("Scheduled session"))
    parties = forms.MultipleChoiceField(label=_("Parties notified"), widget=Checks)
    method = forms.ChoiceField(
        label=_("Method"), choices=NoticeMethod.choices,
        help_text=_("A text message is sent now to each party's phone on this case."),
    )  # fmt: skip
    notified_at = BoundedDateTimeField(
        label=_("Notified at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
        help_text=_("For a text message: now, whatever is typed."),
    )  # fmt: skip

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending(case)
        self._parties = {str(p.pk): p for p in case.parties.all()}
        self.fields["parties"].choices = [(pk, str(p)) for pk, p in self._parties.items()]

    def clean(self):
        data = self._chosen(super().clean())
        data["parties"] = [self._parties[pk] for pk in data.get("parties") or ()]
        return data
