"""Station appointments (预约办理) through the shared booking engine.

A station's appointment offering is made when its staff first open slots: owner
``core.stations``, kind ``appointment``, booking closes 30 minutes before a slot, at most two
upcoming appointments per person, and a full slot is full (no waitlist: the person picks
another time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.access.viewer import Grant, Viewer
from core.booking.engine import BookingEngine
from core.booking.models import Booking, Offering, Slot
from core.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from core.stations.management import place_of, station_row
from core.stations.models import ServiceStation, StationStaff
from core.stations.rules import STATION_MANAGERS

OWNER = "core.stations"
KIND = "appointment"
MAX_SLOTS_PER_CALL = 60
MAX_DAYS_AHEAD = 90


@dataclass(frozen=True)
class SlotRequest:
    starts_at: datetime
    ends_at: datetime
    capacity: int


async def open_slots(
    viewer: Viewer | None, station_id: int, slots: list[SlotRequest], now: datetime | None = None
) -> tuple[list[Slot], Grant | None]:
    """Add appointment slots to a station (its staff or managers)."""
    station = await station_row(station_id)
    grant = STATION_MANAGERS.covering_grant(viewer, place_of(station))
    is_staff = viewer is not None and await StationStaff.exists(
        station_id=station.id, person_id=viewer.person_id
    )
    if grant is None and not is_staff:
        raise Forbidden("Appointment slots are opened by the station's staff and managers.")
    now = now or datetime.now(UTC)
    if not 1 <= len(slots) <= MAX_SLOTS_PER_CALL:
        raise BadUserInput(f"Give 1–{MAX_SLOTS_PER_CALL} slots.", argument="slots")
    for index, slot in enumerate(slots):
        where = f"slots[{index}]"
        if slot.starts_at.tzinfo is None or slot.ends_at.tzinfo is None:
            raise BadUserInput(f"{where}: times need a time zone.", argument="slots")
        if not now < slot.starts_at < slot.ends_at:
            raise BadUserInput(
                f"{where}: a future slot that ends after it starts.", argument="slots"
            )
        if slot.starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
            raise BadUserInput(f"{where}: at most {MAX_DAYS_AHEAD} days ahead.", argument="slots")
        if slot.ends_at - slot.starts_at > timedelta(hours=12):
            raise BadUserInput(f"{where}: a slot lasts at most 12 hours.", argument="slots")
        if not 1 <= slot.capacity <= 500:
            raise BadUserInput(f"{where}: capacity is 1–500.", argument="slots")
    offering_id = station.offering_id or await _make_offering(station)
    made = [
        await Slot.create(
            offering_id=offering_id, starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity
        )
        for s in slots
    ]
    return made, grant


async def _make_offering(station: ServiceStation) -> int:
    offering = await Offering.create(
        owner=OWNER, kind=KIND, title=f"{station.name} 预约办理",
        district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, cutoff_minutes=30, per_person_limit=2,
        waitlist=False,
    )  # fmt: skip
    await ServiceStation.filter(id=station.id).update(offering_id=offering.id)
    return offering.id


async def book(viewer: Viewer | None, slot_id: int, engine: BookingEngine) -> Booking:
    """A signed-in person books a station appointment slot."""
    if viewer is None:
        raise Unauthenticated("Sign in to book.")
    slot = await Slot.filter(id=slot_id).first()
    offering = await Offering.filter(id=slot.offering_id).first() if slot else None
    if slot is None or offering is None or (offering.owner, offering.kind) != (OWNER, KIND):
        raise NotFound("No such appointment slot.", argument="slotId")
    return await engine.book(viewer.person_id, slot.id)
