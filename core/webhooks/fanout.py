"""From the outbox to deliveries: one per subscribed endpoint and event, made once."""

from __future__ import annotations

import uuid

from core.cases.models import Case
from core.events.broker import DomainEvent
from core.webhooks.events import delivery_body, event_type, subscribed
from core.webhooks.models import WebhookDelivery, WebhookEndpoint

_ENDPOINT_COLUMNS = ("id", "event_types", "scope_level", "district_id", "street_id",
                     "community_id")  # fmt: skip


async def enqueue(event: DomainEvent) -> int:
    """Make the deliveries of ``event`` for the active endpoints subscribed to its type and
    scope. The relay calls this at least once per event: a unique key on (endpoint, event)
    makes a repeat a no-op, so each endpoint gets one delivery id per event."""
    wanted = event_type(event)
    endpoints = [
        e
        for e in await WebhookEndpoint.filter(active=True).values(*_ENDPOINT_COLUMNS)
        if subscribed(e["event_types"] or [], wanted)
    ]
    if not endpoints:
        return 0
    place = {"district_id": event.district_id}
    if any(e["scope_level"] in ("street", "community") for e in endpoints):
        found = await Case.filter(id=event.case_id).first().values("street_id", "community_id")
        place.update(found or {})
    rows = []
    for endpoint in endpoints:
        level = endpoint["scope_level"]
        if level != "city" and endpoint[f"{level}_id"] != place.get(f"{level}_id"):
            continue
        delivery_id = str(uuid.uuid4())
        rows.append(
            WebhookDelivery(
                delivery_id=delivery_id,
                endpoint_id=endpoint["id"],
                event_id=event.id,
                event_type=wanted,
                endpoint_district_id=endpoint["district_id"],
                body=delivery_body(delivery_id, event),
            )
        )
    if rows:
        await WebhookDelivery.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
