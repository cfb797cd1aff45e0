"""Deadline rules and deadlines."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.i18n import localized
from cases.models.core import Case


class PeriodUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar", _("calendar days")
    WORKING_DAYS = "workday", _("working days")


class DeadlineRule(models.Model):
    """A time limit: amount, unit and counting rule, with its legal basis.

    ``region_prefix`` lets a province or county configure a stricter rule; the most specific rule
    (longest matching prefix) wins.
    """

    code = models.CharField(_("code"), max_length=50)
    region_prefix = models.CharField(_("applies to region code prefix"), max_length=12, blank=True)
    label = models.CharField(_("name"), max_length=100)
    label_en = models.CharField(_("English name"), max_length=120, blank=True, db_default="", default="")
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=10, choices=PeriodUnit.choices)
    roll_forward = models.BooleanField(_("roll past non-working days"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code", "region_prefix"]
        constraints = [models.UniqueConstraint(fields=["code", "region_prefix"], name="deadlinerule_unique")]

    def __str__(self):
        return localized(self, "label")


class DeadlineState(models.TextChoices):
    OPEN = "open", _("open")
    MET = "met", _("met")
    CANCELLED = "cancelled", _("cancelled")
    # The clock stands still (a hearing during 复核, 信访工作条例 §36 ¶2): no reminder, not overdue,
    # not the case's next due date; resuming moves the due date by the days paused.
    PAUSED = "paused", _("paused")


class Deadline(models.Model):
    """One obligation on a case with its due date.

    When it closes, ``met_on_time`` and ``elapsed_days`` are frozen: statistics read them, so a later
    calendar edit never rewrites history.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due at"))
    estimated = models.BooleanField(_("estimated"), default=False)
    extended_days = models.PositiveSmallIntegerField(_("extended by (days)"), default=0)
    # Days the clock stood still (closed pauses) and the day the open pause began.
    paused_days = models.PositiveSmallIntegerField(_("paused (days)"), default=0, db_default=0)
    paused_on = models.DateField(_("paused since"), null=True, blank=True)
    computation = models.CharField(_("how it was computed"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_on_time = models.BooleanField(_("met on time"), null=True, blank=True)
    elapsed_days = models.IntegerField(_("elapsed days"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=models.Q(state="open")),
            models.Index(fields=["case", "state"], name="deadline_case_state"),
            # Monthly statistics: limits that fell due in a period, and those still unmet at its end
            # (reporting.petition_passes.deadline_counts).
            models.Index(fields=["due_date"], name="deadline_due_date"),
            models.Index(fields=["met_at"], name="deadline_met_at"),
            # ... and those never met (open ones, not the cancelled), which no other index narrows:
            # without it a province's figures read all 5.5M deadlines.
            models.Index(
                fields=["due_date"],
                name="deadline_unmet_due",
                condition=models.Q(met_at__isnull=True) & ~models.Q(state="cancelled"),
            ),
        ]

    def __str__(self):
        return f"{self.rule.label} {self.due_date}"

    @property
    def days_left(self) -> int:
        """Calendar days from today (Asia/Shanghai) to the due date; negative when overdue."""
        from django.utils import timezone

        return (self.due_date - timezone.localdate()).days

    @property
    def tone(self) -> str:
        """Bootstrap colour: red when overdue, orange within 3 days, green otherwise, grey when closed."""
        if self.state != DeadlineState.OPEN:
            return "secondary"
        if self.days_left < 0:
            return "danger"
        return "warning" if self.days_left <= 3 else "success"
