"""GraphQL of deliberation: the root types and node sources this area adds to the core schema."""

from __future__ import annotations

from schema.deliberation.operations import DeliberationMutation, DeliberationQuery
from schema.deliberation.types import OPTION, TOPIC
from schema.nodes import NodeSource

QUERIES: tuple[type, ...] = (DeliberationQuery,)
MUTATIONS: tuple[type, ...] = (DeliberationMutation,)
NODES: tuple[NodeSource, ...] = (TOPIC, OPTION)
TYPE_FIELDS: dict[str, type] = {}
"""Fields this area adds to types of other areas (e.g. ``Case.workOrders``): type name → mixin."""
