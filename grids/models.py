"""The inspection ledger (排查台账): one report per grid and week, with its inspections.

A week with nothing found is an explicit zero report (零报告), not an empty row: silence is what the
reminders (grids.reminders) chase.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerReport(models.Model):
    """A grid's report for one week (Monday to Sunday)."""

    grid = models.ForeignKey(
        "accounts.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField(_("week of"))
    zero_report = models.BooleanField(_("zero report"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")
        ordering = ["grid_id", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "week_start"], name="ledger_one_report_a_week")
        ]
        indexes = [models.Index(fields=["week_start"], name="ledger_report_week")]

    def __str__(self):
        return f"{self.grid_id} {self.week_start}"


class Inspection(models.Model):
    """One inspection (排查) of a grid: the day, what was looked at, what was found, and the cases
    raised from it."""

    report = models.ForeignKey(LedgerReport, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField(_("date of inspection"))
    looked_at = models.CharField(_("what was looked at"), max_length=200)
    found = models.TextField(_("what was found"), blank=True)
    disputes_found = models.PositiveSmallIntegerField(_("disputes found"), default=0)
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases raised"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["inspected_on", "pk"]

    def __str__(self):
        return self.looked_at


class LedgerReminder(models.Model):
    """That a missing report was chased: one per grid, week and recipient, however often the scan runs."""

    grid = models.ForeignKey("accounts.Grid", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grid", "week_start", "user"], name="ledger_reminder_once")
        ]

    def __str__(self):
        return f"{self.grid_id} {self.week_start} {self.user_id}"
