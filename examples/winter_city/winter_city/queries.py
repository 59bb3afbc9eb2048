"""Root queries."""

from __future__ import annotations

import strawberry
from core import NotFound, find_place
from schema import Connection, key_of, module_filter, scoped_connection
from strawberry.types import Info
from tortoise.expressions import Q

from winter_city.names import NAME, READERS
from winter_city.types import REPORT, ProblemKind, WinterReport

PLACE_COLUMNS = {
    "District": "district_id",
    "Street": "street_id",
    "Community": "community_id",
    "Grid": "grid_id",
    "Compound": "compound_id",
}


@strawberry.type
class WinterQuery:
    @strawberry.field(
        description="Winter reports you may see (yours, or those of the places you serve), "
        "newest first; where the module is off they are left out."
    )
    async def winter_reports(
        self,
        info: Info,
        place_id: strawberry.ID | None = None,
        kind: ProblemKind | None = None,
        open_only: bool = False,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[WinterReport]:
        filters = [await module_filter(info, NAME)]
        if place_id is not None:
            kind_name = next(
                (k for k in PLACE_COLUMNS if _names(place_id, k)), "District"
            )  # NOT_FOUND below when it is no place
            place = await find_place(kind_name, key_of(place_id, kind_name, what="place"))
            filters.append(Q(**{PLACE_COLUMNS[kind_name]: place.id}))
        if kind is not None:
            filters.append(Q(kind=kind.value))
        if open_only:
            filters.append(Q(status="OPEN"))
        return await scoped_connection(
            info, REPORT, READERS, first, after, *filters, newest_first=True
        )


def _names(global_id: str, type_name: str) -> bool:
    try:
        key_of(global_id, type_name)
    except NotFound:
        return False
    return True
