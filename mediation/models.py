"""The people's mediation case type (人民调解): disputes (矛盾纠纷) extending the case core, their
categories and risk levels, mediation sessions, the agreement (written or oral), judicial confirmation and
follow-up visits (人民调解法 §§22-33; domain.md 3.3-3.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.i18n import localized
from cases.models import Case, Satisfaction

# The routes and joint mediations (多元化解) and their choices live in their own module; imported here
# so that Django finds the models and the rest of the code imports them from here as before.
from mediation.route_models import (  # noqa: F401
    DisputeRoute,
    InvitedCapacity,
    JointMediation,
    JointParticipant,
    RouteChannel,
    RouteField,
    RouteOutcome,
)


class DisputeCategory(models.Model):
    """The standard categories of the 司法局 monthly report (domain.md 3.7); admin-editable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True, db_default="", default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "cases_disputecategory"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("dispute category")
        verbose_name_plural = _("dispute categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return localized(self)


class RiskLevel(models.Model):
    """Four-colour risk grading (红橙黄蓝) mapped to a response time and an escalation level."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20)
    name_en = models.CharField(_("English name"), max_length=60, blank=True, db_default="", default="")
    response_hours = models.PositiveSmallIntegerField(_("response time (hours)"))
    escalate_to_level = models.PositiveSmallIntegerField(
        _("handled at level"),
        help_text=_("3 = county, 4 = town, 5 = village"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "cases_risklevel"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("risk level")
        verbose_name_plural = _("risk levels")
        ordering = ["position", "pk"]

    def __str__(self):
        return localized(self)


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
    # 多元化解 (mediation.routes): out with another body, and back with its result.
    ROUTED = "routed", _("routed to another channel")
    ROUTE_RETURNED = "route_returned", _("result back from the channel")


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
    # The latest route (多元化解, mediation.routes), kept on the dispute: the receiving unit's steps
    # are guarded by it without a query, and the statistics by route read it without a join.
    route_channel = models.CharField(
        _("routed to"), max_length=20, choices=RouteChannel.choices, blank=True, db_default=""
    )
    route_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("receiving unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    route_outcome = models.CharField(
        _("result of the route"), max_length=20, choices=RouteOutcome.choices, blank=True, db_default=""
    )
    route_days = models.PositiveIntegerField(_("days out on the route"), null=True, blank=True)

    class Meta:
        db_table = "cases_dispute"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def get_status_display(self):
        return self.STATUS_LABELS.get(self.status, self.status)


class SessionOutcome(models.TextChoices):
    CONTINUE = "continue", _("to be continued")
    AGREED = "agreed", _("agreement reached")
    FAILED = "failed", _("no agreement")


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="sessions")
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


class InvitedParticipant(models.Model):
    """Someone outside the mediators who took part in a session at the committee's invitation."""

    session = models.ForeignKey(MediationSession, on_delete=models.CASCADE, related_name="invited")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.CharField(_("capacity"), max_length=10, choices=InvitedCapacity.choices)

    class Meta:
        verbose_name = _("invited participant")
        verbose_name_plural = _("invited participants")
        ordering = ["session", "pk"]

    def __str__(self):
        return f"{self.name}（{self.get_capacity_display()}）"


class RiskRecipient(models.TextChoices):
    POLICE = "police", _("police station")
    TOWNSHIP = "township", _("township government")
    OTHER = "other", _("other department")


class RiskReport(models.Model):
    """人民调解法 §25: a dispute that may turn violent (治安案件、刑事案件) is reported at once to the
    local police or another competent body; the report counts towards 防止民转刑."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="risk_reports")
    recipient_kind = models.CharField(_("reported to"), max_length=10, choices=RiskRecipient.choices)
    recipient_name = models.CharField(_("name of the body"), max_length=100)
    reported_at = models.DateTimeField(_("reported at"))
    content = models.TextField(_("what was reported"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk report")
        verbose_name_plural = _("risk reports")
        ordering = ["dispute", "reported_at", "pk"]

    def __str__(self):
        return f"{self.get_recipient_kind_display()} {self.recipient_name}"


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

    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT, related_name="agreement")
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
    # 司法确认: the court's case number of the application and what its ruling said.
    confirmation_case_number = models.CharField(
        _("court case number"), max_length=60, blank=True, db_default=""
    )
    confirmation_result = models.CharField(_("court's ruling"), max_length=300, blank=True, db_default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self):
        return f"{self.get_form_display()} {self.dispute_id}"


class FollowUp(models.Model):
    """回访 record (domain.md 3.5)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="follow_ups")
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


class ScheduledState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class ScheduledSession(models.Model):
    """A mediation session arranged ahead (预约调解): when, where, which mediators, which parties to
    tell. Recording the session (the ``record_session`` step) fills it: it becomes ``held`` and
    points at the ``MediationSession`` record; it may be moved or cancelled with a reason (the
    timeline keeps both). The mediators are reminded the day before (mediation.session_reminders)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="scheduled_sessions")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), related_name="+"
    )
    parties = models.ManyToManyField(
        "cases.CaseParty", verbose_name=_("parties to notify"), related_name="+", blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ScheduledState.choices, default=ScheduledState.SCHEDULED,
        db_default=ScheduledState.SCHEDULED,
    )  # fmt: skip
    session = models.OneToOneField(
        MediationSession, null=True, blank=True, on_delete=models.PROTECT, related_name="scheduled"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True, db_default="")
    # The day-before reminder was written (in the transaction that wrote the mediators' notices).
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled session")
        verbose_name_plural = _("scheduled sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.dispute_id} {self.starts_at:%Y-%m-%d %H:%M}"


class NoticeMethod(models.TextChoices):
    SMS = "sms", _("text message")
    PHONE = "phone", _("by phone")
    IN_PERSON = "in_person", _("in person")
    LETTER = "letter", _("written notice")


class SessionNotice(models.Model):
    """A party told of a scheduled session: how and when (a text message goes through the SMS
    gateway, supervision.notify.sms_gateway; ``sms_sent_at`` says it was accepted)."""

    scheduled = models.ForeignKey(ScheduledSession, on_delete=models.CASCADE, related_name="notices")
    party = models.ForeignKey("cases.CaseParty", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=NoticeMethod.choices)
    notified_at = models.DateTimeField(_("notified at"))
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session notice")
        verbose_name_plural = _("session notices")
        ordering = ["scheduled", "notified_at", "pk"]

    def __str__(self):
        return f"{self.party_id} {self.get_method_display()}"


class DisputeEvaluation(models.Model):
    """A party's own evaluation of the handling (满意 / 基本满意 / 不满意), given through the public
    channel once the dispute was concluded (agreement or termination); feeds the monthly 参评率 and
    满意率 (reporting.mediation_stats)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evaluations")
    value = models.CharField(_("evaluation"), max_length=20, choices=Satisfaction.choices)
    given_on = models.DateField(_("date"))
    way = models.CharField(_("way given"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute evaluation")
        verbose_name_plural = _("dispute evaluations")

    def __str__(self):
        return self.value
