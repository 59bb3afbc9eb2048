"""Possible duplicates: open cases of the same category reported close by.

A rider who photographs a pothole is often not the first: nearby open cases of the same
category are offered, so a handler can reject the new one as a repeat of the old."""

from __future__ import annotations

import math

from core.cases.machine import OPEN
from core.cases.models import Case

EARTH_RADIUS_M = 6_371_000
DEFAULT_RADIUS_M = 200


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box_around(lon: float, lat: float, radius_m: float) -> dict[str, float]:
    """Filters on ``lon``/``lat`` columns for a box that holds the circle of ``radius_m``
    around the point: it narrows the rows in SQL, the exact distance is checked on those."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return {"lon__gte": lon - dlon, "lon__lte": lon + dlon,
            "lat__gte": lat - dlat, "lat__lte": lat + dlat}  # fmt: skip


MAX_DUPLICATES = 20
"""The most possible duplicates a case lists (the nearest)."""


async def nearby_open_ids(case: Case, radius_m: float = DEFAULT_RADIUS_M) -> list[int]:
    """Ids of open cases of the same category within ``radius_m`` of ``case``, nearest first
    (at most ``MAX_DUPLICATES``)."""
    if case.lon is None or case.lat is None:
        return []
    rows = await Case.filter(
        category=case.category, status__in=[s.value for s in OPEN],
        **box_around(case.lon, case.lat, radius_m),
    ).exclude(id=case.id).values_list("id", "lon", "lat")  # fmt: skip
    near = [(distance_m(case.lon, case.lat, lon, lat), i) for i, lon, lat in rows]
    return [i for d, i in sorted(near) if d <= radius_m][:MAX_DUPLICATES]
