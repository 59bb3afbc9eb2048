"""Where a classroom row sits: whether the module is on there, the settings in force, and the
places that arguments name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from strawberry import relay

from core import Activation, BadUserInput, Community, ModuleDisabled, Place, PlaceRow, find_place
from plugins.four_thirty_classroom.settings import ClassroomSettings
from schema import Context

NAME = "four_thirty_classroom"

REGION_COLUMNS = {"District": "district_id", "Street": "street_id", "Community": "community_id"}


async def ensure_on(
    context: Context, district_id: int, street_id: int | None = None,
    community_id: int | None = None,
) -> None:  # fmt: skip
    """MODULE_DISABLED unless the module is on at the place (checked before anything is
    written, in the words the module gate uses)."""
    if not (await context.switch_ids(NAME)).enabled(district_id, street_id, community_id):
        parts = [f"district {district_id}"]
        parts += [f"street {street_id}"] if street_id is not None else []
        parts += [f"community {community_id}"] if community_id is not None else []
        raise ModuleDisabled(NAME, f"the place of this object ({', '.join(parts)})")


async def ensure_row_on(context: Context, row: Mapping[str, Any]) -> None:
    """``ensure_on`` for a row with the three place columns."""
    await ensure_on(context, row["district_id"], row["street_id"], row["community_id"])


async def config_place(community_id: int) -> Place:
    """The codes of a community, its street and district (what the config names)."""
    found = (
        await Community.filter(id=community_id)
        .first()
        .values("code", "street__code", "district__code")
    )
    if found is None:
        return Place("")
    return Place(found["district__code"], found["street__code"], found["code"])


async def config_places(community_ids: Iterable[int]) -> dict[int, Place]:
    """``config_place`` of many communities (one statement)."""
    rows = await Community.filter(id__in=set(community_ids)).values(
        "id", "code", "street__code", "district__code"
    )
    return {r["id"]: Place(r["district__code"], r["street__code"], r["code"]) for r in rows}


def settings_in(activation: Activation, place: Place) -> ClassroomSettings:
    found = activation.settings(NAME, place)
    return found if isinstance(found, ClassroomSettings) else ClassroomSettings()


async def settings_at(context: Context, community_id: int) -> ClassroomSettings:
    """The module's settings in force at a community."""
    return settings_in(context.activation, await config_place(community_id))


def zone(context: Context) -> str:
    return context.activation.config.city.time_zone


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
