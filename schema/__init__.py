"""Hemei's GraphQL API. This module is the public API for plugins' GraphQL parts: import from
here, not from submodules (an import-linter contract checks this)."""

from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated, has_role
from schema.access.rules import Masked, scoped
from schema.booking.types import BOOKING, Booking
from schema.cases.types import CASE, Case
from schema.context import Context
from schema.contribution import PlaceOf, SchemaContribution
from schema.gate import module_filter, module_settings, require_module
from schema.ids import global_id, key_of
from schema.limits import cost
from schema.loaders import by_id, child_counts, child_pages
from schema.nodes import NodeSource
from schema.regions.types import Community, Compound, District, Grid, Street
from schema.relay import MAX_FIRST, Connection, PageArgs, make_connection
from schema.routes import RouteContext
from schema.scalars import JSON, GeoJSON

__all__ = [
    "BOOKING",
    "CASE",
    "JSON",
    "MAX_FIRST",
    "Booking",
    "Case",
    "Community",
    "Compound",
    "Connection",
    "Context",
    "District",
    "GeoJSON",
    "Grid",
    "IsAuthenticated",
    "Masked",
    "NodeSource",
    "PageArgs",
    "PlaceOf",
    "RouteContext",
    "SchemaContribution",
    "Street",
    "by_id",
    "child_counts",
    "child_pages",
    "cost",
    "global_id",
    "has_role",
    "key_of",
    "make_connection",
    "module_filter",
    "module_settings",
    "require_module",
    "scoped",
    "scoped_connection",
]
