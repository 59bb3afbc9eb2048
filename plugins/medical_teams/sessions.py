"""Free clinics (义诊) and health-training sessions: scheduling, registration through the core
booking engine, check-in at the desk, closing and cancelling.

Each session is one offering with one slot in the booking engine (owner ``medical_teams``, kind
``free_clinic`` or ``health_training``): capacity holds under any number of simultaneous
registrations, one registration per resident, registering and cancelling close the district's
``registration_cutoff_minutes`` before the start, and a full session keeps a waitlist where the
settings say so. ``myBookings`` and ``cancelBooking`` of core list and cancel these bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from core import (
    BadUserInput,
    Booking,
    BookingEngine,
    BookingStatus,
    Conflict,
    Forbidden,
    Grant,
    NotFound,
    Offering,
    PlaceRow,
    Slot,
    Viewer,
)
from plugins.medical_teams.models import Session
from plugins.medical_teams.places import NAME
from plugins.medical_teams.rules import doctor_grant, manager_grant
from plugins.medical_teams.settings import MedicalSettings
from plugins.medical_teams.teams import team_row

MAX_DAYS_AHEAD = 365
MAX_HOURS = 12
MAX_CAPACITY = 2000
MAX_SPECIALTIES = 20
MAX_WALK_INS = 10_000
CHECK_IN_OPENS = timedelta(hours=2)
"""How long before the start the desk may check residents in."""


class SessionKind(StrEnum):
    FREE_CLINIC = "FREE_CLINIC"
    HEALTH_TRAINING = "HEALTH_TRAINING"


class PlaceType(StrEnum):
    SCHOOL = "SCHOOL"
    COMMUNITY = "COMMUNITY"
    FACTORY = "FACTORY"


class SessionStatus(StrEnum):
    PLANNED = "PLANNED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"


OFFERING_KINDS = {SessionKind.FREE_CLINIC: "free_clinic",
                  SessionKind.HEALTH_TRAINING: "health_training"}  # fmt: skip
DEFAULT_TITLES = {SessionKind.FREE_CLINIC: "义诊", SessionKind.HEALTH_TRAINING: "健康知识讲座"}


@dataclass(frozen=True)
class SessionPlan:
    kind: SessionKind
    place_type: PlaceType
    place_name: str
    starts_at: datetime
    ends_at: datetime
    specialties: list[str]
    capacity: int | None = None
    title: str | None = None


def specialty_list(values: list[str], argument: str = "specialties") -> list[str]:
    """Specialties as given, trimmed, each once, 1–32 characters, at most 20."""
    found = list(dict.fromkeys(v.strip() for v in values))
    if len(found) > MAX_SPECIALTIES or any(not 1 <= len(v) <= 32 for v in found):
        raise BadUserInput(
            f"At most {MAX_SPECIALTIES} specialties of 1–32 characters each.", argument=argument
        )
    return found


def organiser_grant(viewer: Viewer | None, team: dict[str, Any]) -> Grant:
    """The team's doctors and its managers organise its sessions and expert visits."""
    grant = doctor_grant(viewer, team) or manager_grant(viewer, team)
    if grant is None:
        raise Forbidden("A team's sessions are organised by its doctors and its managers.")
    return grant


async def session_row(session_id: int) -> Session:
    session = await Session.filter(id=session_id).first()
    if session is None:
        raise NotFound("No such session.", argument="sessionId")
    return session


async def schedule(
    viewer: Viewer | None, team_id: int, place: PlaceRow, plan: SessionPlan,
    settings: MedicalSettings, now: datetime,
) -> tuple[Session, Grant]:  # fmt: skip
    """A session of the team at a community (or a compound of one) of the team's district."""
    team = await team_row(team_id)
    grant = organiser_grant(viewer, team)
    if not team["active"]:
        raise BadUserInput("The team no longer serves.", argument="teamId")
    if place.district_id != team["district_id"] or place.community_id is None:
        raise BadUserInput(
            "A team holds sessions in communities of its own district.", argument="placeId"
        )
    place_name = plan.place_name.strip()
    if not 1 <= len(place_name) <= 100:
        raise BadUserInput("A place name has 1–100 characters.", argument="placeName")
    title = (plan.title or "").strip() or f"{place_name}{DEFAULT_TITLES[plan.kind]}"
    if len(title) > 200:
        raise BadUserInput("A title has at most 200 characters.", argument="title")
    specialties = specialty_list(plan.specialties)
    if plan.kind == SessionKind.FREE_CLINIC and not specialties:
        raise BadUserInput("A free clinic offers at least one specialty.", argument="specialties")
    if plan.starts_at.tzinfo is None or plan.ends_at.tzinfo is None:
        raise BadUserInput("Times need a time zone.", argument="startsAt")
    if not now < plan.starts_at < plan.ends_at:
        raise BadUserInput("A future session that ends after it starts.", argument="startsAt")
    if plan.starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise BadUserInput(f"At most {MAX_DAYS_AHEAD} days ahead.", argument="startsAt")
    if plan.ends_at - plan.starts_at > timedelta(hours=MAX_HOURS):
        raise BadUserInput(f"A session lasts at most {MAX_HOURS} hours.", argument="endsAt")
    capacity = settings.clinic_capacity if plan.capacity is None else plan.capacity
    if not 1 <= capacity <= MAX_CAPACITY:
        raise BadUserInput(f"capacity is 1–{MAX_CAPACITY}.", argument="capacity")
    assert place.street_id is not None
    where: dict[str, Any] = {"district_id": place.district_id, "street_id": place.street_id,
             "community_id": place.community_id}  # fmt: skip
    offering = await Offering.create(
        owner=NAME, kind=OFFERING_KINDS[plan.kind], title=title,
        cutoff_minutes=settings.registration_cutoff_minutes, per_person_limit=1,
        waitlist=settings.waitlist, **where,
    )  # fmt: skip
    slot = await Slot.create(
        offering_id=offering.id, starts_at=plan.starts_at, ends_at=plan.ends_at, capacity=capacity
    )
    session = await Session.create(
        team_id=team_id, kind=plan.kind.value, place_type=plan.place_type.value,
        place_name=place_name, compound_id=place.compound_id, title=title,
        specialties=specialties, starts_at=plan.starts_at, ends_at=plan.ends_at,
        offering_id=offering.id, slot_id=slot.id, **where,
    )  # fmt: skip
    return session, grant


async def register(person_id: int, session: Session, engine: BookingEngine) -> Booking:
    """A resident registers: CONFIRMED, or WAITLISTED when full and the session keeps a
    waitlist (CONFLICT when it keeps none)."""
    if session.status != SessionStatus.PLANNED:
        raise BadUserInput(f"The session is {session.status}.", argument="sessionId")
    return await engine.book(person_id, session.slot_id)


async def registration(booking_id: int) -> tuple[Booking, Session]:
    """A booking of a session, with the session (NOT_FOUND for any other booking)."""
    booking = await Booking.filter(id=booking_id).first()
    session = await Session.filter(slot_id=booking.slot_id).first() if booking else None
    if booking is None or session is None:
        raise NotFound("No such registration.", argument="bookingId")
    return booking, session


async def desk_grant(viewer: Viewer | None, session: Session, what: str) -> Grant:
    """The desk (who registered, check-in) is the team's doctors'. To anyone else a
    registration is NOT_FOUND, like one that does not exist."""
    grant = doctor_grant(viewer, await team_row(session.team_id))
    if grant is None:
        raise NotFound(f"No such {what}.")
    return grant


async def check_in(
    viewer: Viewer | None, booking_id: int, engine: BookingEngine, now: datetime
) -> tuple[Booking, Session, Grant]:
    booking, session = await registration(booking_id)
    grant = await desk_grant(viewer, session, "registration")
    if session.status != SessionStatus.PLANNED:
        raise BadUserInput(f"The session is {session.status}.", argument="bookingId")
    if now < session.starts_at - CHECK_IN_OPENS:
        raise BadUserInput(
            "Check-in opens two hours before the session starts.", argument="bookingId",
            opensAt=(session.starts_at - CHECK_IN_OPENS).isoformat(),
        )  # fmt: skip
    if booking.status != BookingStatus.CONFIRMED:
        raise BadUserInput(
            f"Only a confirmed registration checks in (this one is {booking.status}).",
            argument="bookingId",
        )
    return await engine.check_in(booking.id), session, grant


async def close(
    viewer: Viewer | None, session: Session, version: int, walk_ins: int, now: datetime
) -> tuple[Session, Grant]:
    """Mark a session held, with the people served who had not registered."""
    grant = organiser_grant(viewer, await team_row(session.team_id))
    if session.status == SessionStatus.CANCELLED:
        raise BadUserInput("The session was cancelled.", argument="sessionId")
    if now < session.starts_at:
        raise BadUserInput("A session is closed once it started.", argument="sessionId")
    if not 0 <= walk_ins <= MAX_WALK_INS:
        raise BadUserInput(f"walkIns is 0–{MAX_WALK_INS}.", argument="walkIns")
    moved = await Session.filter(id=session.id, version=version).update(
        version=version + 1, status=SessionStatus.HELD.value, walk_ins=walk_ins
    )
    if not moved:
        raise _stale(session.version)
    return await session_row(session.id), grant


async def cancel(
    viewer: Viewer | None, session: Session, version: int, engine: BookingEngine, now: datetime
) -> tuple[Session, Grant, int]:
    """Cancel a planned session before it starts, and every registration for it (how many)."""
    grant = organiser_grant(viewer, await team_row(session.team_id))
    if session.status != SessionStatus.PLANNED or now >= session.starts_at:
        raise BadUserInput("Only a planned session is cancelled, before it starts.",
                           argument="sessionId")  # fmt: skip
    moved = await Session.filter(id=session.id, version=version).update(
        version=version + 1, status=SessionStatus.CANCELLED.value
    )
    if not moved:
        raise _stale(session.version)
    cancelled = 0
    # The waiting first, so that cancelling a confirmed place promotes nobody.
    for status in (BookingStatus.WAITLISTED, BookingStatus.CONFIRMED):
        waiting = await Booking.filter(slot_id=session.slot_id, status=status.value).values_list(
            "id", flat=True
        )
        for booking_id in cast(list[int], waiting):
            await engine.cancel(booking_id)
            cancelled += 1
    return await session_row(session.id), grant, cancelled


def _stale(current: int) -> Conflict:
    return Conflict("The session changed since you read it: reload it.", currentVersion=current)
