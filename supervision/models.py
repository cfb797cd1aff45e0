"""Reminders, in-app notifications and supervision orders (督办单).

Deciding and sending are separate steps: the scanner inserts ``Reminder`` rows under a unique key,
the sender claims pending rows and creates the in-app notifications in the same transaction that
marks them sent. A scan that runs twice, two scanners at once, or a worker killed in the middle
neither loses nor duplicates a reminder.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.core import Case
from cases.models.deadlines import Deadline
from supervision.order_text import required_action


class ReminderStage(models.TextChoices):
    DUE_IN_3_WORKDAYS = "due_3", _("due within 3 working days")
    DUE_TOMORROW = "due_tomorrow", _("due tomorrow")
    DUE_TODAY = "due_today", _("due today")
    OVERDUE = "overdue", _("overdue")
    ESCALATED = "escalated", _("escalated to the supervisor")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")


class Reminder(models.Model):
    # No index of its own: the unique constraint below starts with the deadline and answers every
    # lookup by it, and the scan writes each index once per reminder (docs/performance.md). No
    # per-row key either: on PostgreSQL triggers check each statement's reminders at once
    # (migration 0011 says how a deleted deadline is still never named).
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False, db_constraint=False
    )
    stage = models.CharField(_("stage"), max_length=20, choices=ReminderStage.choices)
    # The due date the reminder was decided for: when a deadline moves, its pending reminders are
    # dropped and the next scan decides again for the new date.
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "cases_reminder"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage", "due_date"], name="reminder_unique_stage")
        ]
        indexes = [
            # send() claims pending reminders in id order; an index in that order lets it skip the
            # millions already sent instead of walking past them (one index write per reminder either way).
            models.Index(fields=["id"], name="reminder_pending_id", condition=models.Q(state="pending"))
        ]

    def __str__(self):
        return f"{self.deadline_id} {self.stage}"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("deadline reminder")
    DIGEST = "digest", _("daily digest")
    HANDOFF = "handoff", _("hand-off")
    # A case type's appointment the day before (mediation: a scheduled mediation session).
    CALENDAR = "calendar", _("calendar reminder")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # The reminders a reminder digest names, in the row itself (one id each, appended batch by batch
    # in the transaction that marks them sent): a link row per reminder and recipient, with its
    # deferred foreign-key checks at commit, was a third of a delivery run (docs/performance.md).
    # Migration 0005 moved the link table's rows here.
    reminder_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Outbox for the outside channels (supervision.notify): set when the notification is written, cleared
    # after the e-mail or SMS went out. The in-app row itself is the exactly-once record.
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    sms_pending = models.BooleanField(default=False)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    # While a delivery run is still adding reminders to this digest (one per recipient per run, over
    # all its batches), its e-mail and SMS wait: the outbox skips the row until the run ends and clears
    # this. A run killed midway leaves it set, and the outbox sends what was committed after this time.
    held_until = models.DateTimeField(null=True, blank=True)
    # The working day a supervisors' daily digest is for: one per user and day, however often beat fires.
    digest_of = models.DateField(null=True, blank=True)
    # The cases the text names. Checked against the one rule when the notification is written, and
    # again whenever it is delivered (e-mail, SMS, the notification centre): a user moved to another
    # unit or deactivated, or a case withheld since (信访工作条例 §30), and it is not shown.
    case_ids = models.JSONField(default=list, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=NotificationKind.choices, default=NotificationKind.REMINDER
    )
    # The page to act on (a case page for a hand-off); the notification centre and the inbox link it.
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The case a hand-off is about (a digest names several in case_ids and has none here).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The workflow step of a hand-off (forward, object, request_review …).
    action = models.CharField(_("action"), max_length=40, blank=True)

    class Meta:
        db_table = "cases_notification"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "created_at"], name="notification_unread", condition=models.Q(read_at=None)
            ),
            models.Index(
                fields=["user", "kind"], name="notification_unread_kind", condition=models.Q(read_at=None)
            ),
            models.Index(
                fields=["id"],
                name="notification_outbox",
                condition=models.Q(email_pending=True) | models.Q(sms_pending=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "digest_of"],
                condition=models.Q(digest_of__isnull=False),
                name="notification_one_digest_a_day",
            )
        ]

    def __str__(self):
        return self.title

    def named_reminders(self):
        """The reminders this digest names (reminder_ids, and those of parts not folded in yet)."""
        return Reminder.objects.filter(pk__in=named_reminder_ids(Notification.objects.filter(pk=self.pk)))


class DigestChunk(models.Model):
    """What a later batch of a delivery run adds to the digests of everyone it addresses as one list
    (a unit's members, a handler with the place's supervisors): the lines, the cases and the reminder
    ids, written once for all of them. Their digests point at it through a DigestPart each."""

    body = models.TextField()
    case_ids = models.JSONField(default=list)
    reminder_ids = models.JSONField(default=list)

    def __str__(self):
        return f"+{len(self.reminder_ids)}"


class DigestPart(models.Model):
    """What a later batch of a delivery run adds to a reminder digest its first batch created: a
    chunk of lines, cases and reminder ids shared by the digests it was addressed to, written in the
    batch's transaction (the one that marks those reminders sent) as rows of their own, and folded
    into the notification when the run ends (supervision.parts.fold). Appending to the notification
    itself rewrote its whole growing text and id lists every batch: quadratic in the run; a part
    carrying its own copy of the lines wrote ~30 MB a run for 100,000 reminders, a chunk per list ~4
    (docs/performance.md)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    chunk = models.ForeignKey(DigestChunk, on_delete=models.PROTECT, related_name="parts")
    # The cases this digest names first, when some of the chunk's were named in it before; null: all.
    case_ids = models.JSONField(null=True, blank=True)

    def __str__(self):
        return f"{self.notification_id}+{self.chunk_id}"


def named_reminder_ids(notifications) -> list[int]:
    """The reminder ids the given notifications name, once per naming (a reminder named by two
    digests is listed twice): what a link row per (notification, reminder) used to say. Parts not
    yet folded in (a run still going, or killed before its end) count: they are committed with the
    reminders they name.

    One statement, so one snapshot: read as two, a fold committed between them (the next run folds
    what a killed one left) was missed by both, the notification read before it and the parts after."""
    folded = notifications.order_by().values_list("reminder_ids", flat=True)
    parts = DigestPart.objects.filter(notification__in=notifications.values("pk")).values_list(
        "chunk__reminder_ids", flat=True
    )
    return [r for ids in folded.union(parts.order_by(), all=True) for r in ids]


class SupervisionState(models.TextChoices):
    OPEN = "open", _("awaiting reply")
    REPLIED = "replied", _("replied")


class SupervisionOrder(models.Model):
    """督办单 (信访工作条例 §39-40): issued by hand or on escalation; the target unit replies."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervision_orders")
    deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuing_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    target_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="supervision_orders"
    )
    # 诸暨〔2026〕督字第12号 (supervision.numbering); empty on orders made before numbering.
    number = models.CharField(_("number"), max_length=40, blank=True, default="", db_default="")
    required_action = models.TextField(_("required action"))
    target_date = models.DateField(_("new target date"))
    state = models.CharField(
        _("state"), max_length=10, choices=SupervisionState.choices, default=SupervisionState.OPEN
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        db_table = "cases_supervisionorder"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-created_at"]
        constraints = [
            # One automatic order per escalated deadline.
            models.UniqueConstraint(
                fields=["deadline"], condition=models.Q(issuer__isnull=True), name="supervision_auto_unique"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="supervision_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.case_id} → {self.target_unit_id}"

    @property
    def required_action_shown(self) -> str:
        """The required action in the reader's language (an automatic order's text is rebuilt)."""
        return required_action(self)


class ScanRun(models.Model):
    """One run of the deadline scanner: shown to administrators as "last successful scan"."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "cases_scanrun"  # kept from when the model lived in cases (migration 0001)
        verbose_name = _("scan run")
        verbose_name_plural = _("scan runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} +{self.created}"
