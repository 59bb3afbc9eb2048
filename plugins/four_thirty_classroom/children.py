"""Children registered by their guardians, and the adults authorised to pick them up.

A guardian is a resident: someone living in the classroom's district registers their own child
(name, school, grade, notes that matter for care) with the adults who may pick the child up;
the guardian is always one of them. Only the guardian changes the registration and the list.
For the core booking engine each child is a person row of its own that carries no personal
data (no name, phone, ID number or home): the child's data stays in this module's tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core import BadUserInput, Conflict, Forbidden, NotFound, Person, Viewer
from plugins.four_thirty_classroom.classrooms import members_of, with_members
from plugins.four_thirty_classroom.models import Child, Classroom, PickupAdult
from plugins.four_thirty_classroom.rules import CHILD_SCOPE
from plugins.four_thirty_classroom.settings import ClassroomSettings

RELATIONS = ("GUARDIAN", "PARENT", "GRANDPARENT", "RELATIVE", "NEIGHBOUR", "OTHER")
CHILD_PERSON_NAME = "四点半课堂学员"
"""The name of a child's person row in core: a label, never the child's name."""
_PHONE = re.compile(r"^\+?[0-9 -]{5,20}$")


@dataclass
class ChildDetails:
    """``None`` leaves a value as it is."""

    name: str | None = None
    school: str | None = None
    grade: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Adult:
    """An adult the guardian authorises to pick the child up."""

    name: str
    relation: str
    phone: str = ""

    def key(self) -> tuple[str, str, str]:
        return (self.name.strip(), self.relation, self.phone.strip())


def _checked(details: ChildDetails, settings: ClassroomSettings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if details.name is not None:
        if not 1 <= len(details.name.strip()) <= 50:
            raise BadUserInput("A name of 1–50 characters.", argument="name")
        values["name"] = details.name.strip()
    if details.school is not None:
        if not 1 <= len(details.school.strip()) <= 100:
            raise BadUserInput("A school of 1–100 characters.", argument="school")
        values["school"] = details.school.strip()
    if details.grade is not None:
        if not settings.min_grade <= details.grade <= settings.max_grade:
            raise BadUserInput(
                f"The classrooms of the district take grades {settings.min_grade}–"
                f"{settings.max_grade}.", argument="grade",
                minGrade=settings.min_grade, maxGrade=settings.max_grade,
            )  # fmt: skip
        values["grade"] = details.grade
    if details.notes is not None:
        if len(details.notes) > 300:
            raise BadUserInput("Notes of at most 300 characters.", argument="notes")
        values["notes"] = details.notes.strip()
    return values


def checked_adults(adults: list[Adult], settings: ClassroomSettings) -> list[Adult]:
    if len(adults) > settings.max_pickup_adults:
        raise BadUserInput(
            f"At most {settings.max_pickup_adults} adults besides the guardian.",
            argument="pickupAdults", max=settings.max_pickup_adults,
        )  # fmt: skip
    for adult in adults:
        if not 1 <= len(adult.name.strip()) <= 50:
            raise BadUserInput("An adult's name of 1–50 characters.", argument="pickupAdults")
        if adult.relation not in RELATIONS or adult.relation == "GUARDIAN":
            raise BadUserInput(
                "The relation of an adult is PARENT, GRANDPARENT, RELATIVE, NEIGHBOUR or OTHER "
                "(the guardian is on the list already).", argument="pickupAdults",
            )  # fmt: skip
        if adult.phone.strip() and not _PHONE.match(adult.phone.strip()):
            raise BadUserInput("A phone number of 5–20 digits.", argument="pickupAdults")
    return list({a.key(): a for a in adults}.values())


async def child_row(child_id: int) -> dict[str, Any]:
    """A child's columns with the member ids of the classroom; NOT_FOUND if none."""
    row = await Child.filter(id=child_id).first().values()
    if row is None:
        raise NotFound("No such child.", argument="childId")
    return with_members(row, (await members_of({row["classroom_id"]}))[row["classroom_id"]])


def visible_child(viewer: Viewer | None, row: dict[str, Any]) -> dict[str, Any]:
    """The row if the viewer may see the child, else the NOT_FOUND of a missing id."""
    if not CHILD_SCOPE.admits(viewer, row):
        raise NotFound("No such child.", argument="childId")
    return row


async def register(
    viewer: Viewer | None, classroom_id: int, details: ChildDetails, adults: list[Adult],
    settings: ClassroomSettings,
) -> int:  # fmt: skip
    """Register the viewer's child with a classroom of the district the viewer lives in."""
    if viewer is None:
        raise Forbidden("Sign in first.")
    classroom = await Classroom.filter(id=classroom_id).first().values()
    if classroom is None:
        raise NotFound("No such classroom.", argument="classroomId")
    if not classroom["active"]:
        raise BadUserInput("The classroom is closed.", argument="classroomId")
    for needed, argument in ((details.name, "name"), (details.school, "school"),
                             (details.grade, "grade")):  # fmt: skip
        if needed is None:
            raise BadUserInput(f"A child is registered with a {argument}.", argument=argument)
    values = _checked(details, settings)
    adults = checked_adults(adults, settings)
    guardian = await Person.filter(id=viewer.person_id).first().values("name", "home_district_id")
    if guardian is None or guardian["home_district_id"] != classroom["district_id"]:
        raise BadUserInput(
            "A guardian registers a child with a classroom of the district they live in.",
            argument="classroomId",
        )
    if await Child.exists(
        guardian_id=viewer.person_id, classroom_id=classroom_id, name=values["name"], active=True
    ):
        raise Conflict("You registered this child with the classroom already.", argument="name")
    person = await Person.create(name=CHILD_PERSON_NAME)
    child = await Child.create(
        classroom_id=classroom_id, person_id=person.id, guardian_id=viewer.person_id,
        district_id=classroom["district_id"], street_id=classroom["street_id"],
        community_id=classroom["community_id"], **values,
    )  # fmt: skip
    await PickupAdult.create(
        child_id=child.id, name=guardian["name"], relation="GUARDIAN", person_id=viewer.person_id
    )
    await PickupAdult.bulk_create(
        [PickupAdult(child_id=child.id, name=a.name.strip(), relation=a.relation,
                     phone=a.phone.strip()) for a in adults]
    )  # fmt: skip
    return child.id


async def update(
    viewer: Viewer | None, child_id: int, version: int, details: ChildDetails,
    adults: list[Adult] | None, active: bool | None, settings: ClassroomSettings,
) -> dict[str, Any]:  # fmt: skip
    """Change a registration or the pick-up list (the guardian only): ``adults`` replaces the
    list (the guardian stays on it); a removed adult may no longer pick the child up."""
    row = visible_child(viewer, await child_row(child_id))
    assert viewer is not None
    if row["guardian_id"] != viewer.person_id:
        raise Forbidden("Only the guardian changes a child's registration and pick-up list.")
    values = _checked(details, settings)
    if active is not None:
        values["active"] = active
    if row["version"] != version:
        raise _stale(row["version"])
    moved = await Child.filter(id=child_id, version=version).update(version=version + 1, **values)
    if not moved:
        raise _stale(version + 1)
    if adults is not None:
        await _replace_adults(child_id, checked_adults(adults, settings))
    return await child_row(child_id)


async def _replace_adults(child_id: int, adults: list[Adult]) -> None:
    current = await PickupAdult.filter(child_id=child_id, active=True).exclude(
        relation="GUARDIAN"
    ).values("id", "name", "relation", "phone")  # fmt: skip
    wanted = {a.key(): a for a in adults}
    keep = {(r["name"], r["relation"], r["phone"]) for r in current} & set(wanted)
    gone = [r["id"] for r in current if (r["name"], r["relation"], r["phone"]) not in keep]
    if gone:
        await PickupAdult.filter(id__in=gone).update(active=False)
    await PickupAdult.bulk_create(
        [PickupAdult(child_id=child_id, name=a.name.strip(), relation=a.relation,
                     phone=a.phone.strip()) for k, a in wanted.items() if k not in keep]
    )  # fmt: skip


def _stale(current: int) -> Conflict:
    return Conflict("The registration changed since you read it: reload it.",
                    currentVersion=current)  # fmt: skip
