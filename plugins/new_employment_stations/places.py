"""Places: global ids of places from arguments, region ids to the codes the config speaks in,
and the settings in force there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry import relay
from tortoise.expressions import Q

from core import Activation, BadUserInput, Community, District, Place, PlaceRow, Street, find_place
from plugins.new_employment_stations.settings import StationSettings

NAME = "new_employment_stations"

PlaceIds = tuple[int, int | None, int | None]
"""(district id, street id, community id) of a row."""


async def places_of(ids: Iterable[PlaceIds]) -> dict[PlaceIds, Place]:
    """The config places of rows, by their region ids (one statement per level)."""
    wanted = set(ids)
    districts = dict(
        await District.filter(id__in={d for d, _, _ in wanted}).values_list("id", "code")
    )
    streets = dict(
        await Street.filter(id__in={s for _, s, _ in wanted if s}).values_list("id", "code")
    )
    communities = dict(
        await Community.filter(id__in={c for _, _, c in wanted if c}).values_list("id", "code")
    )
    return {
        key: Place(
            districts.get(key[0], ""),
            streets.get(key[1]) if key[1] else None,
            communities.get(key[2]) if key[2] else None,
        )
        for key in wanted
    }


def settings_at(activation: Activation, place: Place) -> StationSettings:
    found = activation.settings(NAME, place)
    return found if isinstance(found, StationSettings) else StationSettings()


COLUMNS = {"District": "district_id", "Street": "street_id", "Community": "community_id",
           "Compound": "compound_id"}  # fmt: skip


async def place_row(place_id: str, kinds: tuple[str, ...]) -> PlaceRow:
    """The place a global id names, one of ``kinds`` (BAD_USER_INPUT for another kind,
    NOT_FOUND for none)."""
    try:
        parsed = relay.GlobalID.from_id(place_id)
        kind, key = parsed.type_name, int(parsed.node_id)
    except Exception:
        kind, key = "", 0
    if kind not in kinds:
        raise BadUserInput(f"Give the id of a {' or '.join(kinds)}.", argument="placeId")
    return await find_place(kind, key)


def within(place: PlaceRow) -> Q:
    """The rows in the place (and below it)."""
    lookup: dict[str, Any] = {COLUMNS[place.kind]: place.id}
    return Q(**lookup)
