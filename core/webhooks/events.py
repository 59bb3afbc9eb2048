"""What an endpoint can subscribe to, and the body each delivery carries."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence

from core.cases.machine import Action
from core.errors import BadUserInput
from core.events.broker import DomainEvent

EVENT_TYPES: tuple[str, ...] = ("case.REPORT", *(f"case.{a.value}" for a in Action))
"""Every event type: ``case.<KIND>``, the kinds of the case outbox (REPORT and each action)."""
WILDCARD = "case.*"
"""Subscribes to every case event, present and future."""


def checked_event_types(wanted: Iterable[str]) -> list[str]:
    """The types an endpoint asks for, or ``BAD_USER_INPUT`` naming the unknown ones."""
    types = sorted(set(wanted))
    unknown = [t for t in types if t != WILDCARD and t not in EVENT_TYPES]
    if not types or unknown:
        raise BadUserInput(
            f"Unknown event types: {', '.join(unknown)}." if unknown else "Name an event type.",
            argument="eventTypes",
            known=[WILDCARD, *EVENT_TYPES],
        )
    return types


def event_type(event: DomainEvent) -> str:
    return f"case.{event.kind}"


def subscribed(types: Sequence[str], wanted: str) -> bool:
    return WILDCARD in types or wanted in types


def case_node_id(case_id: int) -> str:
    """The case's global id in the GraphQL API (``node(id:)``): base64 of ``Case:<id>``."""
    return base64.b64encode(f"Case:{case_id}".encode()).decode()


def delivery_body(delivery_id: str, event: DomainEvent) -> str:
    """The JSON a delivery sends, fixed when the delivery is made (a retry or a re-send sends
    the very same bytes). It holds no personal data: the case's id, district and state."""
    return json.dumps(
        {
            "deliveryId": delivery_id,
            "type": event_type(event),
            "eventId": event.id,
            "occurredAt": event.created_at.isoformat(),
            "case": {
                "id": case_node_id(event.case_id),
                "key": event.case_id,
                "districtId": event.district_id,
            },
            "data": {k: v for k, v in event.payload.items() if k in ("action", "level", "status")},
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
