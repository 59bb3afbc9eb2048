"""Places: global ids of places from arguments, the module switch at a row's place, the
settings in force there, and the city's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from strawberry import relay
from tortoise.expressions import Q

from core import (
    Activation,
    BadUserInput,
    BookingEngine,
    Community,
    District,
    ModuleDisabled,
    Place,
    PlaceRow,
    Street,
    find_place,
)
from plugins.medical_teams.settings import MedicalSettings
from schema import Context

NAME = "medical_teams"


def now() -> datetime:
    """The current time (UTC). Tests replace it to stand at a chosen moment."""
    return datetime.now(UTC)


def engine() -> BookingEngine:
    """The core booking engine on the module's clock."""
    return BookingEngine(now=lambda: now())


def zone(context: Context) -> str:
    return context.activation.config.city.time_zone


def local_midnight(day: date, zone_name: str) -> datetime:
    """The start of ``day`` in the city, as UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone_name)).astimezone(UTC)


def local_day(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(ZoneInfo(zone_name)).date()


async def place_of(district_id: int, street_id: int | None, community_id: int | None) -> Place:
    """The codes the config speaks in, for a row's region ids."""
    district = await District.filter(id=district_id).first().values("code")
    street = await Street.filter(id=street_id).first().values("code") if street_id else None
    community = (
        await Community.filter(id=community_id).first().values("code") if community_id else None
    )
    return Place(
        district["code"] if district else "",
        street["code"] if street else None,
        community["code"] if community else None,
    )


async def settings_at(
    activation: Activation, district_id: int, street_id: int | None, community_id: int | None
) -> MedicalSettings:
    """The module's settings in force at a place (the district's defaults where none are set)."""
    found = activation.settings(NAME, await place_of(district_id, street_id, community_id))
    return found if isinstance(found, MedicalSettings) else MedicalSettings()


async def ensure_on(context: Context, district_id: int, street_id: int | None = None,
                    community_id: int | None = None) -> None:  # fmt: skip
    """MODULE_DISABLED unless the module is on at the place (checked before anything is read
    or written, in the words the module gate uses)."""
    if not (await context.switch_ids(NAME)).enabled(district_id, street_id, community_id):
        parts = [f"district {district_id}"]
        parts += [f"street {street_id}"] if street_id is not None else []
        parts += [f"community {community_id}"] if community_id is not None else []
        raise ModuleDisabled(NAME, f"the place of this object ({', '.join(parts)})")


COLUMNS = {"District": "district_id", "Street": "street_id", "Community": "community_id",
           "Compound": "compound_id"}  # fmt: skip


async def place_row(place_id: str, kinds: tuple[str, ...], argument: str = "placeId") -> PlaceRow:
    """The place a global id names, one of ``kinds`` (BAD_USER_INPUT for another kind,
    NOT_FOUND for none)."""
    try:
        parsed = relay.GlobalID.from_id(place_id)
        kind, key = parsed.type_name, int(parsed.node_id)
    except Exception:
        kind, key = "", 0
    if kind not in kinds:
        raise BadUserInput(f"Give the id of a {' or '.join(kinds)}.", argument=argument)
    return await find_place(kind, key)


def within(place: PlaceRow) -> Q:
    """The rows in the place (and below it)."""
    lookup: dict[str, Any] = {COLUMNS[place.kind]: place.id}
    return Q(**lookup)
