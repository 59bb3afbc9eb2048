"""``Grid.cases``: the grid-worker app's and the dashboards' way down the region tree to the
cases of each grid, batched for all the grids of a response."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.cases.machine import Status
from core.cases.rules import CASE_SCOPE
from schema.cases.types import CASE, Case
from schema.planner.declare import Children
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection

CASES_OF_GRID = Children(
    lambda: CASE, "grid_id", scope=CASE_SCOPE, newest_first=True, filters=("status",)
)


@strawberry.type
class GridCases:
    """Fields of ``Grid`` that live with the cases domain."""

    @strawberry.field(
        description="Cases of the grid that you may see, newest first (every grid of a "
        "response is read in one statement).",
        metadata=CASES_OF_GRID.metadata,
    )
    async def cases(
        self,
        info: Info,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
        status: Annotated[
            Status | None, strawberry.argument(description="Only cases of this status.")
        ] = None,
    ) -> Connection[Case]:
        grid_id: int = self.id  # type: ignore[attr-defined]  # resolved on a Grid
        return await CASES_OF_GRID.connection(info, grid_id, first, after, status=status)
