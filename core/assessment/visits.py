"""Grid visits: a grid worker checks in on patrol in their grid (走访)."""

from __future__ import annotations

from dataclasses import dataclass

from core.access.scope import ScopeRule
from core.access.viewer import Grant, Viewer
from core.assessment.models import GridVisit
from core.errors import BadUserInput, Forbidden, NotFound
from core.regions.geo import grid_at
from core.regions.models import Compound, Grid

PATROLLERS = ScopeRule(roles=frozenset({"GRID_WORKER"}), district=None, street=None, community=None)
"""Who records a visit in a grid: its grid workers."""


@dataclass(frozen=True)
class VisitPlace:
    grid_id: int | None = None
    compound_id: int | None = None
    lon: float | None = None
    lat: float | None = None


async def record_visit(
    viewer: Viewer | None, place: VisitPlace, note: str
) -> tuple[GridVisit, Grant]:
    """Record a visit at a compound, a grid or a point (the grid containing it)."""
    if len(note) > 1000:
        raise BadUserInput("A note has at most 1000 characters.", argument="note")
    grid = None
    if place.compound_id is not None:
        compound = await Compound.filter(id=place.compound_id).first()
        if compound is None:
            raise NotFound("No such compound.", argument="compoundId")
        grid = await Grid.get(id=compound.grid_id)
    elif place.grid_id is not None:
        grid = await Grid.filter(id=place.grid_id).first()
        if grid is None:
            raise NotFound("No such grid.", argument="gridId")
    elif place.lon is not None and place.lat is not None:
        grid = await grid_at(place.lon, place.lat)
        if grid is None:
            raise BadUserInput("No grid contains this point.", argument="lon")
    else:
        raise BadUserInput("Give a compound, a grid or a point.", argument="gridId")
    row = {"grid_id": grid.id, "community_id": grid.community_id}
    grant = PATROLLERS.covering_grant(viewer, row)
    if grant is None or viewer is None:
        raise Forbidden("Visits are recorded by the grid's own workers.")
    visit = await GridVisit.create(
        person_id=viewer.person_id, grid_id=grid.id, district_id=grid.district_id,
        street_id=grid.street_id, community_id=grid.community_id,
        compound_id=place.compound_id, lon=place.lon, lat=place.lat, note=note.strip(),
    )  # fmt: skip
    return visit, grant
