"""Probes of the webhook operations (see tests/access/probes.py): a webhook at the target's
community, made and removed around each probe."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from core.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.access.probes import Probe, gid, ok

URL = "https://hooks.example.test/probe"


@asynccontextmanager
async def endpoint_at(p: Probe, relation: str) -> AsyncIterator[WebhookEndpoint]:
    """An inactive webhook (nothing is ever sent) scoped to the target's community."""
    grid = p.target(relation).grid
    endpoint = await WebhookEndpoint.create(
        url=URL, event_types=["case.*"], scope_level="community", secret="probe",
        district_id=grid.district_id, street_id=grid.street_id, community_id=grid.community_id,
        active=False,
    )  # fmt: skip
    try:
        yield endpoint
    finally:
        await WebhookDelivery.filter(endpoint_id=endpoint.id).delete()
        await endpoint.delete()


async def webhooks(p: Probe, relation: str) -> bool:
    async with endpoint_at(p, relation) as endpoint:
        after = None
        while True:
            body = await p.client.post(
                "query($a: String) { webhooks(first: 100, after: $a) { pageInfo { hasNextPage "
                "endCursor } edges { node { id } } } }",
                {"a": after},
            )
            if not ok(body):
                return False
            page = body["data"]["webhooks"]
            if any(e["node"]["id"] == gid("Webhook", endpoint.id) for e in page["edges"]):
                return True
            if not page["pageInfo"]["hasNextPage"]:
                return False
            after = page["pageInfo"]["endCursor"]


async def webhook_deliveries(p: Probe, relation: str) -> bool:
    async with endpoint_at(p, relation) as endpoint:
        body = await p.client.post(
            "query($w: ID!) { webhookDeliveries(webhookId: $w) { totalCount } }",
            {"w": gid("Webhook", endpoint.id)},
        )
        return ok(body)


async def webhook_event_types(p: Probe, relation: str) -> bool:
    return ok(await p.client.post("{ webhookEventTypes }"))


async def register_webhook(p: Probe, relation: str) -> bool:
    grid = p.target(relation).grid
    body = await p.client.post(
        "mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { webhook { id } } }",
        {"i": {"url": URL, "eventTypes": ["case.*"],
               "placeId": gid("Community", grid.community_id)}},
    )  # fmt: skip
    made = (body.get("data") or {}).get("registerWebhook")
    if made:
        await WebhookEndpoint.filter(url=URL, community_id=grid.community_id).delete()
    return ok(body) and made is not None


def _on_endpoint(document: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        async with endpoint_at(p, relation) as endpoint:
            return ok(await p.client.post(document, {"w": gid("Webhook", endpoint.id)}))

    return probe


async def resend_webhook_delivery(p: Probe, relation: str) -> bool:
    async with endpoint_at(p, relation) as endpoint:
        delivery = await WebhookDelivery.create(
            delivery_id=str(uuid.uuid4()), endpoint_id=endpoint.id, event_id=0,
            event_type="case.REPORT", endpoint_district_id=endpoint.district_id, body="{}",
            status="FAILED",
        )  # fmt: skip
        body = await p.client.post(
            "mutation($d: ID!) { resendWebhookDelivery(deliveryId: $d) { status } }",
            {"d": gid("WebhookDelivery", delivery.id)},
        )
        return ok(body)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "webhooks": webhooks,
    "webhookDeliveries": webhook_deliveries,
    "webhookEventTypes": webhook_event_types,
    "registerWebhook": register_webhook,
    "updateWebhook": _on_endpoint(
        'mutation($w: ID!) { updateWebhook(input: {webhookId: $w, version: 1, description: "p"}) '
        "{ id } }"
    ),
    "resumeWebhook": _on_endpoint("mutation($w: ID!) { resumeWebhook(webhookId: $w) { id } }"),
    "rotateWebhookSecret": _on_endpoint(
        "mutation($w: ID!) { rotateWebhookSecret(webhookId: $w) { secret } }"
    ),
    "resendWebhookDelivery": resend_webhook_delivery,
}
