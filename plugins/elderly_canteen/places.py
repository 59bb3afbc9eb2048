"""Where a canteen row sits: whether the module is on there, and the settings in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from core import Community, ModuleDisabled, NotFound, Place
from plugins.elderly_canteen.settings import CanteenSettings
from schema import Context

NAME = "elderly_canteen"


async def place_of(row: Mapping[str, Any]) -> Place:
    """The codes of a row's district, street and community (what the config names)."""
    found = (
        await Community.filter(id=row["community_id"])
        .first()
        .values("code", "street__code", "district__code")
    )
    if found is None:
        raise NotFound("No such community.")
    return Place(found["district__code"], found["street__code"], found["code"])


async def settings_at(context: Context, row: Mapping[str, Any]) -> CanteenSettings:
    """The module's settings in force at the row's place."""
    found = context.activation.settings(NAME, await place_of(row))
    return cast(CanteenSettings, found) if found is not None else CanteenSettings()


async def require_on(context: Context, row: Mapping[str, Any]) -> None:
    """MODULE_DISABLED unless the module is on at the row's place."""
    ids = await context.switch_ids(NAME)
    if not ids.enabled(row["district_id"], row["street_id"], row["community_id"]):
        raise ModuleDisabled(
            NAME,
            f"the place of this object (district {row['district_id']}, street "
            f"{row['street_id']}, community {row['community_id']})",
        )


def zone(context: Context) -> str:
    return context.activation.config.city.time_zone
