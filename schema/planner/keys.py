"""What a field's ``metadata`` says to the planner (kept free of imports: low-level modules
such as :mod:`schema.relay` declare with it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PLAN_KEY = "hemei.plan"
"""The key of a field's ``metadata`` that holds its planned declaration."""


@dataclass(frozen=True)
class SelfOnly:
    """A resolver that needs nothing but its object and returns a plain value (a connection's
    ``totalCount``): the planner may call it directly, once per object."""

    @property
    def metadata(self) -> dict[str, Any]:
        return {PLAN_KEY: self}


SELF_ONLY = SelfOnly()
