"""Webhook endpoints, deliveries and attempts as GraphQL shows them. The signing secret is
never a field: it is answered once, when made (``WebhookSecret``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.webhooks.admin import DELIVERY_SCOPE, MANAGERS
from core.webhooks.models import WebhookAttempt as AttemptRow
from core.webhooks.models import WebhookDelivery as DeliveryRow
from core.webhooks.models import WebhookEndpoint as EndpointRow
from schema.access.rules import scoped
from schema.context import Context
from schema.ids import global_id
from schema.limits import cost
from schema.nodes import NodeSource

MAX_ATTEMPTS_SHOWN = 20


@strawberry.enum(description="Where a delivery stands.")
class WebhookDeliveryStatus(Enum):
    PENDING = "PENDING"
    """Waiting for its first attempt or a retry."""
    DELIVERED = "DELIVERED"
    """The endpoint answered 2xx."""
    FAILED = "FAILED"
    """Given up after the most attempts (an admin may re-send it)."""


@scoped(MANAGERS)
@strawberry.type(
    description="A URL subscribed to case events of a scope; deliveries are signed with its "
    "secret (HMAC-SHA256, see docs/webhooks.md)."
)
class Webhook(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    description: str = strawberry.field(description="What it is for.")
    event_types: list[str] = strawberry.field(description="The event types it receives.")
    scope_level: str = strawberry.field(
        description="city, district, street or community: the cases whose events it receives."
    )
    active: bool = strawberry.field(description="False: nothing is sent to it.")
    consecutive_failures: int = strawberry.field(description="Failed attempts in a row.")
    paused_until: datetime | None = strawberry.field(
        description="Paused by the circuit breaker until then (UTC); resumeWebhook ends it."
    )
    last_success_at: datetime | None = strawberry.field(description="Last 2xx answer (UTC).")
    last_failure_at: datetime | None = strawberry.field(description="Last failure (UTC).")
    created_at: datetime = strawberry.field(description="When it was registered (UTC).")
    version: int = strawberry.field(description="Send it back to change the webhook.")
    district_id: strawberry.Private[int | None]
    street_id: strawberry.Private[int | None]
    community_id: strawberry.Private[int | None]

    @strawberry.field(description="The District, Street or Community it covers; null: the city.")
    def place_id(self) -> strawberry.ID | None:
        for kind, key in (("Community", self.community_id), ("Street", self.street_id),
                          ("District", self.district_id)):  # fmt: skip
            if key is not None:
                return strawberry.ID(global_id(kind, key))
        return None

    @strawberry.field(description="Whether the circuit breaker holds its deliveries now.")
    def paused(self) -> bool:
        return self.paused_until is not None and self.paused_until > datetime.now(UTC)


@strawberry.type(description="One HTTP request of a delivery.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first attempt, and so on.")
    started_at: datetime = strawberry.field(description="When it was sent (UTC).")
    duration_ms: int = strawberry.field(description="How long the endpoint took to answer.")
    status_code: int | None = strawberry.field(description="The HTTP status; null: no answer.")
    error: str | None = strawberry.field(description="Why it failed; null when it did not.")
    resent: bool = strawberry.field(description="The first attempt after an admin's re-send.")


@scoped(DELIVERY_SCOPE)
@strawberry.type(description="One case event for one webhook, with its attempts.")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    delivery_id: str = strawberry.field(
        description="Sent as X-Hemei-Delivery: the same on every retry and re-send."
    )
    event_type: str = strawberry.field(description="case.REPORT, case.ESCALATE, ...")
    event_id: int = strawberry.field(description="The outbox event it carries.")
    body: str = strawberry.field(description="The JSON it sends.")
    status: WebhookDeliveryStatus = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="HTTP requests made so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next (UTC), while PENDING."
    )
    delivered_at: datetime | None = strawberry.field(description="When it got a 2xx (UTC).")
    last_status_code: int | None = strawberry.field(description="The last HTTP status.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    created_at: datetime = strawberry.field(description="When the event reached it (UTC).")
    endpoint_id: strawberry.Private[int]
    endpoint_district_id: strawberry.Private[int | None]

    @strawberry.field(
        description=f"Its last {MAX_ATTEMPTS_SHOWN} attempts, oldest first.",
        metadata=cost(size=MAX_ATTEMPTS_SHOWN),
    )
    async def attempt_log(self, info: Info) -> list[WebhookAttempt]:
        return await _attempts(info.context).load(self.id)

    @strawberry.field(description="The webhook it is for.")
    def webhook_id(self) -> strawberry.ID:
        return strawberry.ID(global_id("Webhook", self.endpoint_id))


def _attempts(context: Context) -> DataLoader[int, list[WebhookAttempt]]:
    async def load(ids: Sequence[int]) -> list[list[WebhookAttempt]]:
        rows = (
            await AttemptRow.filter(delivery_id__in=list(ids))
            .order_by("id")
            .values("delivery_id", "number", "started_at", "duration_ms", "status_code",
                    "error", "resent")
        )  # fmt: skip
        found: dict[int, list[WebhookAttempt]] = {i: [] for i in ids}
        for row in rows:
            owner = row.pop("delivery_id")
            found[owner].append(WebhookAttempt(**row))
        return [found[i][-MAX_ATTEMPTS_SHOWN:] for i in ids]

    return context.loader(("webhooks", "attempts"), lambda: DataLoader(load))


WEBHOOK = NodeSource(Webhook, EndpointRow)
DELIVERY = NodeSource(WebhookDelivery, DeliveryRow)


@strawberry.type(description="A webhook with its signing secret, shown this once.")
class WebhookSecret:
    webhook: Webhook = strawberry.field(description="The webhook.")
    secret: str = strawberry.field(
        description="Signs its deliveries (HMAC-SHA256): keep it; it is not shown again."
    )
