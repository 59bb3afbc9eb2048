"""Custom scalars. Annotate fields with these types; the builder maps them to GraphQL."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

GeoJSON = NewType("GeoJSON", object)
"""A GeoJSON geometry (RFC 7946, WGS84): annotate a field with it to get the ``GeoJSON`` scalar."""
JSON = NewType("JSON", object)
"""Any JSON value: annotate a field with it to get the ``JSON`` scalar."""


def _same(value: Any) -> Any:
    return value


SCALARS: dict[object, ScalarDefinition] = {
    GeoJSON: strawberry.scalar(
        name="GeoJSON",
        description="A GeoJSON geometry object (RFC 7946), WGS84 longitude/latitude.",
        serialize=_same,
        parse_value=_same,
    ),
    JSON: strawberry.scalar(
        name="JSON", description="Any JSON value.", serialize=_same, parse_value=_same
    ),
}
