"""Custom scalars. Annotate fields with these types; the builder maps them to GraphQL."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

GeoJSON = NewType("GeoJSON", object)
JSON = NewType("JSON", object)


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
