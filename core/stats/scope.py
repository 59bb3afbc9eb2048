"""The place a dashboard is about, as filters on any table that stores place ids."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from tortoise.expressions import Q

LEVELS = ("city", "district", "street", "community", "grid")


@dataclass(frozen=True)
class PlaceScope:
    """A dashboard's place: the city, or one district, street, community or grid (``id``).

    ``districts`` narrows a city-wide figure to some districts (where a module is on)."""

    level: str
    id: int | None = None
    districts: frozenset[int] | None = None
    time_zone: str = "Asia/Shanghai"
    """The city's zone, for figures over tables that store local days (a meal's day)."""

    def q(
        self,
        district: str | None = "district_id",
        street: str | None = "street_id",
        community: str | None = "community_id",
        grid: str | None = "grid_id",
    ) -> Q | None:
        """Rows of a table at this place, given the table's column for each level (None: the
        table has no such column, and the figure does not apply at that level)."""
        columns = {"district": district, "street": street, "community": community, "grid": grid}
        parts = []
        if self.level != "city":
            column = columns[self.level]
            if column is None:
                return None
            parts.append(_eq(column, self.id))
        if self.districts is not None and district is not None:
            parts.append(_in(district, self.districts))
        return Q(*parts) if parts else Q()

    def within(self, districts: Collection[int]) -> PlaceScope:
        return replace(self, districts=frozenset(districts))


def _eq(column: str, value: Any) -> Q:
    lookup: dict[str, Any] = {column: value}
    return Q(**lookup)


def _in(column: str, values: Collection[int]) -> Q:
    lookup: dict[str, Any] = {f"{column}__in": list(values)}
    return Q(**lookup)
