"""Opening and changing classrooms, and keeping their staff and tutor lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from core import BadUserInput, Conflict, Forbidden, Grant, NotFound, PlaceRow, Viewer, grants_of
from plugins.four_thirty_classroom.models import Classroom, ClassroomMember, Tutor
from plugins.four_thirty_classroom.rules import STAFF_ROLE, TUTOR_ROLE, manager_grant, staff_grant
from plugins.four_thirty_classroom.settings import ClassroomSettings
from plugins.four_thirty_classroom.tutors import check_problem
from schema import global_id

KINDS = ("COMMUNITY", "SCHOOL")
STAFF, TUTOR = "STAFF", "TUTOR"
MAX_MEMBERS = 50
MAX_CAPACITY = 500


@dataclass
class ClassroomDetails:
    """What a classroom is: everything but its place, which is fixed when it opens."""

    name: str | None = None
    kind: str | None = None
    address: str | None = None
    capacity: int | None = None
    active: bool | None = None


async def members_of(classroom_ids: set[int]) -> dict[int, dict[str, frozenset[int]]]:
    """Staff and tutor person ids of classrooms, by classroom id."""
    rows = await ClassroomMember.filter(classroom_id__in=classroom_ids).values_list(
        "classroom_id", "person_id", "kind"
    )
    found: dict[int, dict[str, set[int]]] = {c: {STAFF: set(), TUTOR: set()} for c in classroom_ids}
    for classroom_id, person_id, kind in rows:
        found[classroom_id][kind].add(person_id)
    return {c: {k: frozenset(v) for k, v in kinds.items()} for c, kinds in found.items()}


def with_members(row: dict[str, Any], members: dict[str, frozenset[int]]) -> dict[str, Any]:
    row["staff_ids"], row["tutor_ids"] = members[STAFF], members[TUTOR]
    row["member_ids"] = members[STAFF] | members[TUTOR]
    return row


async def classroom_row(classroom_id: int) -> dict[str, Any]:
    """A classroom's columns with its staff, tutor and member ids; NOT_FOUND if none."""
    row = await Classroom.filter(id=classroom_id).first().values()
    if row is None:
        raise NotFound("No such classroom.", argument="classroomId")
    return with_members(row, (await members_of({classroom_id}))[classroom_id])


def managing_grant(viewer: Viewer | None, classroom: dict[str, Any]) -> Grant:
    grant = manager_grant(viewer, classroom)
    if grant is None:
        raise Forbidden("Classrooms are managed by their community's workers and those above.")
    return grant


def running_grant(viewer: Viewer | None, classroom: dict[str, Any], what: str) -> Grant:
    """The classroom's staff or managers: who run its sessions."""
    grant = staff_grant(viewer, classroom) or manager_grant(viewer, classroom)
    if grant is None:
        raise Forbidden(f"{what} is for the classroom's staff and managers.")
    return grant


def checked(details: ClassroomDetails) -> dict[str, Any]:
    """The columns ``details`` sets, checked (BAD_USER_INPUT naming the argument)."""
    values: dict[str, Any] = {}
    if details.name is not None:
        if not 1 <= len(details.name.strip()) <= 100:
            raise BadUserInput("A name of 1–100 characters.", argument="name")
        values["name"] = details.name.strip()
    if details.kind is not None:
        if details.kind not in KINDS:
            raise BadUserInput("COMMUNITY or SCHOOL.", argument="kind")
        values["kind"] = details.kind
    if details.address is not None:
        if len(details.address) > 300:
            raise BadUserInput("At most 300 characters.", argument="address")
        values["address"] = details.address.strip()
    if details.capacity is not None:
        if not 1 <= details.capacity <= MAX_CAPACITY:
            raise BadUserInput(
                f"Capacity: 1–{MAX_CAPACITY} children a session.", argument="capacity"
            )
        values["capacity"] = details.capacity
    if details.active is not None:
        values["active"] = details.active
    return values


async def create_classroom(
    viewer: Viewer | None, place: PlaceRow, code: str, details: ClassroomDetails
) -> tuple[int, Grant]:
    grant = managing_grant(viewer, place.row())
    if not 1 <= len(code) <= 64 or not code.replace("-", "").replace("_", "").isalnum():
        raise BadUserInput("A code of 1–64 letters, digits, - or _.", argument="code")
    for needed, argument in ((details.name, "name"), (details.capacity, "capacity")):
        if needed is None:
            raise BadUserInput(f"A new classroom needs {argument}.", argument=argument)
    values = checked(details)
    values.setdefault("kind", "COMMUNITY")
    if await Classroom.exists(district_id=place.district_id, code=code):
        raise Conflict("A classroom of the district has that code.", argument="code")
    try:
        classroom = await Classroom.create(
            code=code, district_id=place.district_id, street_id=place.street_id,
            community_id=place.community_id, compound_id=place.compound_id, **values,
        )  # fmt: skip
    except IntegrityError:
        raise Conflict("A classroom of the district has that code.", argument="code") from None
    return classroom.id, grant


async def update_classroom(
    viewer: Viewer | None, classroom_id: int, version: int, details: ClassroomDetails
) -> tuple[dict[str, Any], Grant]:
    row = await classroom_row(classroom_id)
    grant = managing_grant(viewer, row)
    await _bump(classroom_id, version, row["version"], **checked(details))
    return await classroom_row(classroom_id), grant


async def holds_role(person_id: int, role: str, community_id: int) -> bool:
    """Whether the person holds ``role`` at the community (granted with core's grantRole)."""
    return any(
        g.role == role and g.community_id == community_id for g in await grants_of(person_id)
    )


async def set_staff(
    viewer: Viewer | None, classroom_id: int, version: int, person_ids: list[int]
) -> tuple[dict[str, Any], Grant]:
    """Replace the staff list (managers): everyone on it holds CLASSROOM_STAFF at the
    classroom's community."""
    row = await classroom_row(classroom_id)
    grant = managing_grant(viewer, row)
    wanted = list(dict.fromkeys(person_ids))
    if len(wanted) > MAX_MEMBERS:
        raise BadUserInput(f"At most {MAX_MEMBERS} staff.", argument="personIds")
    for person_id in wanted:
        if not await holds_role(person_id, STAFF_ROLE, row["community_id"]):
            raise BadUserInput(
                f"Staff hold {STAFF_ROLE} at the classroom's community (grantRole).",
                argument="personIds", personId=person_id,
            )  # fmt: skip
    await _bump(classroom_id, version, row["version"])
    await _replace(classroom_id, STAFF, wanted)
    return await classroom_row(classroom_id), grant


async def set_tutors(
    viewer: Viewer | None, classroom_id: int, version: int, tutor_ids: list[int],
    settings: ClassroomSettings, now: datetime,
) -> tuple[dict[str, Any], Grant]:  # fmt: skip
    """Replace the tutor list (managers): tutors of the classroom's district holding TUTOR at
    its community, whose background check has passed and is still valid."""
    row = await classroom_row(classroom_id)
    grant = managing_grant(viewer, row)
    wanted = list(dict.fromkeys(tutor_ids))
    if len(wanted) > MAX_MEMBERS:
        raise BadUserInput(f"At most {MAX_MEMBERS} tutors.", argument="tutorIds")
    tutors = {t["id"]: t for t in await Tutor.filter(id__in=wanted).values()}
    people = []
    for tutor_id in wanted:
        tutor = tutors.get(tutor_id)
        named = global_id("ClassroomTutor", tutor_id)
        if tutor is None or tutor["district_id"] != row["district_id"]:
            raise BadUserInput(
                "Tutors of the classroom's district only.",
                argument="tutorIds",
                tutorId=named,
            )
        problem = check_problem(tutor, settings, now)
        if problem is not None:
            raise BadUserInput(problem, argument="tutorIds", tutorId=named,
                               checkStatus=tutor["check_status"])  # fmt: skip
        if not await holds_role(tutor["person_id"], TUTOR_ROLE, row["community_id"]):
            raise BadUserInput(
                f"Tutors hold {TUTOR_ROLE} at the classroom's community (grantRole).",
                argument="tutorIds", tutorId=named,
            )  # fmt: skip
        people.append(tutor["person_id"])
    await _bump(classroom_id, version, row["version"])
    await _replace(classroom_id, TUTOR, people)
    return await classroom_row(classroom_id), grant


async def _replace(classroom_id: int, kind: str, person_ids: list[int]) -> None:
    await (
        ClassroomMember.filter(classroom_id=classroom_id, kind=kind)
        .exclude(person_id__in=person_ids)
        .delete()
    )
    have = set(
        await ClassroomMember.filter(classroom_id=classroom_id, kind=kind).values_list(
            "person_id", flat=True
        )
    )
    await ClassroomMember.bulk_create(
        [ClassroomMember(classroom_id=classroom_id, person_id=p, kind=kind)
         for p in person_ids if p not in have]
    )  # fmt: skip


async def _bump(classroom_id: int, version: int, current: int, **values: Any) -> None:
    if current != version:
        raise _stale(current)
    moved = await Classroom.filter(id=classroom_id, version=version).update(
        version=version + 1, **values
    )
    if not moved:
        raise _stale(version + 1)


def _stale(current: int) -> Conflict:
    return Conflict("The classroom changed since you read it: reload it.", currentVersion=current)
