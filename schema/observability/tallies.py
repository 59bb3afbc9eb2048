"""Labelled counters and latency histograms counted in plain numbers, exposed like
prometheus_client's own.

Every request counts itself twice and times itself twice (the HTTP request, the GraphQL
operation). prometheus_client's ``Counter.inc`` and ``Histogram.observe`` check the metric,
take a lock per value and walk the buckets in Python: a tenth of the work of a small read.
Hemei counts on its event loop's thread only, so a :class:`Tally` keeps each series as a list
of numbers and turns them into samples when Prometheus scrapes (``collect``), with the same
names, labels, suffixes (``_total``, ``_bucket``, ``_count``, ``_sum``, ``_created``) and order
as prometheus_client's ``Counter`` and ``Histogram`` would give.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import INF, floatToGoString

Labels = tuple[str, ...]

# prometheus_client's own switch for the ``_created`` series (read the same way).
_CREATED = os.environ.get("PROMETHEUS_DISABLE_CREATED_SERIES", "False").lower() not in (
    "true",
    "1",
    "t",
)


class Tally(Collector):
    """A counter (no ``buckets``) or a histogram, one series per tuple of label values.

    Call it only from one thread (the event loop's): the numbers are not locked."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str],
        registry: CollectorRegistry,
        buckets: Sequence[float] | None = None,
    ) -> None:
        self.name, self.documentation = name, documentation
        self.labelnames = tuple(labelnames)
        self.bounds: tuple[float, ...] | None = None
        if buckets is not None:
            bounds = sorted(float(b) for b in buckets)
            self.bounds = tuple(bounds if bounds[-1] == INF else [*bounds, INF])
        # labels -> [created, sum, count per bucket...] (a counter: [created, value])
        self._series: dict[Labels, list[float]] = {}
        registry.register(self)

    def _of(self, labels: Labels) -> list[float]:
        if len(labels) != len(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}, got {labels}")
        width = 1 if self.bounds is None else 1 + len(self.bounds)
        series = self._series[labels] = [time.time(), *([0.0] * width)]
        return series

    def inc(self, labels: Labels, amount: float = 1.0) -> None:
        """Add ``amount`` to the counter's series ``labels``."""
        series = self._series.get(labels) or self._of(labels)
        series[1] += amount

    def observe(self, labels: Labels, value: float) -> None:
        """Count ``value`` in the histogram's series ``labels`` (the first bucket whose bound
        is at least ``value``, as prometheus_client does)."""
        series = self._series.get(labels) or self._of(labels)
        series[1] += value
        series[2 + bisect_left(self.bounds, value)] += 1  # type: ignore[arg-type]

    def describe(self) -> Iterator[Metric]:
        yield Metric(self.name, self.documentation, self._kind)

    def collect(self) -> Iterator[Metric]:
        metric = Metric(self.name, self.documentation, self._kind)
        name = metric.name
        for labels, series in list(self._series.items()):
            named = dict(zip(self.labelnames, labels, strict=True))
            if self.bounds is None:
                metric.add_sample(f"{name}_total", named, series[1])
            else:
                count = 0.0
                for bound, n in zip(self.bounds, series[2:], strict=True):
                    count += n
                    metric.add_sample(f"{name}_bucket", {**named, "le": floatToGoString(bound)},
                                      count)  # fmt: skip
                metric.add_sample(f"{name}_count", named, count)
                metric.add_sample(f"{name}_sum", named, series[1])
            if _CREATED:
                metric.add_sample(f"{name}_created", named, series[0])
        yield metric

    @property
    def _kind(self) -> str:
        return "counter" if self.bounds is None else "histogram"
