"""Sending the outbox: strictly in order per (subscription, case), each receiver on its own.

``deliver_pair`` sends a pair's undelivered rows in ``seq`` order and stops at the first failure,
which waits for its next attempt (exponential backoff): a later event of the case never overtakes
an earlier one. The head row is locked while it is sent (SKIP LOCKED: a second worker on the same
pair leaves at once), so two workers never send the same pair. A receiver that is down costs its
own pairs a timeout each; other receivers' pairs are other tasks, and the workflow never waits,
since sending starts after the commit.

At least once: a worker killed after the receiver answered and before the commit sends the row
again on the next attempt, with the same ``X-Jiefen-Delivery`` id, by which a receiver drops it.
"""

import datetime
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hooks import signing
from hooks.models import Delivery, DeliveryStatus
from hooks.queue import kick

logger = logging.getLogger(__name__)
UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def setting(name, default):
    return getattr(settings, name, default)


def backoff(attempts: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, 4 min… up to an hour (HOOK_RETRY_BASE_SECONDS, HOOK_RETRY_MAX_SECONDS)."""
    base, most = setting("HOOK_RETRY_BASE_SECONDS", 30), setting("HOOK_RETRY_MAX_SECONDS", 3600)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), most))


def body_of(delivery: Delivery) -> bytes:
    document = {"id": delivery.pk, **delivery.payload}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder).encode()


def post(delivery: Delivery) -> str:
    """Send one row; "" when the receiver answered 2xx, else what went wrong."""
    body = body_of(delivery)
    subscription = delivery.subscription
    request = urllib.request.Request(  # noqa: S310 - the address is an http(s) URLField set by a superuser
        subscription.url, data=body, method="POST",
        headers=signing.headers(subscription.secret, body, event=delivery.event, delivery_id=delivery.pk),
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=setting("HOOK_TIMEOUT_SECONDS", 10)) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]
    return "" if 200 <= status < 300 else f"HTTP {status}"


def head_of(subscription_id: int, case_id: int):
    return (
        Delivery.objects.filter(subscription_id=subscription_id, case_id=case_id, status__in=UNSENT)
        .order_by("seq")
        .values("pk", "status", "next_attempt_at")
        .first()
    )


def deliver_pair(subscription_id: int, case_id: int, now=None) -> int:
    """Send what is due for one (subscription, case), in order; returns how many were delivered."""
    sent = 0
    while True:
        head = head_of(subscription_id, case_id)
        if head is None or head["status"] == DeliveryStatus.FAILED:
            return sent  # all sent, or given up: it waits for "retry now" and so does what follows
        if head["next_attempt_at"] > (now or timezone.now()):
            return sent
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True)
                .select_related("subscription")
                .filter(pk=head["pk"], status=DeliveryStatus.PENDING)
                .first()
            )
            if delivery is None or not delivery.subscription.active:
                return sent  # another worker is at it, or the receiver was switched off
            error = post(delivery)
            delivery.attempts += 1
            if not error:
                delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
                delivery.last_error = ""
            else:
                delivery.last_error = error
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
                if delivery.attempts >= setting("HOOK_MAX_ATTEMPTS", 25):
                    delivery.status = DeliveryStatus.FAILED
                logger.warning("webhook %s to %s failed: %s", delivery.pk, delivery.subscription, error)
            fields = ["status", "attempts", "delivered_at", "last_error", "next_attempt_at"]
            delivery.save(update_fields=fields)
        if error:
            return sent
        sent += 1


def due_pairs(now=None, limit: int = 1000) -> list[tuple[int, int]]:
    """(subscription, case) whose first undelivered row is pending and due: what the beat hands out."""
    earlier = Delivery.objects.filter(
        subscription_id=OuterRef("subscription_id"), case_id=OuterRef("case_id"),
        seq__lt=OuterRef("seq"), status__in=UNSENT,
    )  # fmt: skip
    heads = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now or timezone.now(), subscription__active=True
    ).filter(~Exists(earlier))
    return list(heads.order_by("next_attempt_at").values_list("subscription_id", "case_id")[:limit])


def retry_now(queryset) -> int:
    """The admin's "retry now": the chosen undelivered rows are due at once (a failed one pending
    again, its count of attempts kept); returns how many pairs were handed to the worker."""
    rows = list(queryset.filter(status__in=UNSENT))
    Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    pairs = list(dict.fromkeys((d.subscription_id, d.case_id) for d in rows))
    transaction.on_commit(lambda: kick(pairs), robust=True)
    return len(pairs)
