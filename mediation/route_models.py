"""The records of 多元化解 (mediation.routes): a dispute's routes to other channels and their results,
and joint mediations (联合调解), with their choices. mediation.models imports them (the dispute is
named by string here, so this module imports nothing of that one)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RouteChannel(models.TextChoices):
    """多元化解: where a dispute may be sent besides the people's mediation committee of its place."""

    COMMITTEE = "committee", _("industry or professional mediation committee")
    COURT = "court", _("court, pre-litigation mediation")
    ADMINISTRATIVE = "administrative", _("administrative mediation")
    ARBITRATION = "arbitration", _("arbitration")


class RouteField(models.TextChoices):
    """The field of an industry or professional committee (行业性专业性调委会)."""

    LABOUR = "labour", _("labour disputes")
    MEDICAL = "medical", _("medical disputes")
    TRAFFIC = "traffic", _("traffic accidents")
    PROPERTY = "property", _("property management")
    FAMILY = "family", _("marriage and family")
    OTHER = "other", _("other field")


class RouteOutcome(models.TextChoices):
    SUCCESS = "success", _("mediated successfully")
    FAILED = "failed", _("not mediated")
    OTHER = "other", _("ended otherwise")


class InvitedCapacity(models.TextChoices):
    """人民调解法 §20: the committee may invite relatives, neighbours, colleagues, or people with
    expertise and experience (experts, lawyers) to take part in a mediation."""

    EXPERT = "expert", _("expert")
    LAWYER = "lawyer", _("lawyer")
    OTHER = "other", _("other")


class DisputeRoute(models.Model):
    """One route of a dispute (多元化解): to an industry or professional committee, to a court for
    pre-litigation mediation (诉前委派调解, with the court's case number), to an administrative department
    (行政调解) or to arbitration, with the reason; and the result that came back. The receiving unit
    is granted the case (交办, accounts.scoping.grant_case_to_unit); a body outside the portal (a court,
    an arbitration commission) is named, and the sending side records its result."""

    dispute = models.ForeignKey("mediation.Dispute", on_delete=models.PROTECT, related_name="routes")
    channel = models.CharField(_("channel"), max_length=20, choices=RouteChannel.choices)
    field = models.CharField(_("field"), max_length=20, choices=RouteField.choices, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("receiving unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    body_name = models.CharField(_("receiving body"), max_length=100)
    court_case_number = models.CharField(_("court case number"), max_length=60, blank=True)
    reason = models.TextField(_("reason"))
    routed_on = models.DateField(_("routed on"))
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("result"), max_length=20, choices=RouteOutcome.choices, blank=True)
    result = models.TextField(_("what came back"), blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute route")
        verbose_name_plural = _("dispute routes")
        ordering = ["dispute", "routed_on", "pk"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.body_name}"


class JointMediation(models.Model):
    """联合调解: several units and mediators mediate one dispute together; every named unit (and the
    unit of every named mediator) is granted the case, so all of them see it and record sessions.
    Lawyers and experts outside the portal are named with their capacity (人民调解法 §20)."""

    dispute = models.ForeignKey(
        "mediation.Dispute", on_delete=models.PROTECT, related_name="joint_mediations"
    )
    units = models.ManyToManyField("accounts.Unit", verbose_name=_("units"), related_name="+")
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), related_name="+", blank=True
    )
    reason = models.TextField(_("reason"))
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint mediation")
        verbose_name_plural = _("joint mediations")
        ordering = ["dispute", "started_on", "pk"]

    def __str__(self):
        return f"{self.dispute_id} {self.started_on}"


class JointParticipant(models.Model):
    """A lawyer, expert or other person outside the portal taking part in a joint mediation."""

    joint = models.ForeignKey(JointMediation, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.CharField(_("capacity"), max_length=10, choices=InvitedCapacity.choices)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("joint mediation participant")
        verbose_name_plural = _("joint mediation participants")
        ordering = ["joint", "pk"]

    def __str__(self):
        return f"{self.name}（{self.get_capacity_display()}）"
