"""Probes of this area's root operations for the authorization matrix (see tests/access/probes.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.access.probes import Probe

PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {}
