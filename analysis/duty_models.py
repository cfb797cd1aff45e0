"""Key persons (重点人员) and leaders' personal responsibility (包案, 五定: 定领导、定部门、定人员、
定时限、定责任), issue 18. Imported by analysis.models.

A key person is a register identity (``cases.Person``, the keyed digest the repeat-person rule
counts by) put on a unit's watch list with a reason, a responsible person and a review date. Who
sees the register is decided by accounts.scoping.visible_key_persons (the responsible unit and the
units covering its region, supervisors and petition staff only); every view is recorded as a
personal data view (``cases.PersonalDataAccess``).

A responsibility (包案) puts one case or one key person under a leader: the leader, the unit, the
working staff, the time limit and the responsibility. Its timeline is append-only like the
warning's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from analysis.events import Event


class KeyPersonReason(models.TextChoices):
    REPEAT = "repeat", _("repeat petitioner")
    FINALISED = "finalised", _("finalised but still petitioning")
    SPECIAL = "special", _("special group (where the law allows)")


class KeyPersonStatus(models.TextChoices):
    ACTIVE = "active", _("on the register")
    REMOVED = "removed", _("removed from the register")


class KeyPerson(models.Model):
    CONFLICT = _("This key person is now “%(status)s”; “%(action)s” is no longer possible. Reload the page.")
    STATUS_LABELS = dict(KeyPersonStatus.choices)

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    # The register itself holds no name (cases.Person): the name is copied from the case party the
    # person was listed from, so the unit knows whom it watches. Seeing it is a logged view.
    name = models.CharField(_("name"), max_length=100)
    reason = models.CharField(_("reason"), max_length=20, choices=KeyPersonReason.choices)
    note = models.TextField(_("grounds"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=KeyPersonStatus.choices, default=KeyPersonStatus.ACTIVE
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    review_on = models.DateField(_("review date"))
    warning = models.ForeignKey(
        "analysis.EarlyWarning", null=True, blank=True, on_delete=models.SET_NULL, related_name="key_persons"
    )
    created_at = models.DateTimeField(_("listed at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        ordering = ["review_on", "pk"]
        constraints = [
            # One active listing of a person per unit: listing again from a second warning is a no-op.
            models.UniqueConstraint(
                fields=["person", "unit"], condition=Q(status="active"), name="keyperson_one_active_per_unit"
            )
        ]
        indexes = [models.Index(fields=["responsible", "status", "review_on"], name="keyperson_review")]

    def __str__(self):
        return self.name

    @property
    def number(self) -> str:
        return f"#{self.pk}"


class KeyPersonEvent(Event):
    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["key_person", "at", "pk"]

    def __str__(self):
        return f"{self.key_person_id} {self.action}"


class ResponsibilityStatus(models.TextChoices):
    OPEN = "open", _("under responsibility")
    CLOSED = "closed", _("concluded")


class Responsibility(models.Model):
    """包案: one case or one key person under a leader's personal responsibility."""

    CONFLICT = _("This 包案 is now “%(status)s”; “%(action)s” is no longer possible. Reload the page.")
    STATUS_LABELS = dict(ResponsibilityStatus.choices)

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key_person = models.ForeignKey(
        KeyPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="responsibilities"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("working staff")
    )
    due_on = models.DateField(_("time limit"))
    duty = models.TextField(_("responsibility"))
    status = models.CharField(
        _("status"), max_length=10, choices=ResponsibilityStatus.choices, default=ResponsibilityStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("leader responsibility (包案)")
        verbose_name_plural = _("leader responsibilities (包案)")
        ordering = ["due_on", "pk"]
        constraints = [
            # One open 包案 per case and per key person.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="responsibility_one_open_case"
            ),
            models.UniqueConstraint(
                fields=["key_person"], condition=Q(status="open"), name="responsibility_one_open_key_person"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False, key_person__isnull=True)
                | Q(case__isnull=True, key_person__isnull=False),
                name="responsibility_case_or_key_person",
            ),
        ]
        indexes = [models.Index(fields=["leader", "status", "due_on"], name="responsibility_leader")]

    def __str__(self):
        return self.subject

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def subject(self) -> str:
        return self.case.number if self.case_id else str(self.key_person)


class ResponsibilityEvent(Event):
    responsibility = models.ForeignKey(Responsibility, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["responsibility", "at", "pk"]

    def __str__(self):
        return f"{self.responsibility_id} {self.action}"


class DutyReminderStage(models.TextChoices):
    DUE = "due", _("time limit approaching")
    OVERDUE = "overdue", _("time limit passed")
    REVIEW_DUE = "review_due", _("review date approaching")
    REVIEW_OVERDUE = "review_overdue", _("review date passed")


class DutyReminder(models.Model):
    """One reminder decided for a 包案's time limit or a key person's review date (analysis.
    duty_reminders): at most one per subject, stage and date, so a run that comes again, or two at
    once, remind once; a date moved by a review re-arms the stages for the new date."""

    responsibility = models.ForeignKey(
        Responsibility, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key_person = models.ForeignKey(
        KeyPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=DutyReminderStage.choices)
    due_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    told = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("包案 or review reminder")
        verbose_name_plural = _("包案 and review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["responsibility", "stage", "due_on"],
                condition=Q(responsibility__isnull=False),
                name="dutyreminder_one_per_responsibility",
            ),
            models.UniqueConstraint(
                fields=["key_person", "stage", "due_on"],
                condition=Q(key_person__isnull=False),
                name="dutyreminder_one_per_key_person",
            ),
        ]

    def __str__(self):
        return f"{self.responsibility_id or self.key_person_id} {self.stage} {self.due_on}"
