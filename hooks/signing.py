"""The webhook signature: HMAC-SHA256 under the subscription's secret over "<timestamp>.<body>".

A receiver recomputes it over the raw body and the ``X-Jiefen-Timestamp`` header, compares in
constant time, and refuses a timestamp older than a few minutes (a replayed request). ``verify``
is the sample receiver's check; docs/webhooks.md shows it in a few lines.
"""

import hashlib
import hmac
import time

TIMESTAMP = "X-Jiefen-Timestamp"
SIGNATURE = "X-Jiefen-Signature"
EVENT = "X-Jiefen-Event"
DELIVERY = "X-Jiefen-Delivery"  # the same id on every attempt: a receiver drops a repeat by it
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(secret: str, body: bytes, *, event: str, delivery_id: int, now: float | None = None) -> dict:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Jiefen-Webhooks/1",
        TIMESTAMP: timestamp,
        SIGNATURE: sign(secret, timestamp, body),
        EVENT: event,
        DELIVERY: str(delivery_id),
    }


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:  # fmt: skip
    """What a receiver checks: a fresh timestamp and the signature over exactly these bytes."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    if age > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
