"""Prometheus metrics at ``/metrics``, in the text exposition format.

Each app has its own registry (several apps in one process, in tests, do not share counts):

- ``hemei_graphql_operations_total{operation,type,outcome}`` and
  ``hemei_graphql_operation_seconds{operation,type}``: GraphQL operations by name (``anonymous``
  without one; names a client makes up are cut to a bounded set, past which they count as
  ``other``), type (query, mutation, subscription) and outcome (``ok`` or the first error's
  code), and their latency;
- ``hemei_http_requests_total{method,route,status}`` and ``hemei_http_request_seconds{route}``:
  every HTTP request by route (``/photos/{id}``, not the id);
- ``hemei_db_pool_connections{state}``: the PostgreSQL pool's size, idle connections, minimum
  and maximum (SQLite has one connection and no pool: no series);
- ``hemei_outbox_backlog`` and ``hemei_outbox_oldest_seconds``: case events not yet delivered
  to plugins and subscriptions, and the age of the oldest;
- ``hemei_active_subscriptions``: open GraphQL subscriptions of this process.

Gauges that need the database are read when Prometheus scrapes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError
from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from tortoise import connections

from core.cases.models import CaseEvent
from schema.errors import error_code
from schema.observability.access_log import write_access_line
from schema.observability.tallies import Tally

__all__ = ["HttpMetricsMiddleware", "Metrics", "MetricsExtension"]

log = logging.getLogger("hemei.metrics")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
MAX_OPERATION_NAMES = 500
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_ROUTES = (
    (re.compile(r"^/photos/[^/]+$"), "/photos/{id}"),
    (re.compile(r"^/work-order-photos/[^/]+$"), "/work-order-photos/{id}"),
)
_FIXED = ("/graphql", "/healthz", "/readyz", "/metrics", "/exports/stats.xlsx",
          "/exports/assessment.xlsx")  # fmt: skip


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_of(method: str) -> str:
    """The HTTP method as a bounded label: any method outside the usual few is ``OTHER`` (a
    server that accepts any token as a method would otherwise let clients add series)."""
    return method if method in _METHODS else "OTHER"


def route_of(path: str) -> str:
    """The route template of a path: a bounded label, never an id."""
    if path in _FIXED:
        return path
    return next((name for pattern, name in _ROUTES if pattern.match(path)), "other")


class Metrics:
    """The metrics of one app and what the scrape-time gauges read."""

    def __init__(self, subscriptions: Callable[[], int] = lambda: 0) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.subscriptions = subscriptions
        self._names: set[str] = set()
        # Counted on every request: plain numbers, turned into samples when scraped.
        self.operations = Tally(
            "hemei_graphql_operations", "GraphQL operations by name, type and outcome.",
            ("operation", "type", "outcome"), self.registry,
        )  # fmt: skip
        self.operation_seconds = Tally(
            "hemei_graphql_operation_seconds", "Time to answer a GraphQL operation.",
            ("operation", "type"), self.registry, buckets=LATENCY_BUCKETS,
        )  # fmt: skip
        self.requests = Tally(
            "hemei_http_requests", "HTTP requests by method, route and status.",
            ("method", "route", "status"), self.registry,
        )  # fmt: skip
        self.request_seconds = Tally(
            "hemei_http_request_seconds", "Time to answer an HTTP request.", ("route",),
            self.registry, buckets=LATENCY_BUCKETS,
        )  # fmt: skip
        self.pool = Gauge(
            "hemei_db_pool_connections",
            "Database pool connections: size, idle, min and max (PostgreSQL only).",
            ("state",), registry=self.registry,
        )  # fmt: skip
        self.backlog = Gauge(
            "hemei_outbox_backlog", "Case events not yet delivered.", registry=self.registry
        )
        self.oldest = Gauge(
            "hemei_outbox_oldest_seconds", "Age of the oldest undelivered case event (0: none).",
            registry=self.registry,
        )  # fmt: skip
        self.active_subscriptions = Gauge(
            "hemei_active_subscriptions", "Open GraphQL subscriptions of this process.",
            registry=self.registry,
        )  # fmt: skip

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _NAME.match(name):
            return "other"
        if name not in self._names and len(self._names) >= MAX_OPERATION_NAMES:
            return "other"
        self._names.add(name)
        return name

    def observe_operation(
        self, name: str | None, kind: str, outcome: str, seconds: float | None
    ) -> None:
        operation = self.operation_label(name)
        self.operations.inc((operation, kind, outcome))
        if seconds is not None:
            self.operation_seconds.observe((operation, kind), seconds)

    async def refresh(self) -> None:
        """Read the gauges that need the database or the broker."""
        self.active_subscriptions.set(self.subscriptions())
        try:
            client = connections.get("default")
        except Exception:  # no ORM in this process (yet)
            return
        pool = getattr(client, "_pool", None)
        if pool is not None and hasattr(pool, "get_size"):
            self.pool.labels("size").set(pool.get_size())
            self.pool.labels("idle").set(pool.get_idle_size())
            self.pool.labels("min").set(pool.get_min_size())
            self.pool.labels("max").set(pool.get_max_size())
        try:
            waiting = CaseEvent.filter(delivered_at=None)
            self.backlog.set(await waiting.count())
            first = await waiting.order_by("id").first().values_list("created_at", flat=True)
        except Exception as exc:  # a scrape must answer even when the database does not
            log.warning("metrics: outbox not readable: %s", type(exc).__name__)
            return
        if isinstance(first, datetime):
            moment = first if first.tzinfo else first.replace(tzinfo=UTC)
            self.oldest.set(max(0.0, (datetime.now(UTC) - moment).total_seconds()))
        else:
            self.oldest.set(0)

    async def endpoint(self, request: Request) -> Response:
        """``GET /metrics``."""
        await self.refresh()
        # The classic text format (0.0.4), which every Prometheus version reads; our names
        # and labels are plain ASCII, so the body is the same in the newer 1.0.0.
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)


def outcome_of(errors: list[GraphQLError] | None) -> str:
    if not errors:
        return "ok"
    first = errors[0]
    code = (first.extensions or {}).get("code")
    return str(code) if code else error_code(first).value


class MetricsExtension(SchemaExtension):
    """Counts and times each GraphQL operation (a subscription is counted when it starts)."""

    def __init__(self, *, metrics: Metrics, execution_context: Any = None) -> None:
        self.metrics = metrics
        if execution_context is not None:
            self.execution_context = execution_context

    def on_operation(self) -> Generator[None, None, None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except Exception:  # the document did not parse: no operation to name
            kind = "unknown"
        result = context.result
        errors = result.errors if result is not None and hasattr(result, "errors") else None
        errors = errors or context.pre_execution_errors
        seconds = None if kind == "subscription" else time.perf_counter() - started
        self.metrics.observe_operation(context.operation_name, kind, outcome_of(errors), seconds)


class HttpMetricsMiddleware:
    """Counts and times every HTTP request, and writes one access log line for it (method,
    route template, status, milliseconds: no query string, no ids, no personal data)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500
        route = route_of(scope.get("path", ""))

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            method = method_of(scope.get("method", "GET"))
            self.metrics.requests.inc((method, route, str(status)))
            self.metrics.request_seconds.observe((route,), seconds)
            if route != "/metrics":
                write_access_line(method, route, status, seconds)
