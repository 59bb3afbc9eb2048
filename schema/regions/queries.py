"""Root fields for the region tree."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from core.regions import models
from schema.limits import cost
from schema.regions.types import DISTRICT, District


@strawberry.type
class RegionQuery:
    @strawberry.field(
        description="Every district of the city, in creation order.", metadata=cost(size=20)
    )
    async def districts(self, info: Info) -> list[District]:
        rows = await models.District.all().order_by("id").values(*DISTRICT.columns)
        return [DISTRICT.build(row) for row in rows]

    @strawberry.field(description="One district by its config code; null if there is none.")
    async def district(self, code: str) -> District | None:
        row = await models.District.filter(code=code).first().values(*DISTRICT.columns)
        return DISTRICT.build(row) if row else None
