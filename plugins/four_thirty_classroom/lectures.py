"""Lectures and activities brought into schools and communities — 精品党课进校园 (party classes
in schools), 护航成长 (safe growth), 小手拉大手 (little hands lead big hands) — and the families
and students they reached.

The managers of a community (its workers and those above) plan one at a school or community
venue there, and afterwards record it as held with its beneficiaries, or as cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core import BadUserInput, Conflict, Forbidden, Grant, NotFound, PlaceRow, Viewer
from plugins.four_thirty_classroom.models import Lecture
from plugins.four_thirty_classroom.rules import manager_grant

KINDS = ("LECTURE", "ACTIVITY")
PROGRAMS = ("PARTY_CLASS", "SAFE_GROWTH", "LITTLE_HANDS", "OTHER")
VENUES = ("SCHOOL", "COMMUNITY")
MAX_BENEFICIARIES = 100_000


@dataclass
class LecturePlan:
    kind: str
    program: str
    title: str
    venue_kind: str
    venue: str
    starts_at: datetime
    speaker: str = ""


async def lecture_row(lecture_id: int) -> dict[str, Any]:
    row = await Lecture.filter(id=lecture_id).first().values()
    if row is None:
        raise NotFound("No such lecture.", argument="lectureId")
    return row


def _managing(viewer: Viewer | None, place: dict[str, Any]) -> Grant:
    grant = manager_grant(viewer, place)
    if grant is None:
        raise Forbidden(
            "Lectures and activities are planned and recorded by the community's workers and "
            "those above."
        )
    return grant


async def plan(viewer: Viewer | None, place: PlaceRow, lecture: LecturePlan) -> tuple[int, Grant]:
    grant = _managing(viewer, place.row())
    assert viewer is not None
    for value, allowed, argument in (
        (lecture.kind, KINDS, "kind"), (lecture.program, PROGRAMS, "program"),
        (lecture.venue_kind, VENUES, "venueKind"),
    ):  # fmt: skip
        if value not in allowed:
            raise BadUserInput(f"One of {', '.join(allowed)}.", argument=argument)
    for value, limit, argument in (
        (lecture.title, 200, "title"), (lecture.venue, 100, "venue"),
    ):  # fmt: skip
        if not 1 <= len(value.strip()) <= limit:
            raise BadUserInput(f"1–{limit} characters.", argument=argument)
    if len(lecture.speaker) > 100:
        raise BadUserInput("At most 100 characters.", argument="speaker")
    if lecture.starts_at.tzinfo is None:
        raise BadUserInput("Give the start with a time zone.", argument="startsAt")
    created = await Lecture.create(
        kind=lecture.kind, program=lecture.program, title=lecture.title.strip(),
        venue_kind=lecture.venue_kind, venue=lecture.venue.strip(),
        speaker=lecture.speaker.strip(), starts_at=lecture.starts_at,
        district_id=place.district_id, street_id=place.street_id,
        community_id=place.community_id, compound_id=place.compound_id,
        planned_by_id=viewer.person_id,
    )  # fmt: skip
    return created.id, grant


async def record(
    viewer: Viewer | None, lecture_id: int, version: int, held: bool, students: int,
    families: int, now: datetime,
) -> tuple[dict[str, Any], Grant]:  # fmt: skip
    """Record a planned lecture as held (after it started, with its beneficiaries) or as
    cancelled; a held one may be corrected."""
    row = await lecture_row(lecture_id)
    grant = _managing(viewer, row)
    assert viewer is not None
    if row["status"] == "CANCELLED":
        raise BadUserInput("The lecture was cancelled.", argument="lectureId")
    values: dict[str, Any]
    if held:
        if row["starts_at"] > now:
            raise BadUserInput(
                "A lecture is recorded as held once it has started.", argument="held",
                startsAt=row["starts_at"].isoformat(),
            )  # fmt: skip
        for value, argument in ((students, "students"), (families, "families")):
            if not 0 <= value <= MAX_BENEFICIARIES:
                raise BadUserInput(f"0–{MAX_BENEFICIARIES}.", argument=argument)
        values = {"status": "HELD", "students": students, "families": families}
    else:
        if row["status"] == "HELD":
            raise BadUserInput("The lecture was held: correct its counts.", argument="held")
        values = {"status": "CANCELLED"}
    if row["version"] != version:
        raise Conflict("The lecture changed since you read it.", currentVersion=row["version"])
    moved = await Lecture.filter(id=lecture_id, version=version).update(
        version=version + 1, recorded_by_id=viewer.person_id, **values
    )
    if not moved:
        raise Conflict("The lecture changed since you read it.", currentVersion=version + 1)
    return await lecture_row(lecture_id), grant
