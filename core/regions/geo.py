"""Which grid holds a point: snap-and-report (随手拍) reports often come with coordinates only.

Plain shapely over the stored GeoJSON, so it runs the same on SQLite and PostgreSQL without
PostGIS. Boundaries count as inside, so a point on an edge shared by two grids is never lost
between them; it goes to the grid with the lowest id, so the answer is stable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from core.errors import BadUserInput
from core.regions.models import Grid


def _check_point(lon: float, lat: float) -> None:
    # Written as "not inside" so that NaN, which fails every comparison, is refused as well.
    if not -180.0 <= lon <= 180.0:
        raise BadUserInput(
            f"Longitude must be between -180 and 180, got {lon}.", argument="lon", value=lon
        )
    if not -90.0 <= lat <= 90.0:
        raise BadUserInput(
            f"Latitude must be between -90 and 90, got {lat}.", argument="lat", value=lat
        )


def polygon_contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether a GeoJSON (Multi)Polygon covers the WGS84 point; its boundary counts as inside."""
    _check_point(lon, lat)
    # Imported on first use: shapely and numpy are ~19 MB that a server reading cases never
    # needs until a report comes with coordinates only.
    import shapely
    from shapely.geometry import shape

    return bool(shapely.intersects_xy(shape(geometry), lon, lat))


def _exterior_points(geometry: dict[str, Any]) -> Iterator[Sequence[float]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for rings in polygons:
        yield from rings[0]


def _bbox_covers(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """A few comparisons that rule out most grids before shapely parses their boundary."""
    west = south = math.inf
    east = north = -math.inf
    for x, y, *_ in _exterior_points(geometry):
        west, east, south, north = min(west, x), max(east, x), min(south, y), max(north, y)
    return west <= lon <= east and south <= lat <= north


async def grid_at(lon: float, lat: float) -> Grid | None:
    """The grid whose boundary holds the WGS84 point, or None when no grid does.

    Reads only ids and boundaries: a city has hundreds of grids (Hegang 721), few enough to test
    in Python on every call; an index (STRtree or PostGIS) is the next step if that changes.
    """
    _check_point(lon, lat)
    rows = await Grid.filter(boundary__isnull=False).order_by("id").values_list("id", "boundary")
    for grid_id, boundary in rows:
        if _bbox_covers(boundary, lon, lat) and polygon_contains(boundary, lon, lat):
            return await Grid.get(id=grid_id)
    return None
