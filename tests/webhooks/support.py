"""A webhook receiver on loopback (a real HTTP server), and helpers to drive the outbox."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.cases.models import CaseEvent
from core.webhooks.models import WebhookEndpoint
from core.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify,
)
from tests.support.server import free_port

REGISTER = """mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) {
  secret webhook { id url eventTypes scopeLevel placeId active paused version } } }"""
DELIVERIES = """query($w: ID!, $s: WebhookDeliveryStatus) {
  webhookDeliveries(webhookId: $w, status: $s, first: 100) { totalCount edges { node {
    id deliveryId eventType eventId status attempts lastStatusCode
    attemptLog { number statusCode error resent } } } } }"""


@dataclass
class Received:
    path: str
    delivery_id: str
    event_type: str
    body: dict[str, Any]
    signed: bool
    answered: int


@dataclass
class Receiver:
    """Records every request; ``answer(path, delivery_id, nth_time)`` picks the status."""

    base: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    """Path → secret, to check signatures."""
    requests: list[Received] = field(default_factory=list)
    answer: Callable[[str, str, int], int] = lambda path, delivery, nth: 200

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def accepted(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path and r.answered < 300]

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        path = request.url.path
        delivery = request.headers.get(DELIVERY_HEADER, "")
        nth = 1 + sum(1 for r in self.requests if r.delivery_id == delivery)
        signed = verify(
            self.secrets.get(path, ""),
            request.headers.get(TIMESTAMP_HEADER, ""),
            raw,
            request.headers.get(SIGNATURE_HEADER, ""),
            now=time.time(),
        )
        status = self.answer(path, delivery, nth)
        self.requests.append(
            Received(path, delivery, request.headers.get(EVENT_HEADER, ""), json.loads(raw),
                     signed, status)
        )  # fmt: skip
        return Response(status_code=status)


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    """A receiver served by uvicorn on 127.0.0.1, in this event loop."""
    found = Receiver()
    app = Starlette(routes=[Route("/{path:path}", found.handle, methods=["POST"])])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  # uvicorn exposes only a flag
        await asyncio.sleep(0.01)
    found.base = f"http://127.0.0.1:{port}"
    try:
        yield found
    finally:
        server.should_exit = True
        await task


async def own_the_outbox() -> None:
    """Earlier tests' events count as delivered, and their webhooks are switched off."""
    await CaseEvent.filter(delivered_at=None).update(delivered_at=datetime.now(UTC))
    await WebhookEndpoint.filter(active=True).update(active=False)
