"""GraphQL of dashboards: figures on the city and on every place, with series and exports."""

from __future__ import annotations

from schema.nodes import NodeSource
from schema.stats.operations import STATS_FIELDS, StatsQuery

QUERIES: tuple[type, ...] = (StatsQuery,)
MUTATIONS: tuple[type, ...] = ()
NODES: tuple[NodeSource, ...] = ()
TYPE_FIELDS: dict[str, type] = STATS_FIELDS
