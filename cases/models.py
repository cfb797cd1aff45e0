"""The case core shared by every case type, and the working-day calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("dispute")
    PETITION = "petition", _("petition")


class Case(models.Model):
    """What every case type shares. Dispute and petition extend it one-to-one.

    Deadlines, timeline entries, attachments and party links point here, so the scanner, the inbox,
    the dashboard and the scoping rule (accounts.scoping) are written once, over one indexed table.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    number = models.CharField(_("case number"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    status = models.CharField(_("status"), max_length=32)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="case_number_unique"
            )
        ]
        indexes = [
            # Open cases by due time: the inbox, the dashboard and the deadline scanner.
            models.Index(
                fields=["next_due_at"], name="case_open_due", condition=models.Q(closed_at__isnull=True)
            ),
            models.Index(fields=["handling_unit", "status"], name="case_unit_status"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
        ]

    def __str__(self):
        return self.number or self.summary or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian grant to one user, with a real foreign key (indexed joins, no casts)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian grant to a unit's group: how 交办/转送 gives another unit access."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CalendarYear(models.Model):
    """A year whose holiday schedule is known (published by the State Council)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that departs from the Mon-Fri rule: a statutory holiday or a 调休 working day.

    Weekend days inside a holiday period are stored too (with the holiday's name) so that the
    calendar page can show the whole period; they change no arithmetic.
    """

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class WorkerHeartbeat(models.Model):
    """Last time a background worker proved it runs (the beat-scheduled heartbeat task)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_seen = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} {self.last_seen:%Y-%m-%d %H:%M}"
