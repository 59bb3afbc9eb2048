"""Garbage-collector settings for a serving process.

A large read allocates tens of thousands of short-lived objects (rows, response dicts); with
CPython's default thresholds each burst set off collections that walked every object alive,
the schema and the ORM's metadata included: ~40% of a 4,000-case planned read went there
(profiled on the city demo). Most of those objects die by reference counting anyway, so the
process freezes what it has built at start-up (never collected again, never walked again)
and collects young objects less often.
"""

from __future__ import annotations

import gc

THRESHOLDS = (100_000, 50, 100)
"""Objects allocated before a young collection, and young/middle collections before the next
older one (CPython's defaults: 700, 10, 10). A 4,000-case read allocates ~100,000 objects:
at 20,000 the young collections of each such read cost 5 % of its CPU (21.9 → 20.8 ms,
alternating runs of tests.benchmarks.bench_request_cpu's nested document); the memory they
would free is the odd reference cycle, as loaders are released after each operation."""


def tune_for_serving() -> None:
    """Call once the app is built and its start-up done, before it serves requests."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
