"""Mediation of a dispute: sessions, the agreement (written or oral), judicial confirmation and
follow-up visits (人民调解法 §§22-33; domain.md 3.3-3.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Satisfaction


class SessionOutcome(models.TextChoices):
    CONTINUE = "continue", _("to be continued")
    AGREED = "agreed", _("agreement reached")
    FAILED = "failed", _("no agreement")


class MediationSession(models.Model):
    dispute = models.ForeignKey("cases.Dispute", on_delete=models.PROTECT, related_name="sessions")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), related_name="+"
    )
    attendees = models.CharField(_("attendees"), max_length=500)
    record = models.TextField(_("record (笔录)"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=SessionOutcome.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["dispute", "held_at", "pk"]

    def __str__(self):
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("written agreement")
    ORAL = "oral", _("oral agreement")


class ConfirmationState(models.TextChoices):
    NONE = "none", _("not applied")
    APPLIED = "applied", _("applied")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", _("refused")


class Agreement(models.Model):
    """调解协议 (§29) or an oral agreement recorded by the mediator (§28, §30)."""

    dispute = models.OneToOneField("cases.Dispute", on_delete=models.PROTECT, related_name="agreement")
    form = models.CharField(_("form"), max_length=10, choices=AgreementForm.choices)
    terms = models.TextField(_("agreed terms"))
    responsibilities = models.TextField(_("facts and each party's responsibility"), blank=True)
    performance_manner = models.CharField(_("manner of performance"), max_length=200, blank=True)
    performance_place = models.CharField(_("place of performance"), max_length=200, blank=True)
    performance_due = models.DateField(_("performance due"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    effective_date = models.DateField(_("effective date"))
    # Signatures are captured as who signed and when (§29: parties sign, mediator signs, seal).
    signed_by = models.TextField(_("signed by (one per line: name, date)"), blank=True)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    performance_note = models.CharField(_("performance note"), max_length=300, blank=True)
    confirmation_state = models.CharField(
        _("judicial confirmation"),
        max_length=10,
        choices=ConfirmationState.choices,
        default=ConfirmationState.NONE,
    )
    confirmation_applied_on = models.DateField(_("applied on"), null=True, blank=True)
    confirmation_court = models.CharField(_("court"), max_length=100, blank=True)
    confirmation_decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self):
        return f"{self.get_form_display()} {self.dispute_id}"


class FollowUp(models.Model):
    """回访 record (domain.md 3.5)."""

    dispute = models.ForeignKey("cases.Dispute", on_delete=models.PROTECT, related_name="follow_ups")
    date = models.DateField(_("date"))
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=[("visit", _("home visit")), ("phone", _("phone")), ("meeting", _("meeting"))],
    )
    performance = models.CharField(_("performance of the agreement"), max_length=300, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    new_risks = models.CharField(_("new risks"), max_length=300, blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["dispute", "date", "pk"]

    def __str__(self):
        return f"{self.dispute_id} {self.date}"
