"""GraphQL of volunteers: the root types and node sources this area adds to the core schema."""

from __future__ import annotations

from schema.nodes import NodeSource
from schema.volunteers.operations import WorkOrderMutation, WorkOrderQuery
from schema.volunteers.teams import TeamMutation, TeamQuery
from schema.volunteers.types import VOLUNTEER_TEAM, WORK_ORDER, CaseWorkOrders

QUERIES: tuple[type, ...] = (TeamQuery, WorkOrderQuery)
MUTATIONS: tuple[type, ...] = (TeamMutation, WorkOrderMutation)
NODES: tuple[NodeSource, ...] = (VOLUNTEER_TEAM, WORK_ORDER)
TYPE_FIELDS: dict[str, type] = {"Case": CaseWorkOrders}
"""Fields this area adds to types of other areas (e.g. ``Case.workOrders``): type name → mixin."""
