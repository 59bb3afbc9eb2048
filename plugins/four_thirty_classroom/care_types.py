"""GraphQL types of the children in care: the child, the adults who may pick them up, their
enrolments (attendance) and the pick-up alerts.

All of them are seen only by the child's guardian and the staff and tutors of the child's
classroom (``rules.CHILD_SCOPE``): to anyone else their ids answer like missing ones. The
child's data is shown to staff and tutors only while they hold their role at the classroom's
community, and each such read is recorded (``rules.CHILD_DATA``, core's personal-data reads).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from core import Booking as BookingRow
from core import BookingStatus, Forbidden, names_of
from plugins.four_thirty_classroom import models, rules
from plugins.four_thirty_classroom.classrooms import members_of
from plugins.four_thirty_classroom.settings import MAX_PICKUP_ADULTS
from plugins.four_thirty_classroom.types import (
    CLASSROOM,
    SESSION,
    Classroom,
    ClassroomSession,
)
from schema import Masked, NodeSource, by_id, cost, global_id, scoped

DATA = rules.CHILD_DATA


@strawberry.enum(name="ClassroomPickupRelation", description="How an adult is related to a child.")
class Relation(Enum):
    GUARDIAN = "GUARDIAN"
    PARENT = "PARENT"
    GRANDPARENT = "GRANDPARENT"
    RELATIVE = "RELATIVE"
    NEIGHBOUR = "NEIGHBOUR"
    OTHER = "OTHER"


@strawberry.enum(
    name="ClassroomAlertReason",
    description="Why a pick-up was refused: NOT_LISTED (not an authorised adult), "
    "PHONE_MISMATCH (a listed name with another phone), REMOVED (taken off the list), "
    "ANOTHER_CHILDS_ADULT (authorised for another child).",
)
class AlertReason(Enum):
    NOT_LISTED = "NOT_LISTED"
    PHONE_MISMATCH = "PHONE_MISMATCH"
    REMOVED = "REMOVED"
    ANOTHER_CHILDS_ADULT = "ANOTHER_CHILDS_ADULT"


@strawberry.type(description="An adult authorised to pick a child up.")
class ClassroomPickupAdult:
    id: strawberry.ID = strawberry.field(description="Give it as `adultId` at check-out.")
    name: str = strawberry.field(description="The adult's name.")
    relation: Relation = strawberry.field(description="How they are related to the child.")
    phone: str = strawberry.field(description="Their phone, if the guardian gave one.")


@scoped(rules.CHILD_SCOPE)
@strawberry.type(
    description="A child registered with a classroom (a minor): seen only by the guardian and "
    "the classroom's staff and tutors. Staff and tutors' reads of the child's data are recorded."
)
class ClassroomChild(relay.Node):
    id: relay.NodeID[int]
    active: bool = strawberry.field(description="False once the registration ended.")
    created_at: datetime = strawberry.field(description="When the child was registered (UTC).")
    version: int = strawberry.field(description="Send it back to change the registration.")
    name: str | None = strawberry.field(
        description="The child's name.", extensions=[Masked(DATA, "classroom_child_name")]
    )
    school: str | None = strawberry.field(
        description="The school.", extensions=[Masked(DATA, "classroom_child_school")]
    )
    grade: int | None = strawberry.field(
        description="The school grade.", extensions=[Masked(DATA, "classroom_child_grade")]
    )
    notes: str | None = strawberry.field(
        description="What carers must know (allergies, health).",
        extensions=[Masked(DATA, "classroom_child_notes")],
    )
    pickup_adults: list[ClassroomPickupAdult] | None = strawberry.field(
        default=None,
        description="The adults authorised to pick the child up, the guardian first.",
        extensions=[Masked(DATA, "classroom_pickup_adults")],
        metadata=cost(size=MAX_PICKUP_ADULTS + 1),  # the guardian and those they authorised
    )
    person_id: strawberry.Private[int]
    guardian_id: strawberry.Private[int]
    classroom_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    member_ids: strawberry.Private[frozenset[int]] = frozenset()

    @strawberry.field(description="The classroom the child is registered with.")
    async def classroom(self, info: Info) -> Classroom:
        return await by_id(info.context, CLASSROOM).load(self.classroom_id)

    @strawberry.field(description="Whether you are the child's guardian.")
    def is_yours(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.person_id == self.guardian_id


@scoped(rules.CHILD_SCOPE)
@strawberry.type(
    description="A child's enrolment in a session (a core booking), check-in and pick-up: seen "
    "by the guardian and the classroom's staff and tutors."
)
class ClassroomAttendance(relay.Node):
    id: relay.NodeID[int]
    created_at: datetime = strawberry.field(description="When the child was enrolled (UTC).")
    checked_in_at: datetime | None = strawberry.field(description="When the child arrived.")
    checked_out_at: datetime | None = strawberry.field(description="When the child was picked up.")
    version: int = strawberry.field(description="Changes with every step.")
    picked_up_by_name: str | None = strawberry.field(
        description="Who picked the child up.",
        extensions=[Masked(DATA, "classroom_picked_up_by")],
    )
    picked_up_by_relation: str | None = strawberry.field(
        description="Their relation to the child (GUARDIAN, GRANDPARENT...).",
        extensions=[Masked(DATA, "classroom_picked_up_relation")],
    )
    session_id: strawberry.Private[int]
    child_id: strawberry.Private[int]
    booking_id: strawberry.Private[int]
    picked_up_by_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int]
    guardian_id: strawberry.Private[int]
    classroom_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    member_ids: strawberry.Private[frozenset[int]] = frozenset()
    status: BookingStatus = strawberry.field(
        default=BookingStatus.CONFIRMED,
        description="The seat in the booking engine: CONFIRMED, WAITLISTED, CHECKED_IN (came), "
        "NO_SHOW or CANCELLED.",
    )

    @strawberry.field(description="Whether the child is in care now (checked in, not picked up).")
    def in_care(self) -> bool:
        return self.checked_in_at is not None and self.checked_out_at is None

    @strawberry.field(description="The child.")
    async def child(self, info: Info) -> ClassroomChild | None:
        return await by_id(info.context, CHILD).load(self.child_id)

    @strawberry.field(description="The session.")
    async def session(self, info: Info) -> ClassroomSession:
        found = await by_id(info.context, SESSION).load(self.session_id)
        return found


@scoped(rules.CHILD_SCOPE)
@strawberry.type(
    description="An adult who was not authorised tried to pick a child up and was refused: seen "
    "by the classroom's staff and tutors and by the guardian; closed by the staff."
)
class ClassroomPickupAlert(relay.Node):
    id: relay.NodeID[int]
    raised_at: datetime = strawberry.field(description="When the pick-up was refused (UTC).")
    adult_name: str = strawberry.field(description="The name the adult gave.")
    adult_phone: str = strawberry.field(description="The phone the adult gave, if any.")
    claimed_relation: Relation | None = strawberry.field(description="What they said they are.")
    reason: AlertReason = strawberry.field(description="Why they were refused.")
    closed_at: datetime | None = strawberry.field(description="When the staff closed it.")
    note: str = strawberry.field(description="What the staff did about it.")
    version: int = strawberry.field(description="Send it back to close the alert.")
    session_id: strawberry.Private[int]
    child_id: strawberry.Private[int]
    attendance_id: strawberry.Private[int]
    raised_by_id: strawberry.Private[int]
    closed_by_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int]
    guardian_id: strawberry.Private[int]
    classroom_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    member_ids: strawberry.Private[frozenset[int]] = frozenset()
    raised_by: str = strawberry.field(default="", description="The carer who refused the adult.")

    @strawberry.field(description="The child.")
    async def child(self, info: Info) -> ClassroomChild | None:
        return await by_id(info.context, CHILD).load(self.child_id)

    @strawberry.field(description="The session.")
    async def session(self, info: Info) -> ClassroomSession:
        found = await by_id(info.context, SESSION).load(self.session_id)
        return found

    @strawberry.field(description="The classroom.")
    async def classroom(self, info: Info) -> Classroom:
        return await by_id(info.context, CLASSROOM).load(self.classroom_id)


@strawberry.type(
    description="A check-out: the child handed to an authorised adult, or — when the adult was "
    "not authorised — a refusal: `attendance` answers null with a FORBIDDEN error and `alert` "
    "is the alert raised for the classroom's staff (the refusal and the alert are recorded)."
)
class ClassroomCheckOut:
    alert: ClassroomPickupAlert | None = strawberry.field(
        description="The alert raised when the pick-up was refused; null when it succeeded."
    )
    outcome: strawberry.Private[ClassroomAttendance | None]
    refusal: strawberry.Private[str]

    @strawberry.field(
        description="The enrolment, checked out; null with a FORBIDDEN error (whose "
        "`extensions.alertId` names the alert) when the adult was refused."
    )
    def attendance(self) -> ClassroomAttendance | None:
        if self.outcome is None:
            raise Forbidden(
                self.refusal,
                argument="adultId",
                alertId=global_id("ClassroomPickupAlert", self.alert.id) if self.alert else None,
            )
        return self.outcome

    @strawberry.field(description="Whether the child was handed over.")
    def picked_up(self) -> bool:
        return self.outcome is not None


async def _children(children: Sequence[Any]) -> None:
    members = await members_of({c.classroom_id for c in children})
    adults = (
        await models.PickupAdult.filter(child_id__in=[c.id for c in children], active=True)
        .order_by("id")
        .values("id", "child_id", "name", "relation", "phone")
    )
    for child in children:
        found = members[child.classroom_id]
        child.member_ids = found["STAFF"] | found["TUTOR"]
        listed = [a for a in adults if a["child_id"] == child.id]
        listed.sort(key=lambda a: a["relation"] != "GUARDIAN")
        child.pickup_adults = [
            ClassroomPickupAdult(
                id=strawberry.ID(global_id("ClassroomPickupAdult", a["id"])),
                name=a["name"],
                relation=Relation(a["relation"]),
                phone=a["phone"],
            )
            for a in listed
        ]


async def _attendances(rows: Sequence[Any]) -> None:
    members = await members_of({a.classroom_id for a in rows})
    statuses = dict(
        await BookingRow.filter(id__in=[a.booking_id for a in rows]).values_list("id", "status")
    )
    for attendance in rows:
        found = members[attendance.classroom_id]
        attendance.member_ids = found["STAFF"] | found["TUTOR"]
        attendance.status = BookingStatus(statuses[attendance.booking_id])


async def _alerts(alerts: Sequence[Any]) -> None:
    members = await members_of({a.classroom_id for a in alerts})
    names = await names_of(a.raised_by_id for a in alerts)
    for alert in alerts:
        found = members[alert.classroom_id]
        alert.member_ids = found["STAFF"] | found["TUTOR"]
        alert.raised_by = names.get(alert.raised_by_id, "")


CHILD = NodeSource(ClassroomChild, models.Child, enrich=_children)
ATTENDANCE = NodeSource(ClassroomAttendance, models.Attendance, enrich=_attendances)
ALERT = NodeSource(ClassroomPickupAlert, models.PickupAlert, enrich=_alerts)
