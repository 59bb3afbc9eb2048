"""Scope rules by GraphQL type: the data ``node``/``nodes`` and scoped lists apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.access.scope import ScopeRule
from schema.context import Context


@dataclass
class AccessRules:
    """Which GraphQL types hold rows only some viewers may see, and the rule for each."""

    scopes: dict[type, ScopeRule] = field(default_factory=dict)

    def admits(self, context: Context, obj: Any) -> bool:
        """May the viewer see this object? Types without a rule are public."""
        rule = self.scopes.get(type(obj))
        return rule is None or rule.admits(context.viewer, vars(obj))
