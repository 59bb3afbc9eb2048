"""Role grants that tests hand out."""

from __future__ import annotations

from core.access.models import RoleGrant
from core.regions.models import Grid


async def make_grid_worker(person_id: int, grid: Grid) -> RoleGrant:
    """Make the person a grid worker of ``grid`` (the grant names the places above it too);
    the caller removes the grant where later tests must not see it."""
    return await RoleGrant.create(
        person_id=person_id,
        role="GRID_WORKER",
        level="grid",
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
        grid_id=grid.id,
    )
