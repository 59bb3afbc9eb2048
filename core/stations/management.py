"""Setting up stations: details, staff, the services they offer, and the city's catalogue.

Each function checks who may do it and returns the grant that allowed it (for the audit log).
Writes use the version the caller read: a stale one is CONFLICT, never a lost update."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.viewer import Grant, Viewer
from core.errors import BadUserInput, Conflict, Forbidden, NotFound
from core.people.models import Person
from core.regions.places import PlaceRow
from core.stations.hours import OpeningPeriod, checked_hours
from core.stations.models import CatalogueItem, ServiceStation, StationService, StationStaff
from core.stations.rules import CATALOGUE_EDITORS, STATION_MANAGERS


class ServiceCategory(StrEnum):
    """The three parts of the one-stop catalogue."""

    COMMUNITY_AFFAIRS = "COMMUNITY_AFFAIRS"
    GOVERNMENT_AFFAIRS = "GOVERNMENT_AFFAIRS"
    PROPERTY_AFFAIRS = "PROPERTY_AFFAIRS"


@dataclass
class StationDetails:
    """What a station shows the public. ``None`` in an update keeps the stored value."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    lon: float | None = None
    lat: float | None = None
    hours: list[OpeningPeriod] | None = None


@dataclass
class CatalogueEntryInput:
    code: str
    name: str
    category: ServiceCategory
    description: str = ""
    materials: list[str] = field(default_factory=list)
    time_limit_days: int = 1
    doorstep: bool = False
    active: bool = True


def manager_grant(viewer: Viewer | None, place: dict[str, Any]) -> Grant:
    grant = STATION_MANAGERS.covering_grant(viewer, place)
    if grant is None:
        raise Forbidden(
            "Stations are managed by the community workers of their community and those above."
        )
    return grant


async def station_row(station_id: int) -> ServiceStation:
    station = await ServiceStation.filter(id=station_id).first()
    if station is None:
        raise NotFound("No such station.")
    return station


def place_of(station: ServiceStation) -> dict[str, Any]:
    return {
        "district_id": station.district_id,
        "street_id": station.street_id,
        "community_id": station.community_id,
    }


def _details(details: StationDetails) -> dict[str, Any]:
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
    return values


async def create_station(
    viewer: Viewer | None, place: PlaceRow, code: str, details: StationDetails
) -> tuple[ServiceStation, Grant]:
    """A station in a community, or in a compound of one."""
    if place.kind not in ("Community", "Compound"):
        raise BadUserInput("A station is in a community or a compound.", argument="placeId")
    grant = manager_grant(viewer, place.row())
    code = code.strip()
    if not 1 <= len(code) <= 64:
        raise BadUserInput("A station code has 1–64 characters.", argument="code")
    if details.name is None:
        raise BadUserInput("A station needs a name.", argument="name")
    values = _details(details)
    try:
        async with in_transaction():
            station = await ServiceStation.create(
                code=code,
                district_id=place.district_id,
                street_id=place.street_id,
                community_id=place.community_id,
                compound_id=place.compound_id,
                **values,
            )
    except IntegrityError:
        raise Conflict(
            f"The district already has a station with code '{code}'.", argument="code"
        ) from None
    return station, grant


async def update_station(
    viewer: Viewer | None, station_id: int, version: int, details: StationDetails
) -> tuple[ServiceStation, Grant]:
    station = await station_row(station_id)
    grant = manager_grant(viewer, place_of(station))
    await _bump(station, version, **_details(details))
    return await station_row(station_id), grant


async def set_staff(
    viewer: Viewer | None, station_id: int, version: int, staff: list[tuple[int, str]]
) -> tuple[ServiceStation, Grant]:
    """Replace the station's staff with ``staff`` (person id, title)."""
    station = await station_row(station_id)
    grant = manager_grant(viewer, place_of(station))
    person_ids = [p for p, _ in staff]
    if len(set(person_ids)) != len(person_ids):
        raise BadUserInput("A person is on the staff once.", argument="staff")
    if len(person_ids) > 50:
        raise BadUserInput("At most 50 staff per station.", argument="staff")
    found = set(await Person.filter(id__in=person_ids).values_list("id", flat=True))
    if missing := [p for p in person_ids if p not in found]:
        raise NotFound("No such person.", argument="staff", missing=len(missing))
    await _bump(station, version)
    await StationStaff.filter(station_id=station.id).delete()
    await StationStaff.bulk_create(
        [StationStaff(station_id=station.id, person_id=p, title=t.strip()[:50]) for p, t in staff]
    )
    return await station_row(station_id), grant


async def set_services(
    viewer: Viewer | None, station_id: int, version: int, item_codes: list[str]
) -> tuple[ServiceStation, Grant]:
    """Replace what the station offers with the active catalogue items ``item_codes``."""
    station = await station_row(station_id)
    grant = manager_grant(viewer, place_of(station))
    codes = list(dict.fromkeys(item_codes))
    items = dict(await CatalogueItem.filter(code__in=codes, active=True).values_list("code", "id"))
    if unknown := [c for c in codes if c not in items]:
        raise BadUserInput(
            f"Not in the active catalogue: {', '.join(unknown[:5])}.", argument="itemCodes",
            unknown=unknown,
        )  # fmt: skip
    await _bump(station, version)
    await StationService.filter(station_id=station.id).delete()
    await StationService.bulk_create(
        [StationService(station_id=station.id, item_id=items[c]) for c in codes]
    )
    return await station_row(station_id), grant


async def save_catalogue_item(
    viewer: Viewer | None, entry: CatalogueEntryInput, version: int | None
) -> tuple[CatalogueItem, Grant]:
    """Add an item (no ``version``) or change one (with the version read); items are retired
    with ``active`` false, never deleted, so past applications keep them."""
    grant = CATALOGUE_EDITORS.covering_grant(viewer, {})
    if grant is None:
        raise Forbidden("The one-stop catalogue is kept by city admins.")
    values = _catalogue_values(entry)
    existing = await CatalogueItem.filter(code=values["code"]).first()
    if existing is None:
        if version is not None:
            raise NotFound("No catalogue item has this code.", argument="code")
        try:
            async with in_transaction():
                return await CatalogueItem.create(**values), grant
        except IntegrityError:
            raise Conflict("The code was just taken; reload.", argument="code") from None
    if version is None:
        raise Conflict(
            f"The catalogue already has '{values['code']}': send its version to change it.",
            argument="version",
        )
    moved = await CatalogueItem.filter(id=existing.id, version=version).update(
        **values, version=version + 1, updated_at=datetime.now(UTC)
    )
    if not moved:
        raise Conflict("The item changed meanwhile; reload it.", argument="version")
    return await CatalogueItem.get(id=existing.id), grant


def _catalogue_values(entry: CatalogueEntryInput) -> dict[str, Any]:
    code, name = entry.code.strip(), entry.name.strip()
    if not code or len(code) > 64 or not code.replace("_", "").replace("-", "").isalnum():
        raise BadUserInput("A code is 1–64 letters, digits, '-' or '_'.", argument="code")
    if not 1 <= len(name) <= 100:
        raise BadUserInput("A name has 1–100 characters.", argument="name")
    materials = [m.strip() for m in entry.materials if m.strip()]
    if len(materials) > 30 or any(len(m) > 100 for m in materials):
        raise BadUserInput("At most 30 materials of 100 characters.", argument="materials")
    if not 0 <= entry.time_limit_days <= 365:
        raise BadUserInput("timeLimitDays is 0–365.", argument="timeLimitDays")
    return {
        "code": code,
        "name": name,
        "category": ServiceCategory(entry.category).value,
        "description": entry.description.strip(),
        "materials": materials,
        "time_limit_days": entry.time_limit_days,
        "doorstep": entry.doorstep,
        "active": entry.active,
    }


async def _bump(station: ServiceStation, version: int, **values: Any) -> None:
    moved = await ServiceStation.filter(id=station.id, version=version).update(
        **values, version=version + 1, updated_at=datetime.now(UTC)
    )
    if not moved:
        raise Conflict("The station changed meanwhile; reload it.", argument="version")
