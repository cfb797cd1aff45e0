"""Which changes become webhook events, and the outbox rows they owe (in the change's transaction).

The case core writes one ``TimelineEntry`` for every change of a case, inside the step's
transaction (cases.transitions.perform, registration, the exchange import); this module listens to
its ``post_save``, so hooks knows no step of any case type: a ``register`` entry is a new case, an
entry whose ``before``/``after`` status differ is a status change, and an entry of the petition
delivery step (送达) of a written reply is a reply delivered. Overdue deadlines are decided by the
supervision scan in one bulk statement that sends no signal; ``collect_overdue`` reads its
``overdue`` reminders behind a cursor, in one transaction with the deliveries it writes, so each
overdue reminder becomes exactly one event.

Payloads carry no personal data (no party name, ID number, phone or recipient): a receiver that
needs them asks the API, which masks them for its client.
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.scoping_pairs import units_seeing
from cases.models import Case, TimelineEntry
from hooks.models import Cursor, Delivery, Event, Subscription
from hooks.queue import kick
from petitions.delivered import RECORD_DELIVERY
from petitions.models import PetitionDocument
from supervision.models import Reminder, ReminderStage

logger = logging.getLogger(__name__)

# The written replies whose delivery (送达) a receiver is told about; notices of acceptance,
# extension and referral are not replies.
REPLIES = frozenset(
    {PetitionDocument.OPINION, PetitionDocument.REDONE, PetitionDocument.REVIEW, PetitionDocument.REREVIEW}
)
# Keys of a delivery entry's ``after`` that are no personal data.
DELIVERY_KEYS = ("document", "method", "delivered_on")
OVERDUE_BATCH = 2000

# Active subscriptions, kept per process for a short while: every step of every case asks, and
# most installations have none. Saving or deleting a subscription clears it in this process;
# other processes see the change within HOOK_SUBSCRIPTION_CACHE_SECONDS (30). The test settings keep
# it for the run, so a step's query count does not depend on when the cache last expired.
_cache: dict = {"at": None, "rows": []}


def active_subscriptions() -> list[Subscription]:
    now = time.monotonic()
    if _cache["at"] is None or now - _cache["at"] > getattr(settings, "HOOK_SUBSCRIPTION_CACHE_SECONDS", 30):
        _cache["rows"] = list(Subscription.objects.filter(active=True).select_related("region", "unit"))
        _cache["at"] = now
    return _cache["rows"]


@receiver([post_save, post_delete], sender=Subscription)
def _forget(**kwargs):
    _cache["at"] = None


def events_of(entry: TimelineEntry) -> list[tuple[str, dict]]:
    """The events a timeline entry makes, each with its ``data``."""
    before, after = entry.before or {}, entry.after or {}
    found = []
    if entry.action == "register":
        found.append((Event.CASE_CREATED, {}))
    elif "status" in before and "status" in after and before["status"] != after["status"]:
        found.append((Event.STATUS_CHANGED, {"from": before["status"], "to": after["status"]}))
    if entry.action == RECORD_DELIVERY and after.get("document") in REPLIES:
        found.append((Event.REPLY_DELIVERED, {key: after.get(key, "") for key in DELIVERY_KEYS}))
    return found


@receiver(post_save, sender=TimelineEntry)
def timeline_entry_written(sender, instance, created, **kwargs):
    if not created or not active_subscriptions():
        return
    for event, data in events_of(instance):
        data = {"action": instance.action, **data}
        emit(instance.case_id, event, data, source=f"timeline:{instance.pk}", at=instance.at)


def emit(case_id: int, event: str, data: dict, *, source: str, at=None) -> list[Delivery]:
    """Write one pending delivery per subscription that wants ``event`` for this case, in the
    current transaction, and hand them to the worker once it commits."""
    wanted = [s for s in active_subscriptions() if event in (s.events or [])]
    if not wanted:
        return []
    with transaction.atomic():
        # Numbering per (subscription, case) under the case's row lock, which a step holds already.
        case = Case.objects.select_for_update().select_related("region").get(pk=case_id)
        # The cache may name a subscription another process deleted or switched off since: a row
        # pointing at a deleted one would fail the step's commit.
        live = set(
            Subscription.objects.filter(pk__in=[s.pk for s in wanted], active=True).values_list(
                "pk", flat=True
            )
        )
        receivers = in_scope([s for s in wanted if s.pk in live], case)
        created = []
        for subscription in receivers:
            last = Delivery.objects.filter(subscription=subscription, case=case).aggregate(m=Max("seq"))["m"]
            seq = (last or 0) + 1
            created.append(
                Delivery.objects.create(
                    subscription=subscription,
                    case=case,
                    seq=seq,
                    event=event,
                    source=source,
                    payload=payload(case, event, seq, data, at),
                    next_attempt_at=timezone.now(),
                )  # fmt: skip
            )
        if created:
            pairs = [(d.subscription_id, d.case_id) for d in created]
            transaction.on_commit(lambda: kick(pairs), robust=True)
    return created


def in_scope(subscriptions, case) -> list[Subscription]:
    """The subscriptions whose jurisdiction holds the case: under their region, and seen by their
    unit by the one rule (accounts.scoping_pairs.units_seeing, so never an accusation's accused unit)."""
    by_region = [
        s for s in subscriptions if s.region_id is None or case.region_id.startswith(s.region.prefix)
    ]
    units = [s.unit for s in by_region if s.unit_id is not None]
    seeing = {unit_id for unit_id, _case in units_seeing((u, case.pk) for u in units)} if units else set()
    return [s for s in by_region if s.unit_id is None or s.unit_id in seeing]


def payload(case, event, seq, data, at=None) -> dict:
    return {
        "event": event,
        "sequence": seq,
        "occurred_at": (at or timezone.now()).isoformat(),
        "case": {
            "id": case.pk,
            "number": case.number,
            "kind": case.kind,
            "status": case.status,
            "region": case.region_id,
            "handling_unit": case.handling_unit_id,
        },
        "data": data,
    }


OVERDUE_CURSOR = "overdue_reminders"


def collect_overdue(limit: int = OVERDUE_BATCH) -> int:
    """Turn the overdue reminders the supervision scan wrote since the last call into events; the
    cursor and the deliveries commit together, so a reminder is read once. Returns how many were read."""
    if not any(Event.DEADLINE_OVERDUE in (s.events or []) for s in active_subscriptions()):
        # Nobody listens: move the cursor on, so a later subscriber is not sent the old backlog.
        last = Reminder.objects.aggregate(m=Max("pk"))["m"] or 0
        Cursor.objects.update_or_create(name=OVERDUE_CURSOR, defaults={"last_id": last})
        return 0
    with transaction.atomic():
        cursor, _created = Cursor.objects.select_for_update().get_or_create(name=OVERDUE_CURSOR)
        rows = list(
            Reminder.objects.filter(pk__gt=cursor.last_id)
            .order_by("pk")
            .select_related("deadline__rule")
            .values("pk", "stage", "due_date", "deadline__case_id", "deadline__rule__code")[:limit]
        )
        for row in rows:
            if row["stage"] != ReminderStage.OVERDUE:
                continue
            data = {"deadline": row["deadline__rule__code"], "due_date": row["due_date"].isoformat()}
            emit(row["deadline__case_id"], Event.DEADLINE_OVERDUE, data, source=f"reminder:{row['pk']}")
        if rows:
            cursor.last_id = rows[-1]["pk"]
            cursor.save(update_fields=["last_id"])
    return len(rows)
