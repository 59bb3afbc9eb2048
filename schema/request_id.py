"""A request id for every HTTP request: taken from ``X-Request-ID`` or made, echoed back in
the response, put on log records and on masked errors so support can find the traceback."""

from __future__ import annotations

import logging
import os
import re
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
current_request_id: ContextVar[str] = ContextVar("hemei_request_id", default="-")
_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(HEADER.encode(), b"").decode("latin-1")
        # 32 random hex digits, as uuid4().hex without building a UUID (a few per cent of a
        # small request).
        request_id = sent if _SAFE.match(sent) else os.urandom(16).hex()
        token = current_request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (HEADER.encode(), request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)
        # Reset only after an answer: an exception that escapes is reported by the server
        # from this same task (uvicorn's "Exception in ASGI application"), and that line must
        # carry the id the 500 was answered with. Each request runs in a task of its own,
        # whose context ends with it.
        current_request_id.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` so log formats can show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
