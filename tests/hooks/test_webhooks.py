"""Outbound webhooks (issue 19): signed, in order per case, every event once after a receiver's
outage, nothing for a step that rolled back, and a dead receiver holds up nobody else."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.demo import TOWNS
from accounts.models import Region
from hooks import events, sender, signing
from hooks.models import Delivery, DeliveryStatus, Event, Subscription
from petitions import workflow as wf
from tests.hooks.receiver import Receiver
from tests.petitions.helpers import new_petition

ALL_EVENTS = [e.value for e in Event]


@pytest.fixture
def receiver():
    r = Receiver("s3cret").up()
    yield r
    r.down()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.HOOK_RETRY_BASE_SECONDS = 0
    settings.HOOK_TIMEOUT_SECONDS = 2


def subscribe(url, secret="s3cret", **extra):
    return Subscription.objects.create(name="12345平台", url=url, secret=secret, events=ALL_EVENTS, **extra)


def deliver_all():
    """What the beat does, run here in the test's process: every due pair, until nothing is due."""
    total = 0
    for _round in range(50):
        sent = sum(sender.deliver_pair(*pair) for pair in sender.due_pairs())
        if not sent:
            return total
        total += sent
    return total


def answered(demo, received_on=None):
    """A claim the county bureau forwards to the town, which accepts it, replies, and the reply is delivered."""
    clerk, town = demo["zhuji_petition_clerk"], demo["fengqiao_handler"]
    day = received_on or timezone.localdate() - datetime.timedelta(days=20)
    p = new_petition(clerk, region=TOWNS["fengqiao"], received_on=day)
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    wf.reply(
        p.pk, town, outcome="not_supported", text="不予支持。", replied_on=day + datetime.timedelta(days=5)
    )
    wf.record_delivery(
        p.pk, clerk, document="opinion", method="post", delivered_on=day + datetime.timedelta(days=6)
    )
    return p


def test_signature_is_over_timestamp_and_body():
    body = b'{"a":1}'
    headers = signing.headers("k", body, event="case.created", delivery_id=7, now=1_800_000_000)
    ts, sig = headers[signing.TIMESTAMP], headers[signing.SIGNATURE]
    assert signing.verify("k", ts, body, sig, now=1_800_000_010)
    assert not signing.verify("other", ts, body, sig, now=1_800_000_010)
    assert not signing.verify("k", ts, b'{"a":2}', sig, now=1_800_000_010)
    assert not signing.verify("k", ts, body, sig, now=1_800_000_000 + 301)  # a replay, too late


def test_events_of_a_petition_in_order_signed_and_free_of_personal_data(demo, receiver):
    subscribe(receiver.url)
    p = answered(demo)
    rows = list(Delivery.objects.filter(case_id=p.pk).order_by("seq"))
    assert [(d.seq, d.event) for d in rows] == [
        (1, Event.CASE_CREATED), (2, Event.STATUS_CHANGED), (3, Event.STATUS_CHANGED),
        (4, Event.STATUS_CHANGED), (5, Event.REPLY_DELIVERED),
    ]  # fmt: skip
    assert rows[1].payload["data"] == {"action": "forward", "from": "registered", "to": "forwarded"}
    assert rows[4].payload["data"]["document"] == "opinion"
    assert deliver_all() == 5
    assert [d["sequence"] for d in receiver.accepted] == [1, 2, 3, 4, 5]
    assert receiver.rejected == 0
    text = str(receiver.accepted)
    assert "陈建国" not in text and "13700137000" not in text
    assert set(Delivery.objects.filter(case_id=p.pk).values_list("status", flat=True)) == {"delivered"}


def test_s_wrong_signature_is_rejected_by_the_sample_receiver(demo, receiver):
    subscribe(receiver.url, secret="not-the-receivers")
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    assert deliver_all() == 0
    assert receiver.rejected == 1 and receiver.accepted == []
    head = Delivery.objects.get(case_id=p.pk)
    assert head.status == DeliveryStatus.PENDING and head.attempts == 1 and head.last_error == "HTTP 401"


def test_receiver_down_for_a_while_then_every_event_once_in_order_per_case(demo, receiver, settings):
    settings.HOOK_RETRY_BASE_SECONDS = 3600  # a failed head waits: the test moves the clock instead
    subscribe(receiver.url)
    receiver.down()
    first, second = answered(demo), answered(demo)
    clerk = demo["zhuji_petition_clerk"]
    wf.request_review(first.pk, clerk, requested_on=timezone.localdate())
    # The workflow went on while nobody answered.
    assert deliver_all() == 0
    heads = Delivery.objects.filter(attempts=1)
    assert heads.count() == 2 and {d.seq for d in heads} == {1}  # only each case's first was tried
    assert not Delivery.objects.filter(seq__gt=1, attempts__gt=0).exists()
    # Still down at the next attempt: one more try of each head.
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert deliver_all() == 0
    assert set(Delivery.objects.filter(seq=1).values_list("attempts", flat=True)) == {2}
    receiver.up()
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert deliver_all() == 11
    got = {}
    for document in receiver.accepted:
        got.setdefault(document["case"]["id"], []).append(document["sequence"])
    assert got == {first.pk: [1, 2, 3, 4, 5, 6], second.pk: [1, 2, 3, 4, 5]}
    assert len(receiver.seen_ids) == len(receiver.accepted) == 11  # each exactly once
    assert not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_rollback_writes_no_delivery(demo, receiver):
    subscribe(receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
        assert Delivery.objects.count() == 1  # written in the step's own transaction…
        raise RuntimeError
    assert Delivery.objects.count() == 0  # …and gone with it
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    with pytest.raises(Exception):  # noqa: B017 - any refusal of the step
        wf.accept(p.pk, demo["xianjin_mediator"])
    assert Delivery.objects.filter(case_id=p.pk).count() == 1  # only its registration


def test_a_dead_receiver_holds_up_no_other(demo, receiver):
    subscribe("http://127.0.0.1:9/nobody-listens")
    alive = Subscription.objects.create(name="网格平台", url=receiver.url, secret="s3cret", events=ALL_EVENTS)
    answered(demo)
    assert deliver_all() == 5
    assert Delivery.objects.filter(subscription=alive, status=DeliveryStatus.DELIVERED).count() == 5
    dead = Delivery.objects.exclude(subscription=alive)
    assert dead.filter(attempts__gt=0).count() >= 1 and not dead.filter(status="delivered").exists()
    assert "Error" in dead.get(seq=1).last_error


def test_gives_up_after_max_attempts_then_retry_now_sends_in_order(demo, receiver, settings):
    settings.HOOK_MAX_ATTEMPTS = 2
    subscribe(receiver.url)
    receiver.down()
    p = answered(demo)
    deliver_all()
    deliver_all()
    head = Delivery.objects.get(case_id=p.pk, seq=1)
    assert head.status == DeliveryStatus.FAILED and head.attempts == 2
    assert sender.due_pairs() == []  # a failed head waits for a person, and so does what follows
    receiver.up()
    assert sender.retry_now(Delivery.objects.filter(pk=head.pk)) == 1
    assert deliver_all() == 5
    assert [d["sequence"] for d in receiver.accepted] == [1, 2, 3, 4, 5]


def test_scope_by_region_and_by_unit(demo, receiver):
    other_town = Region.objects.exclude(code=TOWNS["fengqiao"]).filter(code__startswith=TOWNS["fengqiao"][:6])
    other_town = other_town.filter(level=Region.objects.get(code=TOWNS["fengqiao"]).level).first()
    elsewhere = subscribe(receiver.url, region=other_town)
    here = subscribe(receiver.url, region=Region.objects.get(code=TOWNS["fengqiao"]))
    village_unit = subscribe(receiver.url, unit=demo["xianjin_mediator"].unit)
    town_unit = subscribe(receiver.url, unit=demo["fengqiao_handler"].unit)
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    wf.forward(p.pk, demo["zhuji_petition_clerk"], demo["fengqiao_handler"].unit)
    got = set(Delivery.objects.filter(case_id=p.pk).values_list("subscription_id", flat=True))
    assert elsewhere.pk not in got and village_unit.pk not in got
    assert {here.pk, town_unit.pk} <= got


def test_overdue_deadline_becomes_one_event(demo, receiver):
    from supervision import reminders

    subscribe(receiver.url)
    events.collect_overdue()
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"],
                     received_on=timezone.localdate() - datetime.timedelta(days=60))  # fmt: skip
    reminders.scan()
    events.collect_overdue()
    events.collect_overdue()
    overdue = Delivery.objects.filter(case_id=p.pk, event=Event.DEADLINE_OVERDUE)
    assert overdue.count() == 1
    assert overdue.get().payload["data"]["deadline"] == "petition_route"
    assert deliver_all() >= 2
    assert any(d["event"] == "deadline.overdue" and d["case"]["id"] == p.pk for d in receiver.accepted)


def test_admin_shows_failures_and_retries_now(demo, receiver, client, django_user_model):
    subscribe(receiver.url)
    receiver.down()
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    deliver_all()
    head = Delivery.objects.get(case_id=p.pk)
    admin = django_user_model.objects.create_superuser("hookadmin", "a@example.org", "pw-hook-2026")
    client.force_login(admin)
    page = client.get("/admin/hooks/delivery/?status__exact=pending")
    assert page.status_code == 200
    assert p.number in page.content.decode() and "Connection refused" in page.content.decode()
    receiver.up()
    response = client.post("/admin/hooks/delivery/", {"action": "retry", "_selected_action": [head.pk]})
    assert response.status_code == 302
    assert Delivery.objects.get(pk=head.pk).next_attempt_at <= timezone.now()
    assert deliver_all() == 1
    assert client.get("/admin/hooks/subscription/add/").status_code == 200


def test_a_subscription_deleted_elsewhere_does_not_fail_the_step(demo, receiver):
    gone = subscribe(receiver.url)
    Subscription.objects.filter(pk=gone.pk).delete()
    # Deleted in another process: this one's cache still names it.
    events._cache.update(at=time.monotonic(), rows=[gone])
    p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    assert p.pk and not Delivery.objects.exists()


def test_a_dispute_is_heard_of_too(demo, receiver):
    from tests.dispute_helpers import new_dispute

    subscribe(receiver.url)
    d = new_dispute(demo["xianjin_mediator"])
    assert list(Delivery.objects.filter(case_id=d.pk).values_list("event", flat=True)) == [Event.CASE_CREATED]
    assert deliver_all() == 1 and receiver.accepted[0]["case"]["kind"] == "dispute"
