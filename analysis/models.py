"""Early warnings (研判预警, issue 18): the rules an administrator configures, the warnings the scan
raises from them, each warning's own timeline, and the scan's watermark.

A warning is not a case: it points at the cases behind a pattern (``evidence``) and, once handled,
at the cases the handling unit linked (``linked``). Where it lies (``region``) and who must act on
it (``unit``) decide who sees it (accounts.scoping.visible_warnings), as a case's region and
handling unit do. No warning is built on a case withheld from a unit (信访工作条例 §30): a pattern
would tell the accused unit that the accusation exists.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from analysis.events import Event
from cases.i18n import localized


class RuleKind(models.TextChoices):
    SURGE = "surge", _("surge of new cases in a place")
    REPEAT_PERSON = "repeat_person", _("one person, many cases")
    CONVERSION = "conversion", _("a dispute turned petition")
    RETURNING = "returning", _("a finalised petitioner comes again")
    COLLECTIVE = "collective", _("one respondent, many people")
    LARGE_VISIT = "large_visit", _("a visit of many people")
    RISK_RESPONSE = "risk_response", _("risk level not responded to in time")
    OVERDUE_CLUSTER = "overdue_cluster", _("a unit's overdue cases jump")
    OVERDUE_RATE = "overdue_rate", _("a unit's overdue rate jumps")


class WarningRule(models.Model):
    """One early-warning rule, configured in the admin (seeded by migration 0002). What each number
    means depends on the kind (docs/analysis.md); a rule switched off raises nothing."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True, default="")
    enabled = models.BooleanField(_("on"), default=True)
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"),
        help_text=_("Surge: the recent period; one person or respondent: the period counted."),
    )
    baseline_days = models.PositiveSmallIntegerField(
        _("baseline (days)"),
        default=365,
        help_text=_("Surge: the period before the window the baseline is read from."),
    )
    min_count = models.PositiveSmallIntegerField(
        _("minimum count"),
        help_text=_(
            "Surge: never fewer new cases than this; one person: cases; one respondent: distinct people; "
            "a visit: people."
        ),
    )
    significance = models.DecimalField(
        _("significance"), max_digits=6, decimal_places=5, default="0.00100",
        help_text=_("Surge: how unlikely the count must be under the place's own baseline (Poisson)."),
    )  # fmt: skip
    rate_points = models.DecimalField(
        _("rate jump (percentage points)"), max_digits=5, decimal_places=2, default="20.00",
        help_text=_(
            "Overdue rate: how many percentage points a unit's share of open cases past due must rise "
            "above its own mean of the window."
        ),
    )  # fmt: skip
    responsible_level = models.PositiveSmallIntegerField(
        _("sent to level"),
        default=3,
        help_text=_("The governance centre told first: 3 = county, 4 = town, 5 = village."),
    )
    notify_roles = models.JSONField(_("who is told"), default=list, blank=True)
    risk_levels = models.ManyToManyField(
        "mediation.RiskLevel", verbose_name=_("risk levels watched"), blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["position", "pk"]

    def __str__(self):
        return localized(self)


class WarningStatus(models.TextChoices):
    RAISED = "raised", _("raised, to be signed for")
    SIGNED = "signed", _("signed for")
    HANDLED = "handled", _("handled")
    CLOSED = "closed", _("closed")


class EarlyWarning(models.Model):
    STATUS_LABELS = dict(WarningStatus.choices)
    # What cases.transitions says when a step comes after the state moved on.
    CONFLICT = _("This warning is now “%(status)s”; “%(action)s” is no longer possible. Reload the page.")

    rule = models.ForeignKey(WarningRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    # The pattern: the same key never has two warnings open at once (the constraint below).
    pattern_key = models.CharField(max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.RAISED
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what was found"))
    facts = models.JSONField(default=dict, blank=True)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    sent_by_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases behind it"), blank=True, related_name="+"
    )
    linked = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases linked in handling"), blank=True, related_name="+"
    )
    # The newest case behind the pattern: a pattern raises again after its warning closed only with
    # a newer case, so re-reading the same cases (an overlapping scan) raises nothing.
    evidence_until = models.DateTimeField()
    raised_at = models.DateTimeField(_("raised at"))
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling = models.TextField(_("handling"), blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern_key"],
                condition=~models.Q(status="closed"),
                name="warning_one_open_per_pattern",
            )
        ]
        indexes = [
            # A jurisdiction's warnings: the region branch of visible_warnings is a prefix match.
            models.Index(fields=["region"], name="warning_region", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["unit", "status"], name="warning_unit_status"),
            models.Index(fields=["pattern_key", "evidence_until"], name="warning_pattern"),
        ]

    def __str__(self):
        return self.title

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != WarningStatus.CLOSED


class WarningEvent(Event):
    """A warning's timeline: raised, sent, signed for, handled, closed — who, when, what changed.
    Append-only like the case timeline (migration 0001 puts the database's trigger on it)."""

    warning = models.ForeignKey(EarlyWarning, on_delete=models.PROTECT, related_name="events")
    before = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("warning event")
        verbose_name_plural = _("warning events")
        ordering = ["warning", "at", "pk"]

    def __str__(self):
        return f"{self.warning_id} {self.action}"


class ScanWatermark(models.Model):
    """How far the warning scan has read: cases created up to ``scanned_until`` were looked at. The
    scan locks this row for its run, so two scans take turns."""

    name = models.CharField(max_length=40, unique=True)
    scanned_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_raised = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scan watermark")
        verbose_name_plural = _("scan watermarks")

    def __str__(self):
        return f"{self.name} {self.scanned_until}"


class OverdueDay(models.Model):
    """A day on which the scan counted every unit's overdue cases (the first scan of the day): the
    overdue-cluster rule compares a unit's count now with its mean over such days."""

    day = models.DateField(unique=True)
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = _("overdue count day")
        verbose_name_plural = _("overdue count days")
        ordering = ["-day"]

    def __str__(self):
        return str(self.day)


class OverdueCount(models.Model):
    """One unit's open cases and open overdue cases on a counted day; a unit with no open case has no
    row (it counts 0 of 0). Rows counted before migration 0006 hold no open count (null): the rate
    rule leaves such days out."""

    day = models.ForeignKey(OverdueDay, on_delete=models.CASCADE, related_name="counts")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    overdue = models.PositiveIntegerField()
    open_cases = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("overdue count")
        verbose_name_plural = _("overdue counts")
        constraints = [models.UniqueConstraint(fields=["day", "unit"], name="overdue_count_unique")]

    def __str__(self):
        return f"{self.day_id} {self.unit_id} {self.overdue}"


# Key persons and 包案 live in their own module (the file would pass 400 lines).
from analysis.duty_models import (  # noqa: E402, F401
    DutyReminder,
    DutyReminderStage,
    KeyPerson,
    KeyPersonEvent,
    KeyPersonReason,
    KeyPersonStatus,
    Responsibility,
    ResponsibilityEvent,
    ResponsibilityStatus,
)
from analysis.link_models import Conversion  # noqa: E402, F401
