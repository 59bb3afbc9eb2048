"""Stations: opening and changing them, naming their keeper, and who is in right now.

Each write checks who may do it and returns the grant that allowed it (for the audit log);
changes carry the version the caller read, so a stale one is CONFLICT, never a lost update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import (
    BadUserInput,
    Conflict,
    Forbidden,
    Grant,
    NotFound,
    Viewer,
    distance_m,
    grants_of,
)
from plugins.new_employment_stations.hours import OpeningPeriod, checked_hours
from plugins.new_employment_stations.models import Station, Visit
from plugins.new_employment_stations.rules import KEEPER_GRANTS, STATION_MANAGERS

MAX_CHARGERS = 200


class Amenity(StrEnum):
    """What a station offers. CHARGING is there exactly when the station has chargers."""

    DRINKING_WATER = "DRINKING_WATER"
    CHARGING = "CHARGING"
    MICROWAVE = "MICROWAVE"
    REST_SEATS = "REST_SEATS"
    TOILET = "TOILET"
    FIRST_AID = "FIRST_AID"


AMENITY_COLUMNS = {
    Amenity.DRINKING_WATER: "has_water",
    Amenity.MICROWAVE: "has_microwave",
    Amenity.REST_SEATS: "has_rest_seats",
    Amenity.TOILET: "has_toilet",
    Amenity.FIRST_AID: "has_first_aid",
}


def amenities_of(row: Any) -> list[Amenity]:
    """The amenities of a station row (an object with the station's columns), in enum order."""
    return [
        a
        for a in Amenity
        if (row.chargers > 0 if a == Amenity.CHARGING else getattr(row, AMENITY_COLUMNS[a]))
    ]


@dataclass
class StationDetails:
    """What a station shows. ``None`` in an update keeps the stored value."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    lon: float | None = None
    lat: float | None = None
    hours: list[OpeningPeriod] | None = None
    amenities: list[Amenity] | None = None
    chargers: int | None = None


@dataclass(frozen=True)
class StationPlace:
    """Where a new station goes: a community, or a compound of one."""

    district_id: int
    street_id: int
    community_id: int
    compound_id: int | None = None

    def row(self) -> dict[str, Any]:
        return {"district_id": self.district_id, "street_id": self.street_id,
                "community_id": self.community_id}  # fmt: skip


def place_of(station: Station) -> dict[str, Any]:
    return {"district_id": station.district_id, "street_id": station.street_id,
            "community_id": station.community_id}  # fmt: skip


def manager_grant(viewer: Viewer | None, place: dict[str, Any]) -> Grant:
    grant = STATION_MANAGERS.covering_grant(viewer, place)
    if grant is None:
        raise Forbidden(
            "Stations are managed by the community workers of their community and those above."
        )
    return grant


async def station_row(station_id: int) -> Station:
    station = await Station.filter(id=station_id).first()
    if station is None:
        raise NotFound("No such station.", argument="stationId")
    return station


def _values(details: StationDetails, *, current_chargers: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if details.name is not None:
        name = details.name.strip()
        if not 1 <= len(name) <= 100:
            raise BadUserInput("A station name has 1–100 characters.", argument="name")
        values["name"] = name
    if details.address is not None:
        values["address"] = details.address.strip()[:300]
    if details.phone is not None:
        values["phone"] = details.phone.strip()[:32]
    if (details.lon is None) != (details.lat is None):
        raise BadUserInput("Give both longitude and latitude, or neither.", argument="lon")
    if details.lon is not None and details.lat is not None:
        if not (-180 <= details.lon <= 180 and -90 <= details.lat <= 90):
            raise BadUserInput("Longitude or latitude out of range.", argument="lon")
        values["lon"], values["lat"] = details.lon, details.lat
    if details.hours is not None:
        values["hours"] = checked_hours(details.hours)
    if details.chargers is not None:
        if not 0 <= details.chargers <= MAX_CHARGERS:
            raise BadUserInput(f"chargers is 0–{MAX_CHARGERS}.", argument="chargers")
        values["chargers"] = details.chargers
    if details.amenities is not None:
        chosen = set(details.amenities)
        chargers = values.get("chargers", current_chargers or 0)
        if Amenity.CHARGING in chosen and chargers == 0:
            raise BadUserInput("CHARGING comes with chargers: give how many.", argument="amenities")
        for amenity, column in AMENITY_COLUMNS.items():
            values[column] = amenity in chosen
    return values


async def create_station(
    viewer: Viewer | None, place: StationPlace, code: str, details: StationDetails
) -> tuple[Station, Grant]:
    grant = manager_grant(viewer, place.row())
    code = code.strip()
    if not 1 <= len(code) <= 64:
        raise BadUserInput("A station code has 1–64 characters.", argument="code")
    if details.name is None:
        raise BadUserInput("A station needs a name.", argument="name")
    if details.lon is None or details.lat is None:
        raise BadUserInput("A station needs its place on the map (lon, lat).", argument="lon")
    values = _values(details, current_chargers=None)
    try:
        async with in_transaction():
            station = await Station.create(
                code=code, district_id=place.district_id, street_id=place.street_id,
                community_id=place.community_id, compound_id=place.compound_id, **values,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(
            f"The district already has a station with code '{code}'.", argument="code"
        ) from None
    return station, grant


async def update_station(
    viewer: Viewer | None, station_id: int, version: int, details: StationDetails
) -> tuple[Station, Grant]:
    station = await station_row(station_id)
    grant = manager_grant(viewer, place_of(station))
    await _bump(station, version, **_values(details, current_chargers=station.chargers))
    return await station_row(station_id), grant


async def set_keeper(
    viewer: Viewer | None, station_id: int, version: int, person_id: int | None
) -> tuple[Station, Grant]:
    """Name the keeper on duty (a holder of STATION_KEEPER at the station's community), or
    nobody."""
    station = await station_row(station_id)
    grant = manager_grant(viewer, place_of(station))
    if person_id is not None:
        held = await grants_of(person_id)
        if not any(KEEPER_GRANTS.grant_covers(g, place_of(station)) for g in held):
            raise BadUserInput(
                "The keeper must hold the STATION_KEEPER role at the station's community.",
                argument="personId",
            )
    await _bump(station, version, keeper_id=person_id)
    return await station_row(station_id), grant


async def _bump(station: Station, version: int, **values: Any) -> None:
    moved = await Station.filter(id=station.id, version=version).update(
        **values, version=version + 1, updated_at=datetime.now(UTC)
    )
    if not moved:
        raise Conflict(
            "The station changed meanwhile; reload it.", argument="version",
            currentVersion=station.version,
        )  # fmt: skip


class Located(Protocol):
    id: int
    lon: float
    lat: float


L = TypeVar("L", bound=Located)


def by_distance(
    lon: float, lat: float, rows: Iterable[L], radius_m: float
) -> list[tuple[float, L]]:
    """The rows within ``radius_m`` of the point, with their distance in metres, nearest
    first (ties by id)."""
    near = [(distance_m(lon, lat, row.lon, row.lat), row) for row in rows]
    return sorted(
        ((d, r) for d, r in near if d <= radius_m), key=lambda pair: (pair[0], pair[1].id)
    )


@dataclass(frozen=True)
class Presence:
    """Who is in at a station now: open check-ins younger than the station's expiry."""

    present: int = 0
    charging: int = 0


async def presence(
    expiry: dict[int, timedelta], now: datetime | None = None
) -> dict[int, Presence]:
    """For each station id in ``expiry`` (its visit expiry), who is in (one statement)."""
    now = now or datetime.now(UTC)
    rows = await Visit.filter(station_id__in=list(expiry), checked_out_at=None).values_list(
        "station_id", "checked_in_at", "charging"
    )
    counts: dict[int, list[int]] = {i: [0, 0] for i in expiry}
    for station_id, checked_in_at, charging in rows:
        if checked_in_at > now - expiry[station_id]:
            counts[station_id][0] += 1
            counts[station_id][1] += int(charging)
    return {i: Presence(p, c) for i, (p, c) in counts.items()}
