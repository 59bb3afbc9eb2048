"""Root fields of webhooks: for city admins everywhere, district admins in their district."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.regions.places import find_place
from core.webhooks import admin
from core.webhooks.events import EVENT_TYPES, WILDCARD
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated, has_role
from schema.context import Context
from schema.ids import global_id, key_of, type_name_of
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection
from schema.webhooks.types import (
    DELIVERY,
    WEBHOOK,
    Webhook,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSecret,
)

ADMINS = has_role("CITY_ADMIN", "DISTRICT_ADMIN")
SCOPES = ("District", "Street", "Community")


@strawberry.input(description="A URL to subscribe to case events.")
class RegisterWebhookInput:
    url: str = strawberry.field(description="http:// or https:// URL that receives POSTs.")
    event_types: list[str] = strawberry.field(
        description="Types to receive (webhookEventTypes), or case.* for all."
    )
    place_id: strawberry.ID | None = strawberry.field(
        default=None, description="A District, Street or Community; none: the whole city."
    )
    description: str = strawberry.field(default="", description="What it is for.")


@strawberry.input(description="Changes to a webhook; fields left out stay as they are.")
class UpdateWebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")
    version: int = strawberry.field(description="The `version` you read.")
    url: str | None = strawberry.field(default=None, description="A new URL.")
    event_types: list[str] | None = strawberry.field(default=None, description="New types.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    active: bool | None = strawberry.field(
        default=None, description="False stops sending to it (deliveries wait)."
    )


def _webhook(row: Any) -> Webhook:
    return WEBHOOK.build({c: getattr(row, c) for c in WEBHOOK.columns})


def _delivery(row: Any) -> WebhookDelivery:
    return DELIVERY.build({c: getattr(row, c) for c in DELIVERY.columns})


@strawberry.type
class WebhookQuery:
    @strawberry.field(
        description="The webhooks you manage (city admins: all; district admins: their "
        "district's), oldest first.",
        permission_classes=[ADMINS],
    )
    async def webhooks(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Webhook]:
        return await scoped_connection(info, WEBHOOK, admin.MANAGERS, first, after)

    @strawberry.field(
        description="A webhook's delivery log, newest first, with each delivery's attempts.",
        permission_classes=[ADMINS],
    )
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: strawberry.ID,
        status: WebhookDeliveryStatus | None = None,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[WebhookDelivery]:
        context: Context = info.context
        endpoint, _ = await admin.managed(
            context.viewer, key_of(webhook_id, "Webhook", what="webhook")
        )
        filters: dict[str, Any] = {"endpoint_id": endpoint.id}
        if status is not None:
            filters["status"] = status.value
        return await scoped_connection(
            info, DELIVERY, admin.DELIVERY_SCOPE, first, after, Q(**filters), newest_first=True
        )

    @strawberry.field(
        description="The event types a webhook can receive (case.* is every one).",
        permission_classes=[IsAuthenticated],
    )
    def webhook_event_types(self) -> list[str]:
        return [WILDCARD, *EVENT_TYPES]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="Subscribe a URL to case events of a place (city admins anywhere, district "
        "admins in their district). Answers the signing secret, this once.",
        permission_classes=[ADMINS],
    )
    async def register_webhook(self, info: Info, input: RegisterWebhookInput) -> WebhookSecret:
        context: Context = info.context
        place = None
        if input.place_id is not None:
            kind = type_name_of(input.place_id, what="place")
            if kind not in SCOPES:
                key_of(input.place_id, *SCOPES, what="place")  # NOT_FOUND, as for any bad id
            place = await find_place(kind, key_of(input.place_id, kind, what="place"))
        endpoint, grant = await admin.register(
            context.viewer, input.url, input.event_types, place, input.description
        )
        context.note.used(grant)
        context.note.about(
            global_id("Webhook", endpoint.id),
            endpoint.district_id,
            event_types=endpoint.event_types,
            scope=endpoint.scope_level,
        )
        return WebhookSecret(webhook=_webhook(endpoint), secret=endpoint.secret)

    @strawberry.mutation(
        description="Change a webhook's URL, event types, description or whether it is active.",
        permission_classes=[ADMINS],
    )
    async def update_webhook(self, info: Info, input: UpdateWebhookInput) -> Webhook:
        context: Context = info.context
        changes = {
            "url": input.url,
            "event_types": input.event_types,
            "description": input.description,
            "active": input.active,
        }
        endpoint, grant = await admin.update(
            context.viewer,
            key_of(input.webhook_id, "Webhook", what="webhook"),
            input.version,
            changes,
        )
        context.note.used(grant)
        context.note.about(
            global_id("Webhook", endpoint.id),
            endpoint.district_id,
            changed=sorted(k for k, v in changes.items() if v is not None),
        )
        return _webhook(endpoint)

    @strawberry.mutation(
        description="End the circuit breaker's pause of a webhook: its waiting deliveries go "
        "out at once.",
        permission_classes=[ADMINS],
    )
    async def resume_webhook(self, info: Info, webhook_id: strawberry.ID) -> Webhook:
        context: Context = info.context
        endpoint, grant = await admin.resume(
            context.viewer, key_of(webhook_id, "Webhook", what="webhook")
        )
        context.note.used(grant)
        context.note.about(global_id("Webhook", endpoint.id), endpoint.district_id)
        return _webhook(endpoint)

    @strawberry.mutation(
        description="Give a webhook a new signing secret, answered this once.",
        permission_classes=[ADMINS],
    )
    async def rotate_webhook_secret(self, info: Info, webhook_id: strawberry.ID) -> WebhookSecret:
        context: Context = info.context
        endpoint, secret, grant = await admin.rotate_secret(
            context.viewer, key_of(webhook_id, "Webhook", what="webhook")
        )
        context.note.used(grant)
        context.note.about(global_id("Webhook", endpoint.id), endpoint.district_id)
        return WebhookSecret(webhook=_webhook(endpoint), secret=secret)

    @strawberry.mutation(
        description="Send a delivery again, with its id and body, and a new budget of attempts.",
        permission_classes=[ADMINS],
    )
    async def resend_webhook_delivery(
        self, info: Info, delivery_id: strawberry.ID
    ) -> WebhookDelivery:
        context: Context = info.context
        delivery, grant = await admin.resend(
            context.viewer, key_of(delivery_id, "WebhookDelivery", what="delivery")
        )
        context.note.used(grant)
        context.note.about(global_id("WebhookDelivery", delivery.id), delivery.endpoint_district_id)
        return _delivery(delivery)
