"""Where a new case goes: the grid of its place, and that grid's worker on duty."""

from __future__ import annotations

from core.access.models import RoleGrant
from core.errors import BadUserInput, NotFound
from core.regions.geo import grid_at
from core.regions.models import Compound, Grid


async def locate(
    compound_id: int | None, grid_id: int | None, lon: float | None, lat: float | None
) -> tuple[Grid, Compound | None]:
    """The grid (and compound) of a report: from the compound, else the grid, else the point."""
    if compound_id is not None:
        compound = await Compound.filter(id=compound_id).first()
        if compound is None:
            raise NotFound("No such compound.")
        return await Grid.get(id=compound.grid_id), compound
    if grid_id is not None:
        grid = await Grid.filter(id=grid_id).first()
        if grid is None:
            raise NotFound("No such grid.")
        return grid, None
    if lon is not None and lat is not None:
        grid = await grid_at(lon, lat)
        if grid is None:
            raise BadUserInput("No service grid covers that point.", argument="lon")
        return grid, None
    raise BadUserInput("Say where: a compound, a grid, or coordinates.", argument="place")


async def on_duty_worker(grid_id: int) -> int | None:
    """The person on duty in a grid: the grid worker granted there first (a duty rota can
    replace this rule without changing its callers)."""
    grant = await RoleGrant.filter(role="GRID_WORKER", grid_id=grid_id).order_by("id").first()
    return grant.person_id if grant else None
