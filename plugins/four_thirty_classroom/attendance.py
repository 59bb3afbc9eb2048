"""Enrolment through the core booking engine, check-in on arrival, check-out to an authorised
adult only, and the alerts raised when someone else tries to pick a child up.

- A guardian enrols their child in a session of the child's classroom (the classroom's staff
  may too): a seat is the engine's (CONFIRMED, or WAITLISTED when full where the district keeps
  waitlists), and the engine's cut-off closes enrolment before the session.
- The classroom's staff and tutors check a child in on arrival (a confirmed enrolment, from an
  hour before the session until it ends) and out when an adult picks them up.
- Check-out names the adult: one of the child's authorised adults (by id, after checking their
  ID card), or the name and phone of whoever came. Someone not on the list — or removed from it
  — is refused: the child stays in care, the refusal is recorded as an alert for the
  classroom's staff, and the guardian sees it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core import BadUserInput, BookingEngine, Conflict, Forbidden, Grant, NotFound, Viewer
from core import Booking as BookingRow
from plugins.four_thirty_classroom.children import RELATIONS, child_row, visible_child
from plugins.four_thirty_classroom.classrooms import members_of, with_members
from plugins.four_thirty_classroom.models import Attendance, PickupAdult, PickupAlert
from plugins.four_thirty_classroom.rules import CHILD_SCOPE, carer_grant, staff_grant
from plugins.four_thirty_classroom.terms import SCHEDULED, session_row
from schema import global_id

CHECK_IN_OPENS = timedelta(hours=1)
ACTIVE = ("CONFIRMED", "WAITLISTED")


@dataclass(frozen=True)
class Pickup:
    """Who came for the child: an authorised adult's id, or a name (and phone) as told."""

    adult_id: int | None = None
    name: str | None = None
    phone: str = ""
    relation: str | None = None


@dataclass(frozen=True)
class CheckOut:
    """The attendance after a check-out, or the alert raised when the adult was refused."""

    attendance: dict[str, Any]
    grant: Grant
    alert_id: int | None = None
    reason: str = ""


async def attendance_row(attendance_id: int) -> dict[str, Any]:
    """An attendance's columns with its classroom's member ids; NOT_FOUND if none."""
    row = await Attendance.filter(id=attendance_id).first().values()
    if row is None:
        raise NotFound("No such enrolment.", argument="attendanceId")
    return with_members(row, (await members_of({row["classroom_id"]}))[row["classroom_id"]])


def _visible(viewer: Viewer | None, row: dict[str, Any], what: str = "enrolment") -> None:
    if not CHILD_SCOPE.admits(viewer, row):
        raise NotFound(f"No such {what}.")


async def enrol(
    viewer: Viewer | None, session_id: int, child_id: int, now: Callable[[], datetime]
) -> tuple[int, Grant | None]:
    """Enrol a child in a session (the guardian, or the classroom's staff)."""
    child = visible_child(viewer, await child_row(child_id))
    assert viewer is not None
    grant = None
    if child["guardian_id"] != viewer.person_id:
        grant = staff_grant(viewer, child)
        if grant is None:
            raise Forbidden("A child is enrolled by their guardian or the classroom's staff.")
    session = await session_row(session_id)
    if session["classroom_id"] != child["classroom_id"]:
        raise BadUserInput("The child is registered with another classroom.", argument="sessionId")
    if not child["active"]:
        raise BadUserInput("The child's registration has ended.", argument="childId")
    if session["status"] != SCHEDULED:
        raise BadUserInput(f"The session is {session['status']}.", argument="sessionId")
    existing = await Attendance.filter(session_id=session_id, child_id=child_id).first()
    if existing is not None and await BookingRow.exists(id=existing.booking_id, status__in=ACTIVE):
        raise Conflict(
            "The child is enrolled in this session already.", argument="sessionId",
            attendanceId=global_id("ClassroomAttendance", existing.id),
        )  # fmt: skip
    booking = await BookingEngine(now=now).book(child["person_id"], session["slot_id"])
    if existing is not None:
        await Attendance.filter(id=existing.id).update(
            enrolled_by_id=viewer.person_id, version=existing.version + 1
        )
        return existing.id, grant
    attendance = await Attendance.create(
        session_id=session_id, child_id=child_id, booking_id=booking.id,
        classroom_id=child["classroom_id"], guardian_id=child["guardian_id"],
        person_id=child["person_id"], enrolled_by_id=viewer.person_id,
        district_id=session["district_id"], street_id=session["street_id"],
        community_id=session["community_id"],
    )  # fmt: skip
    return attendance.id, grant


async def cancel(
    viewer: Viewer | None, attendance_id: int, now: Callable[[], datetime]
) -> tuple[dict[str, Any], Grant | None]:
    """Cancel an enrolment: the guardian before the engine's cut-off, the classroom's staff
    until the session starts. A freed seat goes to the first child waiting."""
    row = await attendance_row(attendance_id)
    _visible(viewer, row)
    assert viewer is not None
    engine = BookingEngine(now=now)
    if row["guardian_id"] == viewer.person_id:
        await engine.cancel(row["booking_id"], by_person=row["person_id"])
        return await attendance_row(attendance_id), None
    grant = staff_grant(viewer, row)
    if grant is None:
        raise Forbidden("An enrolment is cancelled by the guardian or the classroom's staff.")
    session = await session_row(row["session_id"])
    if session["starts_at"] <= now():
        raise BadUserInput("The session has started.", argument="attendanceId")
    await engine.cancel(row["booking_id"])
    return await attendance_row(attendance_id), grant


def _carer(viewer: Viewer | None, row: dict[str, Any], what: str) -> Grant:
    _visible(viewer, row)
    grant = carer_grant(viewer, row)
    if grant is None:
        raise Forbidden(f"{what} is for the classroom's staff and tutors.")
    return grant


async def check_in(
    viewer: Viewer | None, attendance_id: int, now: Callable[[], datetime]
) -> tuple[dict[str, Any], Grant]:
    """A child arrived (the classroom's staff and tutors)."""
    row = await attendance_row(attendance_id)
    grant = _carer(viewer, row, "Checking a child in")
    assert viewer is not None
    session = await session_row(row["session_id"])
    moment = now()
    if session["status"] != SCHEDULED or not (
        session["starts_at"] - CHECK_IN_OPENS <= moment <= session["ends_at"]
    ):
        raise BadUserInput(
            "Children check in from an hour before their session until it ends.",
            argument="attendanceId", startsAt=session["starts_at"].isoformat(),
        )  # fmt: skip
    await BookingEngine(now=now).check_in(row["booking_id"])
    await Attendance.filter(id=attendance_id).update(
        checked_in_at=moment, checked_in_by_id=viewer.person_id, version=row["version"] + 1
    )
    return await attendance_row(attendance_id), grant


async def check_out(
    viewer: Viewer | None, attendance_id: int, pickup: Pickup, now: Callable[[], datetime]
) -> CheckOut:
    """Hand a checked-in child to the adult who came (the classroom's staff and tutors), or
    refuse them and raise an alert when they are not authorised."""
    row = await attendance_row(attendance_id)
    grant = _carer(viewer, row, "Checking a child out")
    assert viewer is not None
    if row["checked_in_at"] is None:
        raise BadUserInput("The child has not checked in.", argument="attendanceId")
    if row["checked_out_at"] is not None:
        raise BadUserInput(
            "The child was picked up already.", argument="attendanceId",
            checkedOutAt=row["checked_out_at"].isoformat(),
        )  # fmt: skip
    adult, told = await _who(row["child_id"], pickup)
    moment = now()
    if adult is None:
        reason = (
            "The adult who came is not on the list of adults authorised to pick this child up: "
            "the child stays in care and the classroom's staff were alerted."
        )
        alert = await PickupAlert.create(
            classroom_id=row["classroom_id"], session_id=row["session_id"],
            child_id=row["child_id"], attendance_id=attendance_id,
            guardian_id=row["guardian_id"], person_id=row["person_id"],
            adult_name=told["name"], adult_phone=told["phone"],
            claimed_relation=told["relation"], reason=told["why"], raised_at=moment,
            raised_by_id=viewer.person_id, district_id=row["district_id"],
            street_id=row["street_id"], community_id=row["community_id"],
        )  # fmt: skip
        return CheckOut(row, grant, alert.id, reason)
    moved = await Attendance.filter(id=attendance_id, checked_out_at__isnull=True).update(
        checked_out_at=moment, checked_out_by_id=viewer.person_id, picked_up_by_id=adult["id"],
        picked_up_by_name=adult["name"], picked_up_by_relation=adult["relation"],
        version=row["version"] + 1,
    )  # fmt: skip
    if not moved:
        raise Conflict("The child was picked up meanwhile: reload.", argument="attendanceId")
    return CheckOut(await attendance_row(attendance_id), grant)


async def _who(child_id: int, pickup: Pickup) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The authorised adult who came, or None and what is known of who came (and why they
    are refused)."""
    if (pickup.adult_id is None) == (pickup.name is None):
        raise BadUserInput(
            "Name the adult who came: `adultId` (one of the child's pick-up adults) or `name`.",
            argument="adultId",
        )
    if pickup.relation is not None and pickup.relation not in RELATIONS:
        raise BadUserInput(f"One of {', '.join(RELATIONS)}.", argument="relation")
    phone = pickup.phone.strip()
    if pickup.adult_id is not None:
        adult = await PickupAdult.filter(id=pickup.adult_id).first().values()
        if adult is None:
            raise NotFound("No such adult.", argument="adultId")
        if adult["child_id"] == child_id and adult["active"]:
            return adult, {}
        why = "REMOVED" if adult["child_id"] == child_id else "ANOTHER_CHILDS_ADULT"
        return None, {"name": adult["name"], "phone": adult["phone"],
                      "relation": pickup.relation or adult["relation"], "why": why}  # fmt: skip
    assert pickup.name is not None
    name = pickup.name.strip()
    if not 1 <= len(name) <= 50 or len(phone) > 32:
        raise BadUserInput("The adult's name (1–50 characters) and phone.", argument="name")
    listed = await PickupAdult.filter(child_id=child_id, active=True, name=name).values()
    for adult in listed:
        if not adult["phone"] or adult["phone"] == phone:
            return adult, {}
    why = "PHONE_MISMATCH" if listed else "NOT_LISTED"
    return None, {"name": name, "phone": phone, "relation": pickup.relation, "why": why}


async def alert_row(alert_id: int) -> dict[str, Any]:
    row = await PickupAlert.filter(id=alert_id).first().values()
    if row is None:
        raise NotFound("No such alert.", argument="alertId")
    return with_members(row, (await members_of({row["classroom_id"]}))[row["classroom_id"]])


async def close_alert(
    viewer: Viewer | None, alert_id: int, version: int, note: str, now: datetime
) -> tuple[dict[str, Any], Grant]:
    """Close an alert with what was done about it (the classroom's staff)."""
    row = await alert_row(alert_id)
    _visible(viewer, row, "alert")
    assert viewer is not None
    grant = staff_grant(viewer, row)
    if grant is None:
        raise Forbidden("Alerts are closed by the classroom's staff.")
    if row["closed_at"] is not None:
        raise BadUserInput("The alert is closed already.", argument="alertId")
    if not 1 <= len(note.strip()) <= 300:
        raise BadUserInput("Say what was done, in 1–300 characters.", argument="note")
    if row["version"] != version:
        raise Conflict("The alert changed since you read it.", currentVersion=row["version"])
    moved = await PickupAlert.filter(id=alert_id, version=version).update(
        version=version + 1, closed_at=now, closed_by_id=viewer.person_id, note=note.strip()
    )
    if not moved:
        raise Conflict("The alert changed since you read it.", currentVersion=version + 1)
    return await alert_row(alert_id), grant
