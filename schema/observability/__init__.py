"""What operators watch: JSON logs with the request id (:mod:`.logs`), Prometheus metrics at
``/metrics`` (:mod:`.metrics`) and OpenTelemetry traces (:mod:`.tracing`), set up for an app
by :func:`observe` from ``[observability]``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route
from strawberry.extensions import SchemaExtension

from core.config.model import ObservabilityConfig
from schema.builder import ComposedSchema
from schema.observability.metrics import HttpMetricsMiddleware, Metrics, MetricsExtension
from schema.observability.tracing import tracing_extension

__all__ = ["Observed", "observe"]


@dataclass
class Observed:
    """The routes and middleware an app adds, and its metrics (``None``: switched off)."""

    metrics: Metrics | None
    routes: list[BaseRoute] = field(default_factory=list)
    middleware: list[Middleware] = field(default_factory=list)


def observe(
    config: ObservabilityConfig, composed: ComposedSchema, subscriptions: Callable[[], int]
) -> Observed:
    """Put the metrics and tracing extensions on the schema (once: a schema shared by several
    apps reports to the last one built); give the ``/metrics`` route and request middleware."""
    schema = composed.schema
    extensions = [e for e in schema.extensions if not getattr(e, "hemei_observer", False)]
    metrics = Metrics(subscriptions) if config.metrics else None
    added = []
    if metrics is not None:
        factory = _marked(lambda: MetricsExtension(metrics=metrics))
        factory.hemei_metrics = metrics  # type: ignore[attr-defined]  # read by schema.lean
        added.append(factory)
    if (tracing := tracing_extension(config)) is not None:
        added.append(_marked(tracing))
    schema.extensions = (*extensions, *added)
    if metrics is None:
        return Observed(None)
    return Observed(
        metrics,
        routes=[Route("/metrics", metrics.endpoint, methods=["GET"])],
        middleware=[Middleware(HttpMetricsMiddleware, metrics=metrics)],
    )


def _marked(factory: Callable[[], SchemaExtension]) -> Callable[[], SchemaExtension]:
    factory.hemei_observer = True  # type: ignore[attr-defined]  # found again on a rebuild
    return factory
