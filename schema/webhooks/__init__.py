"""GraphQL of webhooks: admins subscribe URLs to case events, read the delivery log, re-send."""

from __future__ import annotations

from schema.nodes import NodeSource
from schema.webhooks.operations import WebhookMutation, WebhookQuery
from schema.webhooks.types import DELIVERY, WEBHOOK

QUERIES: tuple[type, ...] = (WebhookQuery,)
MUTATIONS: tuple[type, ...] = (WebhookMutation,)
NODES: tuple[NodeSource, ...] = (WEBHOOK, DELIVERY)
TYPE_FIELDS: dict[str, type] = {}
