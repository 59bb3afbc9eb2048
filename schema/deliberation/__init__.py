"""GraphQL of deliberation: the root types and node sources this area adds to the core schema."""

from __future__ import annotations

from schema.nodes import NodeSource

QUERIES: tuple[type, ...] = ()
MUTATIONS: tuple[type, ...] = ()
NODES: tuple[NodeSource, ...] = ()
TYPE_FIELDS: dict[str, type] = {}
"""Fields this area adds to types of other areas (e.g. ``Case.workOrders``): type name → mixin."""
