"""HMAC-SHA256 signatures of deliveries. A receiver recomputes
``sha256=hex(HMAC(secret, "<timestamp>.<body>"))`` over the raw body, compares it in constant
time with ``X-Hemei-Signature``, and refuses timestamps far from its clock (replays)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

DELIVERY_HEADER = "X-Hemei-Delivery"
"""The delivery's id: the same on every retry and re-send, so a receiver can drop repeats."""
EVENT_HEADER = "X-Hemei-Event"
TIMESTAMP_HEADER = "X-Hemei-Timestamp"
SIGNATURE_HEADER = "X-Hemei-Signature"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A signing secret: 32 random bytes, hex."""
    return secrets.token_hex(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signed: str,
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signed)
