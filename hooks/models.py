"""Outbound webhooks (issue 19): who receives which events, and the outbox of what is owed to each.

A ``Delivery`` row is written in the transaction of the change it reports (hooks.events), so a step
that rolls back owes nothing; the worker sends it after the commit (hooks.sender), strictly in the
order of ``seq`` per (subscription, case).
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CASE_CREATED = "case.created", _("case created")
    STATUS_CHANGED = "case.status_changed", _("status changed")
    DEADLINE_OVERDUE = "deadline.overdue", _("deadline overdue")
    REPLY_DELIVERED = "reply.delivered", _("reply delivered")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """One receiving system (a 12345 platform, a county's 信访信息系统 gateway…)."""

    name = models.CharField(_("receiving system"), max_length=100)
    url = models.URLField(_("webhook address"), max_length=500)
    # Shared with the receiver, who checks the signature with it (docs/webhooks.md).
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    events = models.JSONField(_("events"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Jurisdiction: only cases under this region (Region.prefix) and/or cases this unit may see
    # (accounts.scoping_pairs.units_seeing, §30 exclusion included). Neither: every case.
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    # Gave up after HOOK_MAX_ATTEMPTS; later events of the same case wait until "retry now".
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    # 1, 2, 3… per (subscription, case): the receiver gets them in this order and can see a gap.
    seq = models.PositiveIntegerField(_("sequence"))
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    # What caused it ("timeline:<id>", "reminder:<id>"): one delivery per subscription and cause.
    source = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "case", "seq"], name="hook_delivery_seq"),
            models.UniqueConstraint(fields=["subscription", "source"], name="hook_delivery_source"),
        ]
        indexes = [
            # The beat's look for due heads reads only undelivered rows.
            models.Index(
                fields=["subscription", "case", "seq"],
                name="hook_delivery_open",
                condition=~models.Q(status="delivered"),
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.event} #{self.seq}"


class Cursor(models.Model):
    """How far a scan of another app's rows has read (the overdue reminders)."""

    name = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("webhook cursor")
        verbose_name_plural = _("webhook cursors")

    def __str__(self):
        return f"{self.name}: {self.last_id}"
