"""OpenTelemetry tracing through strawberry's extension, off by default
(``[observability] tracing``).

A span per operation (named after it, with its type and the request id) and one per resolver
that has code of its own. Neither records the query text nor argument values: both may hold
personal data (an ID-card number typed into a query). Spans go to the tracer provider the
deployment configured (``opentelemetry-instrument`` or its own set-up), or are printed with
``tracing_console``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Generator
from contextlib import suppress
from typing import Any

from core.config.model import ObservabilityConfig
from schema.request_id import current_request_id

__all__ = ["TracingUnavailable", "tracing_extension"]


class TracingUnavailable(RuntimeError):
    """Tracing is switched on but OpenTelemetry is not installed."""


def tracer_provider(config: ObservabilityConfig) -> Any:
    """The provider spans go to: ``None`` for the global one, a console printer when asked."""
    if not config.tracing_console:
        return None
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    return provider


def _no_values(arguments: dict[str, Any], info: Any) -> dict[str, Any]:
    """Argument names only: their values may be personal data."""
    return {name: "-" for name in arguments}


def tracing_extension(config: ObservabilityConfig) -> Callable[[], Any] | None:
    """A factory of the tracing extension, or ``None`` when tracing is off."""
    if not config.tracing:
        return None
    if importlib.util.find_spec("opentelemetry") is None:
        raise TracingUnavailable(
            "[observability] tracing needs OpenTelemetry: pip install 'hemei[tracing]'"
        )
    from opentelemetry.trace import SpanKind
    from strawberry.extensions import LifecycleStep
    from strawberry.extensions.tracing import OpenTelemetryExtension

    class HemeiTracing(OpenTelemetryExtension):
        def on_operation(self) -> Generator[None, None, None]:
            context = self.execution_context
            span = self._tracer.start_span(
                f"GraphQL {context.operation_name or 'operation'}", kind=SpanKind.SERVER
            )
            span.set_attribute("component", "graphql")
            span.set_attribute("hemei.request_id", current_request_id.get())
            self._span_holder[LifecycleStep.OPERATION] = span
            yield
            if context.operation_name:
                span.update_name(f"GraphQL {context.operation_name}")
                span.set_attribute("graphql.operation.name", context.operation_name)
            with suppress(Exception):  # the document did not parse: no type
                span.set_attribute("graphql.operation.type", context.operation_type.value)
            span.end()

    provider = tracer_provider(config)
    return lambda: HemeiTracing(arg_filter=_no_values, tracer_provider=provider)
