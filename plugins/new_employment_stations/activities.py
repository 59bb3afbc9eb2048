"""四季有爱·凝新聚新: seasonal care activities at stations, booked through the core engine.

Each activity is one offering with one slot in the booking engine (owner
``new_employment_stations``, kind ``care_activity``): capacity holds under any number of
simultaneous bookings, one booking per worker, booking and cancelling close
``activity_booking_cutoff_minutes`` before the start, and a full activity keeps a waitlist
where the district's settings say so. ``myBookings`` and ``cancelBooking`` of core list and
cancel these bookings like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from core import (
    BadUserInput,
    Booking,
    BookingEngine,
    Forbidden,
    Grant,
    Offering,
    Slot,
    Viewer,
)
from plugins.new_employment_stations.models import Activity, Station
from plugins.new_employment_stations.places import NAME
from plugins.new_employment_stations.rules import STATION_KEEPERS
from plugins.new_employment_stations.settings import StationSettings
from plugins.new_employment_stations.stations import place_of

KIND = "care_activity"
MAX_DAYS_AHEAD = 180
MAX_HOURS = 12
MAX_CAPACITY = 1000


class Season(StrEnum):
    """四季有爱: the season an activity belongs to."""

    SPRING = "SPRING"
    SUMMER = "SUMMER"
    AUTUMN = "AUTUMN"
    WINTER = "WINTER"


def season_of(at: datetime, zone: str) -> Season:
    """March–May spring, June–August summer, September–November autumn, else winter."""
    month = at.astimezone(ZoneInfo(zone)).month
    return [Season.WINTER, Season.SPRING, Season.SUMMER, Season.AUTUMN][month % 12 // 3]


@dataclass(frozen=True)
class ActivityPlan:
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    description: str = ""
    season: Season | None = None


async def create_activity(
    viewer: Viewer | None, station: Station, plan: ActivityPlan, settings: StationSettings,
    zone: str, now: datetime | None = None,
) -> tuple[Activity, Grant]:  # fmt: skip
    """An activity at a station, by its keepers and managers."""
    grant = STATION_KEEPERS.covering_grant(viewer, place_of(station))
    if grant is None:
        raise Forbidden("Care activities are run by the keepers and managers of a station.")
    now = now or datetime.now(UTC)
    title = plan.title.strip()
    if not 1 <= len(title) <= 200:
        raise BadUserInput("A title has 1–200 characters.", argument="title")
    if plan.starts_at.tzinfo is None or plan.ends_at.tzinfo is None:
        raise BadUserInput("Times need a time zone.", argument="startsAt")
    if not now < plan.starts_at < plan.ends_at:
        raise BadUserInput("A future activity that ends after it starts.", argument="startsAt")
    if plan.starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise BadUserInput(f"At most {MAX_DAYS_AHEAD} days ahead.", argument="startsAt")
    if plan.ends_at - plan.starts_at > timedelta(hours=MAX_HOURS):
        raise BadUserInput(f"An activity lasts at most {MAX_HOURS} hours.", argument="endsAt")
    if not 1 <= plan.capacity <= MAX_CAPACITY:
        raise BadUserInput(f"capacity is 1–{MAX_CAPACITY}.", argument="capacity")
    offering = await Offering.create(
        owner=NAME, kind=KIND, title=title, district_id=station.district_id,
        street_id=station.street_id, community_id=station.community_id,
        cutoff_minutes=settings.activity_booking_cutoff_minutes, per_person_limit=1,
        waitlist=settings.activity_waitlist,
    )  # fmt: skip
    slot = await Slot.create(
        offering_id=offering.id, starts_at=plan.starts_at, ends_at=plan.ends_at,
        capacity=plan.capacity,
    )  # fmt: skip
    activity = await Activity.create(
        station_id=station.id, district_id=station.district_id, street_id=station.street_id,
        community_id=station.community_id, season=(plan.season or season_of(plan.starts_at, zone)),
        title=title, description=plan.description.strip()[:2000], starts_at=plan.starts_at,
        ends_at=plan.ends_at, offering_id=offering.id, slot_id=slot.id,
    )  # fmt: skip
    return activity, grant


async def book(person_id: int, activity: Activity, engine: BookingEngine) -> Booking:
    """A registered worker books a seat (CONFIRMED, or WAITLISTED when full and the activity
    keeps a waitlist; CONFLICT when full without one)."""
    return await engine.book(person_id, activity.slot_id)
