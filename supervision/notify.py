"""Outside channels for notifications: e-mail through Django's e-mail backend, SMS through a gateway
a deployment plugs in.

The in-app ``Notification`` is the record; it is written exactly once, in the transaction that marks
its reminders sent. E-mail and SMS are an outbox on that row: claim one row (SKIP LOCKED), send,
mark, commit. That is *at least once*, not exactly once: a worker killed after the SMTP server (or
gateway) accepted a message and before the commit sends it again on the next run. The window is one
message per killed worker, and the e-mail's Message-ID is derived from the notification id, so a
mail client folds the copy. A failed send leaves the row pending for the next run and is logged.

A reminder digest still being written by a delivery run (``held_until``) waits for the run to end,
so its e-mail carries every reminder of the run. The callers send only within working hours
(supervision.reminders.may_send_now); the in-app notification never waits for them.

Each delivery checks the notification against the one rule again (``may_deliver``): what its user
was allowed to see when it was written they may no longer see when it goes out.
"""

import logging
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.scoping import visible_cases
from cases.models import Case
from supervision.models import Notification
from supervision.parts import fold_leftovers

logger = logging.getLogger(__name__)


@runtime_checkable
class SmsGateway(Protocol):
    """What a deployment's SMS gateway provides. Configure it with ``SMS_GATEWAY = "module.Class"``;
    the class is instantiated without arguments (read credentials from settings or the environment).

    ``send`` must raise on failure (the message then stays pending and is retried on the next run)
    and return once the gateway has accepted the message. Texts are short: the digest title only.
    """

    def send(self, recipient: str, text: str) -> None: ...


class ConsoleSmsGateway:
    """The demo's gateway (`make run` sets SMS_GATEWAY to it): prints the message, sends nothing."""

    def send(self, recipient: str, text: str) -> None:
        print(f"[SMS to {recipient}] {text}", flush=True)  # noqa: T201


def sms_gateway() -> SmsGateway | None:
    """The configured gateway, or None: no SMS is sent and none is faked."""
    path = getattr(settings, "SMS_GATEWAY", "")
    return import_string(path)() if path else None


def message_id(note: Notification) -> str:
    domain = getattr(settings, "REMINDER_MESSAGE_DOMAIN", "jiefen.local")
    return f"<notification-{note.pk}@{domain}>"


def queue_outside(note: Notification) -> Notification:
    """Mark a notification being created for e-mail/SMS according to the user's addresses."""
    note.email_pending = bool(note.user.email)
    note.sms_pending = bool(getattr(note.user, "phone", "")) and bool(getattr(settings, "SMS_GATEWAY", ""))
    return note


def may_deliver(note: Notification) -> bool:
    """Whether the notification may still reach its user, checked at each delivery: the user is
    active and may see every case it names under the one rule (accounts.scoping.visible_cases),
    as they were when it was written. A user deactivated or moved to another unit since, or a case
    withheld from their unit since (信访工作条例 §30), and it is not sent."""
    if not note.user.is_active:
        return False
    named = set(note.case_ids or ())
    return not named or visible_cases(note.user, Case.objects.filter(pk__in=named)).count() == len(named)


def _send_email(note: Notification) -> None:
    EmailMessage(
        subject=note.title, body=note.body, to=[note.user.email], headers={"Message-ID": message_id(note)}
    ).send(fail_silently=False)


def _drain(flag: str, stamp: str, deliver) -> tuple[int, int]:
    sent, failed = 0, []
    while True:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(**{flag: True})
                .filter(Q(held_until__isnull=True) | Q(held_until__lte=timezone.now()))
                .exclude(pk__in=failed)
                .select_related("user")
                .order_by("pk")
                .first()
            )
            if note is None:
                return sent, len(failed)
            if not may_deliver(note):
                # Not sent, and never retried: the row keeps no pending flag and no sent time.
                logger.info("notification %s: %s withheld, the user may no longer see it", note.pk, flag)
                Notification.objects.filter(pk=note.pk).update(**{flag: False})
                continue
            try:
                deliver(note)
            except Exception:
                # Stays pending for the next run; not retried in this one.
                logger.exception("notification %s: %s failed", note.pk, flag)
                failed.append(note.pk)
                continue
            Notification.objects.filter(pk=note.pk).update(**{flag: False, stamp: timezone.now()})
            sent += 1


def deliver_outbox() -> dict:
    """Send pending e-mails and SMS; returns counts sent and failed per channel."""
    counts = {}
    # A digest a killed run left half folded goes out whole (its parts are committed rows).
    fold_leftovers()
    counts["email"], counts["email_failed"] = _drain("email_pending", "emailed_at", _send_email)
    gateway = sms_gateway()
    if gateway is not None:
        counts["sms"], counts["sms_failed"] = _drain(
            "sms_pending", "sms_sent_at", lambda note: gateway.send(note.user.phone, note.title)
        )
    return counts
