"""Volunteer tutors and their background checks.

A tutor registers themself (or a manager of the community registers them) in a community;
the check starts PENDING. The admins of the tutor's district record the outcome (PASSED or
FAILED, with a note) — never the tutor themself. Only a tutor whose check passed, and not
longer ago than the district's ``background_check_valid_days``, joins a classroom's tutor
list or is scheduled for a session. A check set back to PENDING or FAILED takes the tutor off
every tutor list and off the sessions that have not started yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from core import BadUserInput, Conflict, Forbidden, Grant, NotFound, Person, PlaceRow, Viewer
from plugins.four_thirty_classroom.models import ClassroomMember, Session, SessionTutor, Tutor
from plugins.four_thirty_classroom.rules import CHECKERS, manager_grant
from plugins.four_thirty_classroom.settings import ClassroomSettings

KINDS = ("TEACHER", "PARTY_MEMBER", "UNIVERSITY_STUDENT", "OTHER")
STATUSES = ("PENDING", "PASSED", "FAILED")


def valid_until(tutor: dict[str, Any], settings: ClassroomSettings) -> datetime | None:
    """When a passed check stops allowing the tutor to be scheduled (None unless PASSED)."""
    if tutor["check_status"] != "PASSED" or tutor["checked_at"] is None:
        return None
    return tutor["checked_at"] + timedelta(days=settings.background_check_valid_days)


def check_problem(tutor: dict[str, Any], settings: ClassroomSettings, now: datetime) -> str | None:
    """Why the tutor may not be scheduled now, or None."""
    until = valid_until(tutor, settings)
    if until is None:
        return (
            f"The tutor's background check is {tutor['check_status']}: a tutor is scheduled "
            "only once it has PASSED."
        )
    if until <= now:
        return (
            f"The tutor's background check expired on {until.date().isoformat()}: it must be "
            "passed again before the tutor is scheduled."
        )
    return None


async def tutor_row(tutor_id: int) -> dict[str, Any]:
    row = await Tutor.filter(id=tutor_id).first().values()
    if row is None:
        raise NotFound("No such tutor.", argument="tutorId")
    return row


async def register(
    viewer: Viewer | None, person_id: int | None, kind: str, place: PlaceRow
) -> tuple[int, Grant | None]:
    """Register the viewer (``person_id`` None) as a tutor in a community, or, for the
    community's managers, someone else."""
    if viewer is None:
        raise Forbidden("Sign in first.")
    if kind not in KINDS:
        raise BadUserInput(f"One of {', '.join(KINDS)}.", argument="kind")
    grant = None
    if person_id is None or person_id == viewer.person_id:
        person_id = viewer.person_id
    else:
        grant = manager_grant(viewer, place.row())
        if grant is None:
            raise Forbidden(
                "Volunteers register themselves; the community's managers register others."
            )
        if not await Person.exists(id=person_id):
            raise NotFound("No such person.", argument="personId")
    if await Tutor.exists(person_id=person_id):
        raise Conflict("Already registered as a tutor.", argument="personId")
    try:
        tutor = await Tutor.create(
            person_id=person_id, kind=kind, registered_by_id=viewer.person_id,
            district_id=place.district_id, street_id=place.street_id,
            community_id=place.community_id,
        )  # fmt: skip
    except IntegrityError:
        raise Conflict("Already registered as a tutor.", argument="personId") from None
    return tutor.id, grant


async def set_check(
    viewer: Viewer | None, tutor_id: int, version: int, status: str, note: str, now: datetime
) -> tuple[dict[str, Any], Grant, int]:
    """Record a background check (admins of the tutor's district). Returns the tutor, the
    grant used and how many sessions yet to start the tutor was taken off."""
    row = await tutor_row(tutor_id)
    own = viewer is not None and viewer.person_id == row["person_id"]
    grant = None if own else CHECKERS.covering_grant(viewer, row)
    if grant is None:
        if not own and manager_grant(viewer, row) is None:
            raise NotFound("No such tutor.", argument="tutorId")
        raise Forbidden(
            "A background check is recorded by the admins of the tutor's district, and never "
            "by the tutor."
        )
    if status not in STATUSES:
        raise BadUserInput(f"One of {', '.join(STATUSES)}.", argument="status")
    if len(note) > 300:
        raise BadUserInput("A note of at most 300 characters.", argument="note")
    if row["version"] != version:
        raise _stale(row["version"])
    assert viewer is not None
    moved = await Tutor.filter(id=tutor_id, version=version).update(
        version=version + 1, check_status=status, checked_at=now,
        checked_by_id=viewer.person_id, check_note=note.strip(),
    )  # fmt: skip
    if not moved:
        raise _stale(version + 1)
    removed = 0
    if status != "PASSED":
        removed = await withdraw(row, now)
    return await tutor_row(tutor_id), grant, removed


async def withdraw(tutor: dict[str, Any], now: datetime) -> int:
    """Take a tutor off every tutor list and off the sessions that have not started."""
    await ClassroomMember.filter(person_id=tutor["person_id"], kind="TUTOR").delete()
    scheduled = await SessionTutor.filter(tutor_id=tutor["id"]).values_list("session_id", flat=True)
    upcoming = await Session.filter(id__in=list(scheduled), starts_at__gt=now).values_list(
        "id", flat=True
    )
    if not upcoming:
        return 0
    return await SessionTutor.filter(tutor_id=tutor["id"], session_id__in=list(upcoming)).delete()


def _stale(current: int) -> Conflict:
    return Conflict("The tutor changed since you read it: reload it.", currentVersion=current)
