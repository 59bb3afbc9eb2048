"""A place of the region tree by kind and key, with the ids of the places above it: what scope
rules compare against when a mutation targets a place rather than an existing row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import NotFound
from core.regions.models import Community, Compound, District, Grid, Street

PLACE_MODELS: dict[str, Any] = {
    "District": District,
    "Street": Street,
    "Community": Community,
    "Grid": Grid,
    "Compound": Compound,
}


@dataclass(frozen=True)
class PlaceRow:
    """A place and its ancestors' ids (None below the place's own level)."""

    kind: str
    id: int
    district_id: int
    street_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    compound_id: int | None = None

    def row(self) -> dict[str, Any]:
        """The place as a row for ``ScopeRule.covering_grant``."""
        return {
            "district_id": self.district_id,
            "street_id": self.street_id,
            "community_id": self.community_id,
            "grid_id": self.grid_id,
        }


async def find_place(kind: str, key: int, *, what: str = "place") -> PlaceRow:
    """The place of ``kind`` (District, Street, Community, Grid or Compound) with id ``key``."""
    model = PLACE_MODELS.get(kind)
    found = await model.filter(id=key).first() if model is not None else None
    if found is None:
        raise NotFound(f"No such {what}.")
    if kind == "District":
        return PlaceRow(kind, found.id, district_id=found.id)
    if kind == "Street":
        return PlaceRow(kind, found.id, found.district_id, street_id=found.id)
    if kind == "Community":
        return PlaceRow(kind, found.id, found.district_id, found.street_id, community_id=found.id)
    if kind == "Grid":
        return PlaceRow(
            kind, found.id, found.district_id, found.street_id, found.community_id, found.id
        )
    return PlaceRow(
        kind, found.id, found.district_id, found.street_id, found.community_id,
        grid_id=found.grid_id, compound_id=found.id,
    )  # fmt: skip
