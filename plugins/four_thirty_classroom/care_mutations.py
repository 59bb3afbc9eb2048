"""Root mutations about children in care: registration, enrolment, check-in, check-out and
alerts. An object the viewer may not see answers NOT_FOUND before anything else, exactly like
a missing one; then the module switch at its place (MODULE_DISABLED); then the rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from core import Grant, NotFound
from plugins.four_thirty_classroom import attendance, children, timing
from plugins.four_thirty_classroom.care_types import (
    ALERT,
    ATTENDANCE,
    CHILD,
    ClassroomAttendance,
    ClassroomCheckOut,
    ClassroomChild,
    ClassroomPickupAlert,
)
from plugins.four_thirty_classroom.children import Adult, ChildDetails
from plugins.four_thirty_classroom.inputs import (
    CheckOutClassroomChildInput,
    PickupAdultInput,
    RegisterClassroomChildInput,
    UpdateClassroomChildInput,
)
from plugins.four_thirty_classroom.models import Classroom
from plugins.four_thirty_classroom.places import ensure_row_on, settings_at
from plugins.four_thirty_classroom.rules import CHILD_SCOPE
from schema import Context, IsAuthenticated, by_id, global_id, key_of


def _adults(adults: list[PickupAdultInput] | None) -> list[Adult] | None:
    if adults is None:
        return None
    return [Adult(a.name, a.relation.value, a.phone) for a in adults]


async def _care_row(
    context: Context, global_id_: str, type_name: str, what: str,
    read: Callable[[int], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:  # fmt: skip
    """The row of a child, enrolment or alert the viewer may see, where the module is on."""
    row = await read(key_of(global_id_, type_name, what=what))
    if not CHILD_SCOPE.admits(context.viewer, row):
        raise NotFound(f"No such {what}.")
    await ensure_row_on(context, row)
    return row


def _noted(context: Context, grant: Grant | None, type_name: str, key: int, district: int,
           **summary: Any) -> None:  # fmt: skip
    if grant is not None:
        context.note.used(grant)
    context.note.about(global_id(type_name, key), district, **summary)


async def _loaded(context: Context, source: Any, key: int) -> Any:
    context.forget_loaders()
    found = await by_id(context, source).load(key)
    assert found is not None
    return found


@strawberry.type
class CareMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Register your child with a classroom of the district you live in, with "
        "the adults who may pick the child up (you are always one of them).",
    )
    async def register_classroom_child(
        self, info: Info, input: RegisterClassroomChildInput
    ) -> ClassroomChild:
        context: Context = info.context
        classroom = await _classroom_place(input.classroom_id)
        await ensure_row_on(context, classroom)
        settings = await settings_at(context, classroom["community_id"])
        details = ChildDetails(input.name, input.school, input.grade, input.notes)
        key = await children.register(
            context.viewer, classroom["id"], details, _adults(input.pickup_adults) or [], settings
        )
        _noted(context, None, "ClassroomChild", key, classroom["district_id"],
               adults=len(input.pickup_adults))  # fmt: skip
        return await _loaded(context, CHILD, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Change your child's registration or pick-up list (the guardian only).",
    )
    async def update_classroom_child(
        self, info: Info, input: UpdateClassroomChildInput
    ) -> ClassroomChild:
        context: Context = info.context
        row = await _care_row(context, input.child_id, "ClassroomChild", "child",
                              children.child_row)  # fmt: skip
        settings = await settings_at(context, row["community_id"])
        details = ChildDetails(input.name, input.school, input.grade, input.notes)
        changed = await children.update(
            context.viewer, row["id"], input.version, details, _adults(input.pickup_adults),
            input.active, settings,
        )  # fmt: skip
        adults_changed = input.pickup_adults is not None
        _noted(context, None, "ClassroomChild", row["id"], row["district_id"],
               version=changed["version"], adults_changed=adults_changed)  # fmt: skip
        return await _loaded(context, CHILD, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Enrol a child in a session (the guardian, or the classroom's staff) "
        "through the booking engine: CONFIRMED, or WAITLISTED when full where the district "
        "keeps a waitlist (CONFLICT where it does not). Closes the district's "
        "enrol_cutoff_minutes before the session.",
    )
    async def enrol_classroom_child(
        self, info: Info, session_id: strawberry.ID, child_id: strawberry.ID
    ) -> ClassroomAttendance:
        context: Context = info.context
        child = await _care_row(context, child_id, "ClassroomChild", "child", children.child_row)
        session = key_of(session_id, "ClassroomSession", what="session")
        key, grant = await attendance.enrol(context.viewer, session, child["id"], timing.now)
        _noted(context, grant, "ClassroomAttendance", key, child["district_id"],
               session=session_id)  # fmt: skip
        return await _loaded(context, ATTENDANCE, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel an enrolment: the guardian before the cut-off, the classroom's "
        "staff until the session starts. The seat goes to the first child waiting.",
    )
    async def cancel_classroom_attendance(
        self, info: Info, attendance_id: strawberry.ID
    ) -> ClassroomAttendance:
        context: Context = info.context
        row = await _care_row(context, attendance_id, "ClassroomAttendance", "enrolment",
                              attendance.attendance_row)  # fmt: skip
        _, grant = await attendance.cancel(context.viewer, row["id"], timing.now)
        _noted(context, grant, "ClassroomAttendance", row["id"], row["district_id"])
        return await _loaded(context, ATTENDANCE, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Check a child in on arrival (the classroom's staff and tutors): a "
        "confirmed enrolment, from an hour before the session until it ends.",
    )
    async def check_in_classroom_child(
        self, info: Info, attendance_id: strawberry.ID
    ) -> ClassroomAttendance:
        context: Context = info.context
        row = await _care_row(context, attendance_id, "ClassroomAttendance", "enrolment",
                              attendance.attendance_row)  # fmt: skip
        _, grant = await attendance.check_in(context.viewer, row["id"], timing.now)
        _noted(context, grant, "ClassroomAttendance", row["id"], row["district_id"])
        return await _loaded(context, ATTENDANCE, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Hand a checked-in child to the adult who came (the classroom's staff and "
        "tutors), recording who picked the child up. An adult who is not on the child's list "
        "(or was removed from it, or gives a listed name with another phone) is refused: the "
        "child stays in care, `attendance` answers null with a FORBIDDEN error, and `alert` is "
        "the alert raised for the classroom's staff (recorded, and seen by the guardian too).",
    )
    async def check_out_classroom_child(
        self, info: Info, input: CheckOutClassroomChildInput
    ) -> ClassroomCheckOut:
        context: Context = info.context
        row = await _care_row(context, input.attendance_id, "ClassroomAttendance", "enrolment",
                              attendance.attendance_row)  # fmt: skip
        pickup = attendance.Pickup(
            adult_id=key_of(input.adult_id, "ClassroomPickupAdult", what="adult")
            if input.adult_id is not None else None,
            name=input.name, phone=input.phone,
            relation=input.relation.value if input.relation else None,
        )  # fmt: skip
        done = await attendance.check_out(context.viewer, row["id"], pickup, timing.now)
        if done.alert_id is not None:
            alert = global_id("ClassroomPickupAlert", done.alert_id)
            _noted(context, done.grant, "ClassroomAttendance", row["id"], row["district_id"],
                   refused=True, alert=alert)  # fmt: skip
            return ClassroomCheckOut(
                alert=await _loaded(context, ALERT, done.alert_id), outcome=None,
                refusal=done.reason,
            )  # fmt: skip
        _noted(context, done.grant, "ClassroomAttendance", row["id"], row["district_id"],
               refused=False)  # fmt: skip
        return ClassroomCheckOut(
            alert=None, outcome=await _loaded(context, ATTENDANCE, row["id"]), refusal=""
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Close a pick-up alert with what was done about it (the classroom's staff).",
    )
    async def close_classroom_alert(
        self, info: Info, alert_id: strawberry.ID, version: int, note: str
    ) -> ClassroomPickupAlert:
        context: Context = info.context
        row = await _care_row(context, alert_id, "ClassroomPickupAlert", "alert",
                              attendance.alert_row)  # fmt: skip
        _, grant = await attendance.close_alert(
            context.viewer, row["id"], version, note, timing.now()
        )
        _noted(context, grant, "ClassroomPickupAlert", row["id"], row["district_id"])
        return await _loaded(context, ALERT, row["id"])


async def _classroom_place(classroom_id: str) -> dict[str, Any]:
    key = key_of(classroom_id, "Classroom", what="classroom")
    row = (
        await Classroom.filter(id=key)
        .first()
        .values("id", "district_id", "street_id", "community_id")
    )
    if row is None:
        raise NotFound("No such classroom.", argument="classroomId")
    return row
