"""Inputs of the classroom module's mutations."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from plugins.four_thirty_classroom.care_types import Relation
from plugins.four_thirty_classroom.enums import (
    ClassroomKind,
    LectureKind,
    LectureProgram,
    TutorKind,
    VenueKind,
)


@strawberry.input(description="A new 四点半课堂 classroom.")
class CreateClassroomInput:
    place_id: strawberry.ID = strawberry.field(description="The community or compound it is in.")
    code: str = strawberry.field(description="Code, unique in the district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区四点半课堂.")
    capacity: int = strawberry.field(description="Children a session takes.")
    kind: ClassroomKind = strawberry.field(
        default=ClassroomKind.COMMUNITY, description="Run at a community or a school."
    )
    address: str = strawberry.field(default="", description="Street address.")


@strawberry.input(description="Changes to a classroom; omitted fields stay as they are.")
class UpdateClassroomInput:
    classroom_id: strawberry.ID = strawberry.field(description="The classroom.")
    version: int = strawberry.field(description="The classroom's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="New name.")
    kind: ClassroomKind | None = strawberry.field(default=None, description="New kind.")
    address: str | None = strawberry.field(default=None, description="New address.")
    capacity: int | None = strawberry.field(
        default=None, description="Children a session takes (for terms scheduled from now on)."
    )
    active: bool | None = strawberry.field(default=None, description="False closes it.")


@strawberry.input(description="Registering a volunteer tutor in a community.")
class RegisterClassroomTutorInput:
    community_id: strawberry.ID = strawberry.field(description="The community they volunteer in.")
    kind: TutorKind = strawberry.field(description="Teacher, party member, student, other.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Someone else (the community's managers); default: yourself."
    )


@strawberry.input(name="ClassroomHolidayInput", description="Days off, `from` to `to` inclusive.")
class HolidayInput:
    start: date = strawberry.field(name="from", description="First day off.")
    to: date = strawberry.field(description="Last day off.")
    name: str = strawberry.field(default="", description="What it is, e.g. 国庆.")


@strawberry.input(description="A term of a classroom: its sessions are generated from it.")
class ScheduleClassroomTermInput:
    classroom_id: strawberry.ID = strawberry.field(description="The classroom.")
    name: str = strawberry.field(description="Name, e.g. 2026年秋季学期.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    weekdays: list[int] | None = strawberry.field(
        default=None, description="Weekdays with a session, 1 Monday … 7 (district default)."
    )
    holidays: list[HolidayInput] = strawberry.field(
        default_factory=list, description="Days off besides the district's public holidays."
    )
    session_start: str | None = strawberry.field(
        default=None, description="HH:MM city time (district default, 16:30)."
    )
    session_end: str | None = strawberry.field(
        default=None, description="HH:MM city time (district default)."
    )
    topic: str | None = strawberry.field(default=None, description="Default topic of sessions.")


@strawberry.input(description="The topic and tutors of a session; omitted fields stay.")
class PlanClassroomSessionInput:
    session_id: strawberry.ID = strawberry.field(description="The session.")
    version: int = strawberry.field(description="The session's `version` when you read it.")
    topic: str | None = strawberry.field(default=None, description="New topic.")
    tutor_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="The tutors (replacing the old): on the classroom's tutor list, background "
        "check passed and still valid.",
    )


@strawberry.input(name="ClassroomPickupAdultInput", description="An adult who may pick up.")
class PickupAdultInput:
    name: str = strawberry.field(description="Their name.")
    relation: Relation = strawberry.field(description="How they are related (not GUARDIAN).")
    phone: str = strawberry.field(
        default="",
        description="Their phone: with a phone on the list, a pick-up by name must give it.",
    )


@strawberry.input(description="Registering your child with a classroom.")
class RegisterClassroomChildInput:
    classroom_id: strawberry.ID = strawberry.field(description="A classroom of your district.")
    name: str = strawberry.field(description="The child's name.")
    school: str = strawberry.field(description="The school.")
    grade: int = strawberry.field(description="The school grade.")
    notes: str = strawberry.field(default="", description="Allergies, health, what carers need.")
    pickup_adults: list[PickupAdultInput] = strawberry.field(
        default_factory=list, description="Adults who may pick the child up besides you."
    )


@strawberry.input(description="Changes to a child's registration; omitted fields stay.")
class UpdateClassroomChildInput:
    child_id: strawberry.ID = strawberry.field(description="The child.")
    version: int = strawberry.field(description="The child's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="New name.")
    school: str | None = strawberry.field(default=None, description="New school.")
    grade: int | None = strawberry.field(default=None, description="New grade.")
    notes: str | None = strawberry.field(default=None, description="New notes.")
    pickup_adults: list[PickupAdultInput] | None = strawberry.field(
        default=None,
        description="The adults who may pick up besides you, replacing the list: those left "
        "out may no longer pick the child up.",
    )
    active: bool | None = strawberry.field(default=None, description="False ends it.")


@strawberry.input(description="Who came to pick a child up: `adultId`, or `name` (and phone).")
class CheckOutClassroomChildInput:
    attendance_id: strawberry.ID = strawberry.field(description="The child's enrolment.")
    adult_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the child's `pickupAdults`, after checking their ID."
    )
    name: str | None = strawberry.field(default=None, description="The name the adult gives.")
    phone: str = strawberry.field(default="", description="The phone the adult gives.")
    relation: Relation | None = strawberry.field(
        default=None, description="What the adult says they are to the child."
    )


@strawberry.input(description="A lecture or activity at a school or community venue.")
class PlanClassroomLectureInput:
    place_id: strawberry.ID = strawberry.field(description="The community or compound.")
    kind: LectureKind = strawberry.field(description="LECTURE or ACTIVITY.")
    program: LectureProgram = strawberry.field(description="The program.")
    title: str = strawberry.field(description="Title.")
    venue_kind: VenueKind = strawberry.field(description="SCHOOL or COMMUNITY.")
    venue: str = strawberry.field(description="The venue, e.g. a school's name.")
    starts_at: datetime = strawberry.field(description="Start, with a time zone.")
    speaker: str = strawberry.field(default="", description="Who gives it.")
