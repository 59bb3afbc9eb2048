"""GraphQL of outreach: the root types and node sources this area adds to the core schema."""

from __future__ import annotations

from schema.nodes import NodeSource
from schema.outreach.figures import OutreachFiguresQuery
from schema.outreach.operations import OutreachMutation, OutreachQuery
from schema.outreach.types import ACTIVITY, TEAM

QUERIES: tuple[type, ...] = (OutreachQuery, OutreachFiguresQuery)
MUTATIONS: tuple[type, ...] = (OutreachMutation,)
NODES: tuple[NodeSource, ...] = (TEAM, ACTIVITY)
TYPE_FIELDS: dict[str, type] = {}
"""Fields this area adds to types of other areas (e.g. ``Case.workOrders``): type name → mixin."""
