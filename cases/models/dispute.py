"""Disputes (矛盾纠纷): the case type of people's mediation, extending the case core."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.core import Case


class DisputeCategory(models.Model):
    """The standard categories of the 司法局 monthly report (domain.md 3.7); admin-editable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dispute category")
        verbose_name_plural = _("dispute categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class RiskLevel(models.Model):
    """Four-colour risk grading (红橙黄蓝) mapped to a response time and an escalation level."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20)
    response_hours = models.PositiveSmallIntegerField(_("response time (hours)"))
    escalate_to_level = models.PositiveSmallIntegerField(
        _("handled at level"),
        help_text=_("3 = county, 4 = town, 5 = village"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("risk level")
        verbose_name_plural = _("risk levels")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class DisputeSource(models.TextChoices):
    GRID_INSPECTION = "grid_inspection", _("grid inspection")
    WALK_IN = "walk_in", _("walk-in")
    APPLICATION = "application", _("party's application")
    PHONE = "phone", _("phone")
    REFERRED_COURT = "referred_court", _("referred by a court")
    REFERRED_POLICE = "referred_police", _("referred by the police")
    REFERRED_PETITION = "referred_petition", _("referred by the petition office")
    REFERRED_DEPARTMENT = "referred_department", _("referred by a department")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    REFERRED = "referred", _("referred elsewhere")
    ASSIGNED = "assigned", _("assigned")
    MEDIATING = "mediating", _("mediating")
    AGREED = "agreed", _("agreed, performance supervised")
    TERMINATED = "terminated", _("mediation terminated")
    PERFORMED = "performed", _("performed")
    FOLLOWED_UP = "followed_up", _("followed up")
    ARCHIVED = "archived", _("archived")


class TerminationRoute(models.TextChoices):
    """The route the parties were told of when mediation failed (人民调解法 §26)."""

    LITIGATION = "litigation", _("litigation")
    ARBITRATION = "arbitration", _("arbitration")
    ADMINISTRATIVE = "administrative", _("administrative procedure")
    OTHER = "other", _("other")


class Dispute(Case):
    STATUS_LABELS = dict(DisputeStatus.choices)

    source = models.CharField(_("source"), max_length=30, choices=DisputeSource.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    category = models.ForeignKey(
        DisputeCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    risk_level = models.ForeignKey(
        RiskLevel, verbose_name=_("risk level"), on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("facts and demands"), blank=True)
    amount = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    termination_route = models.CharField(
        _("route the parties were told"), max_length=20, choices=TerminationRoute.choices, blank=True
    )
    prevented_criminal_case = models.BooleanField(_("prevented a criminal case (防止民转刑)"), default=False)
    prevented_mass_petition = models.BooleanField(_("prevented a mass petition"), default=False)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def get_status_display(self):
        return self.STATUS_LABELS.get(self.status, self.status)
