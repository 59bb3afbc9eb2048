"""GraphQL of stations, the one-stop catalogue, applications and station appointments."""

from __future__ import annotations

from schema.booking.operations import BookingMutation, BookingQuery
from schema.booking.types import BOOKING
from schema.nodes import NodeSource
from schema.stations.operations import StationMutation, StationQuery
from schema.stations.types import SERVICE_APPLICATION, SERVICE_STATION

QUERIES: tuple[type, ...] = (StationQuery, BookingQuery)
MUTATIONS: tuple[type, ...] = (StationMutation, BookingMutation)
NODES: tuple[NodeSource, ...] = (SERVICE_STATION, SERVICE_APPLICATION, BOOKING)
TYPE_FIELDS: dict[str, type] = {}
"""Fields this area adds to types of other areas (e.g. ``Case.workOrders``): type name → mixin."""
