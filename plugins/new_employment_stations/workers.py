"""Workers register themselves; station keepers verify them; they check in and out.

A worker has at most one open check-in (a unique column), and a station never lends more
chargers than it has (a conditional UPDATE), whatever arrives at the same time. A check-in
nobody closed stops counting after the district's ``visit_expires_hours`` and is closed as
expired by the next check-in at that station.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core import BadUserInput, Conflict, Forbidden, Grant, Unauthenticated, Viewer
from plugins.new_employment_stations.hours import is_open
from plugins.new_employment_stations.models import GigWorker, Station, Visit
from plugins.new_employment_stations.rules import STATION_KEEPERS
from plugins.new_employment_stations.stations import place_of


class WorkerKind(StrEnum):
    """新就业群体: who the stations are for."""

    COURIER = "COURIER"
    RIDER = "RIDER"
    DRIVER = "DRIVER"


@dataclass(frozen=True)
class Registration:
    kind: WorkerKind
    platform: str
    district_id: int


async def register(viewer: Viewer | None, registration: Registration) -> tuple[GigWorker, bool]:
    """Register the viewer as a worker, or change their registration (``False``). A new kind
    or platform needs verifying again."""
    if viewer is None:
        raise Unauthenticated("Sign in to register.")
    platform = registration.platform.strip()
    if not 1 <= len(platform) <= 50:
        raise BadUserInput("Name the platform company in 1–50 characters.", argument="platform")
    values: dict[str, Any] = {"kind": WorkerKind(registration.kind).value, "platform": platform,
              "district_id": registration.district_id}  # fmt: skip
    for _ in range(2):
        existing = await GigWorker.filter(person_id=viewer.person_id).first()
        if existing is not None:
            same = (existing.kind, existing.platform) == (values["kind"], platform)
            again = {} if same else {"verified": False, "verified_by_id": None,
                                     "verified_at": None, "verified_station_id": None}  # fmt: skip
            await GigWorker.filter(id=existing.id).update(
                **values, **again, version=F("version") + 1, updated_at=datetime.now(UTC)
            )
            return await GigWorker.get(id=existing.id), False
        try:
            async with in_transaction():
                return await GigWorker.create(person_id=viewer.person_id, **values), True
        except IntegrityError:
            continue  # registered meanwhile (a double tap): update that one
    raise Conflict("Your registration changed meanwhile; try again.", argument="input")


async def worker_of(viewer: Viewer | None) -> GigWorker:
    if viewer is None:
        raise Unauthenticated("Sign in first.")
    worker = await GigWorker.filter(person_id=viewer.person_id).first()
    if worker is None:
        raise Forbidden(
            "Register as a courier, rider or driver first (registerGigWorker).",
            reason="UNREGISTERED",
        )
    return worker


async def verify(
    viewer: Viewer | None, worker: GigWorker, station: Station, verified: bool
) -> tuple[GigWorker, Grant]:
    """A keeper of ``station`` (or a manager) marks the worker verified, or not, after seeing
    their platform badge."""
    grant = STATION_KEEPERS.covering_grant(viewer, place_of(station))
    if grant is None or viewer is None:
        raise Forbidden("Workers are verified by the keepers of a station.")
    if worker.person_id == viewer.person_id:
        raise Forbidden("Nobody verifies themself.")
    now = datetime.now(UTC)
    await GigWorker.filter(id=worker.id).update(
        verified=verified,
        verified_by_id=viewer.person_id if verified else None,
        verified_at=now if verified else None,
        verified_station_id=station.id if verified else None,
        version=F("version") + 1,
        updated_at=now,
    )
    return await GigWorker.get(id=worker.id), grant


async def check_in(
    worker: GigWorker, station: Station, charging: bool, *, expiry: timedelta, zone: str,
    now: datetime | None = None,
) -> Visit:  # fmt: skip
    """Check the worker in (closing any visit they left open); with ``charging`` they take one
    of the station's chargers, or the check-in is CONFLICT when none is free."""
    now = now or datetime.now(UTC)
    if not is_open(station.hours, now, zone):
        raise BadUserInput("The station is closed now.", argument="stationId")
    for left_open in await Visit.filter(worker_id=worker.id, checked_out_at=None):
        await _close(left_open, now, expired=False)
    for stale in await Visit.filter(
        station_id=station.id, checked_out_at=None, checked_in_at__lte=now - expiry
    ):
        await _close(stale, stale.checked_in_at + expiry, expired=True)
    if charging and not await Station.filter(
        id=station.id, chargers_in_use__lt=F("chargers")
    ).update(chargers_in_use=F("chargers_in_use") + 1):
        raise Conflict("No charger is free at this station.", argument="charging")
    try:
        async with in_transaction():
            return await Visit.create(
                station_id=station.id, worker_id=worker.id, person_id=worker.person_id,
                district_id=station.district_id, street_id=station.street_id,
                community_id=station.community_id, checked_in_at=now, charging=charging,
                open_worker_id=worker.id,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict("You checked in somewhere meanwhile.", argument="stationId") from None


async def open_visit(worker: GigWorker) -> Visit:
    visit = await Visit.filter(worker_id=worker.id, checked_out_at=None).first()
    if visit is None:
        raise BadUserInput("You are not checked in anywhere.", argument="stationId")
    return visit


async def check_out(visit: Visit, now: datetime | None = None) -> Visit:
    """Close the visit, giving back its charger."""
    if not await _close(visit, now or datetime.now(UTC), expired=False):
        raise Conflict("You checked out meanwhile.", argument="stationId")
    return await Visit.get(id=visit.id)


async def _close(visit: Visit, at: datetime, *, expired: bool) -> bool:
    closed = await Visit.filter(id=visit.id, checked_out_at=None).update(
        checked_out_at=at, open_worker_id=None, expired=expired, updated_at=datetime.now(UTC)
    )
    if closed and visit.charging:
        await Station.filter(id=visit.station_id, chargers_in_use__gt=0).update(
            chargers_in_use=F("chargers_in_use") - 1
        )
    return bool(closed)
