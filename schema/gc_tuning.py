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

THRESHOLDS = (20_000, 50, 100)
"""Objects allocated before a young collection, and young/middle collections before the next
older one (CPython's defaults: 700, 10, 10)."""


def tune_for_serving() -> None:
    """Call once the app is built and its start-up done, before it serves requests."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
