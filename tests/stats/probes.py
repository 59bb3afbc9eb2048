"""Probes of the dashboards' root operations (see tests/access/probes.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.access.probes import Probe, answers

PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "city": answers("{ city { name } }", "city"),
    "statsCatalogue": answers("{ statsCatalogue { key } }", "statsCatalogue"),
}
