"""Root mutations that run classrooms: classrooms and their lists, tutors and their checks,
terms and sessions, lectures. Each runs in the mutation's transaction, checks the module
switch at the place it writes to first (MODULE_DISABLED), and tells the audit log what it was
about (never personal data) and which grant allowed it."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from core import Grant, NotFound
from plugins.four_thirty_classroom import classrooms, lectures, terms, timing, tutors
from plugins.four_thirty_classroom.care_mutations import CareMutation
from plugins.four_thirty_classroom.enums import CheckStatus
from plugins.four_thirty_classroom.inputs import (
    CreateClassroomInput,
    PlanClassroomLectureInput,
    PlanClassroomSessionInput,
    RegisterClassroomTutorInput,
    ScheduleClassroomTermInput,
    UpdateClassroomInput,
)
from plugins.four_thirty_classroom.models import Session
from plugins.four_thirty_classroom.places import (
    ensure_on,
    ensure_row_on,
    place_row,
    settings_at,
    zone,
)
from plugins.four_thirty_classroom.types import (
    CLASSROOM,
    LECTURE,
    SESSION,
    TERM,
    TUTOR,
    Classroom,
    ClassroomLecture,
    ClassroomSession,
    ClassroomTerm,
    ClassroomTutor,
)
from schema import Context, IsAuthenticated, by_id, global_id, key_of


def noted(context: Context, grant: Grant | None, type_name: str, key: int, district: int,
          **summary: Any) -> None:  # fmt: skip
    if grant is not None:
        context.note.used(grant)
    context.note.about(global_id(type_name, key), district, **summary)


async def loaded(context: Context, source: Any, key: int) -> Any:
    context.forget_loaders()
    found = await by_id(context, source).load(key)
    assert found is not None
    return found


async def _classroom(context: Context, classroom_id: str) -> dict[str, Any]:
    row = await classrooms.classroom_row(key_of(classroom_id, "Classroom", what="classroom"))
    await ensure_row_on(context, row)
    return row


async def _session(context: Context, session_id: str) -> int:
    key = key_of(session_id, "ClassroomSession", what="session")
    row = await Session.filter(id=key).first().values("district_id", "street_id", "community_id")
    if row is None:
        raise NotFound("No such session.", argument="sessionId")
    await ensure_row_on(context, row)
    return key


@strawberry.type(description="A scheduled term and the sessions generated from it.")
class ScheduleClassroomTermPayload:
    term: ClassroomTerm = strawberry.field(description="The term.")
    sessions_created: int = strawberry.field(description="Sessions generated.")
    skipped_days: list[date] = strawberry.field(
        description="Days of the pattern left out because the classroom has a session then."
    )


@strawberry.type(description="A cancelled session and how many enrolments it cancelled.")
class CancelClassroomSessionPayload:
    session: ClassroomSession = strawberry.field(description="The session.")
    enrolments_cancelled: int = strawberry.field(description="Enrolments cancelled with it.")


@strawberry.type(description="A closed session and how many enrolled children never came.")
class CloseClassroomSessionPayload:
    session: ClassroomSession = strawberry.field(description="The session.")
    no_shows: int = strawberry.field(description="Enrolments marked NO_SHOW.")


@strawberry.type
class ClassroomMutation(CareMutation):
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Open a 四点半课堂 classroom in a community or compound (the community's "
        "workers and those above).",
    )
    async def create_classroom(self, info: Info, input: CreateClassroomInput) -> Classroom:
        context: Context = info.context
        place = await place_row(input.place_id, ("Community", "Compound"))
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        details = classrooms.ClassroomDetails(
            name=input.name, kind=input.kind.value, address=input.address, capacity=input.capacity
        )
        key, grant = await classrooms.create_classroom(context.viewer, place, input.code, details)
        noted(context, grant, "Classroom", key, place.district_id, capacity=input.capacity)
        return await loaded(context, CLASSROOM, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Change a classroom (its managers). A stale `version` is CONFLICT.",
    )
    async def update_classroom(self, info: Info, input: UpdateClassroomInput) -> Classroom:
        context: Context = info.context
        current = await _classroom(context, input.classroom_id)
        details = classrooms.ClassroomDetails(
            name=input.name, kind=input.kind.value if input.kind else None,
            address=input.address, capacity=input.capacity, active=input.active,
        )  # fmt: skip
        row, grant = await classrooms.update_classroom(
            context.viewer, current["id"], input.version, details
        )
        noted(context, grant, "Classroom", row["id"], row["district_id"], version=row["version"])
        return await loaded(context, CLASSROOM, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Replace a classroom's staff list (its managers): each person holds "
        "CLASSROOM_STAFF at its community.",
    )
    async def set_classroom_staff(
        self, info: Info, classroom_id: strawberry.ID, version: int,
        person_ids: list[strawberry.ID],
    ) -> Classroom:  # fmt: skip
        context: Context = info.context
        current = await _classroom(context, classroom_id)
        people = [key_of(p, "Person", what="person") for p in person_ids]
        row, grant = await classrooms.set_staff(context.viewer, current["id"], version, people)
        noted(context, grant, "Classroom", row["id"], row["district_id"], staff=len(people))
        return await loaded(context, CLASSROOM, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Replace a classroom's tutor list (its managers): tutors of its district "
        "holding TUTOR at its community whose background check has passed and is still valid.",
    )
    async def set_classroom_tutors(
        self, info: Info, classroom_id: strawberry.ID, version: int,
        tutor_ids: list[strawberry.ID],
    ) -> Classroom:  # fmt: skip
        context: Context = info.context
        current = await _classroom(context, classroom_id)
        keys = [key_of(t, "ClassroomTutor", what="tutor") for t in tutor_ids]
        settings = await settings_at(context, current["community_id"])
        row, grant = await classrooms.set_tutors(
            context.viewer, current["id"], version, keys, settings, timing.now()
        )
        noted(context, grant, "Classroom", row["id"], row["district_id"], tutors=len(keys))
        return await loaded(context, CLASSROOM, row["id"])

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Register yourself as a volunteer tutor in a community (or, for its "
        "managers, someone else). The background check starts PENDING.",
    )
    async def register_classroom_tutor(
        self, info: Info, input: RegisterClassroomTutorInput
    ) -> ClassroomTutor:
        context: Context = info.context
        place = await place_row(input.community_id, ("Community",))
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        person = key_of(input.person_id, "Person", what="person") if input.person_id else None
        key, grant = await tutors.register(context.viewer, person, input.kind.value, place)
        noted(context, grant, "ClassroomTutor", key, place.district_id, kind=input.kind.value)
        return await loaded(context, TUTOR, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Record a tutor's background check (the admins of the tutor's district, "
        "never the tutor). Anything but PASSED takes the tutor off every tutor list and off the "
        "sessions that have not started.",
    )
    async def set_classroom_tutor_check(
        self, info: Info, tutor_id: strawberry.ID, version: int, status: CheckStatus,
        note: str = "",
    ) -> ClassroomTutor:  # fmt: skip
        context: Context = info.context
        key = key_of(tutor_id, "ClassroomTutor", what="tutor")
        current = await tutors.tutor_row(key)
        await ensure_row_on(context, current)
        row, grant, removed = await tutors.set_check(
            context.viewer, key, version, status.value, note, timing.now()
        )
        noted(context, grant, "ClassroomTutor", key, row["district_id"], status=status.value,
              sessions_left=removed)  # fmt: skip
        return await loaded(context, TUTOR, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Schedule a term of a classroom (its staff and managers): one session on "
        "each day of the weekly pattern between its first and last day, except its holidays, "
        "the district's public holidays and days that already have a session.",
    )
    async def schedule_classroom_term(
        self, info: Info, input: ScheduleClassroomTermInput
    ) -> ScheduleClassroomTermPayload:
        context: Context = info.context
        current = await _classroom(context, input.classroom_id)
        settings = await settings_at(context, current["community_id"])
        plan = terms.TermPlan(
            name=input.name, starts_on=input.starts_on, ends_on=input.ends_on,
            weekdays=input.weekdays,
            holidays=[timing.Holiday(h.start, h.to, h.name.strip()) for h in input.holidays],
            session_start=input.session_start, session_end=input.session_end, topic=input.topic,
        )  # fmt: skip
        made, grant = await terms.schedule_term(
            context.viewer, current["id"], plan, settings, zone(context), timing.now()
        )
        noted(context, grant, "ClassroomTerm", made.term_id, current["district_id"],
              sessions=made.sessions)  # fmt: skip
        return ScheduleClassroomTermPayload(
            term=await loaded(context, TERM, made.term_id),
            sessions_created=made.sessions,
            skipped_days=made.skipped_days,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Set a session's topic and tutors (the classroom's staff and managers). A "
        "tutor whose background check has not passed (or expired) cannot be scheduled: "
        "BAD_USER_INPUT naming the tutor.",
    )
    async def plan_classroom_session(
        self, info: Info, input: PlanClassroomSessionInput
    ) -> ClassroomSession:
        context: Context = info.context
        key = await _session(context, input.session_id)
        tutor_ids = (
            [key_of(t, "ClassroomTutor", what="tutor") for t in input.tutor_ids]
            if input.tutor_ids is not None
            else None
        )
        row = await terms.session_row(key)
        settings = await settings_at(context, row["community_id"])
        row, grant = await terms.plan_session(
            context.viewer, key, input.version, input.topic, tutor_ids, settings, timing.now()
        )
        noted(context, grant, "ClassroomSession", key, row["district_id"],
              tutors=None if tutor_ids is None else len(tutor_ids))  # fmt: skip
        return await loaded(context, SESSION, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel a session that has not started (the classroom's staff and "
        "managers): its enrolments are cancelled.",
    )
    async def cancel_classroom_session(
        self, info: Info, session_id: strawberry.ID, version: int, note: str = ""
    ) -> CancelClassroomSessionPayload:
        context: Context = info.context
        key = await _session(context, session_id)
        row, grant, cancelled = await terms.cancel_session(
            context.viewer, key, version, note, timing.now
        )
        noted(context, grant, "ClassroomSession", key, row["district_id"], cancelled=cancelled)
        return CancelClassroomSessionPayload(
            session=await loaded(context, SESSION, key), enrolments_cancelled=cancelled
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Close a session after it ended (its staff, tutors and managers): it "
        "counts as held, and enrolled children who never came become NO_SHOW. Refused while a "
        "child checked in has not been picked up.",
    )
    async def close_classroom_session(
        self, info: Info, session_id: strawberry.ID
    ) -> CloseClassroomSessionPayload:
        context: Context = info.context
        key = await _session(context, session_id)
        row, grant, no_shows = await terms.close_session(context.viewer, key, timing.now)
        noted(context, grant, "ClassroomSession", key, row["district_id"], no_shows=no_shows)
        return CloseClassroomSessionPayload(
            session=await loaded(context, SESSION, key), no_shows=no_shows
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Plan a lecture or activity at a school or community venue (the "
        "community's workers and those above).",
    )
    async def plan_classroom_lecture(
        self, info: Info, input: PlanClassroomLectureInput
    ) -> ClassroomLecture:
        context: Context = info.context
        place = await place_row(input.place_id, ("Community", "Compound"))
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        plan = lectures.LecturePlan(
            kind=input.kind.value, program=input.program.value, title=input.title,
            venue_kind=input.venue_kind.value, venue=input.venue, starts_at=input.starts_at,
            speaker=input.speaker,
        )  # fmt: skip
        key, grant = await lectures.plan(context.viewer, place, plan)
        noted(context, grant, "ClassroomLecture", key, place.district_id,
              program=input.program.value)  # fmt: skip
        return await loaded(context, LECTURE, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Record a lecture as held, with the students and families it reached (once "
        "it started; a held one may be corrected), or as cancelled (`held: false`).",
    )
    async def record_classroom_lecture(
        self, info: Info, lecture_id: strawberry.ID, version: int, held: bool = True,
        students: int = 0, families: int = 0,
    ) -> ClassroomLecture:  # fmt: skip
        context: Context = info.context
        key = key_of(lecture_id, "ClassroomLecture", what="lecture")
        await ensure_row_on(context, await lectures.lecture_row(key))
        row, grant = await lectures.record(
            context.viewer, key, version, held, students, families, timing.now()
        )
        noted(context, grant, "ClassroomLecture", key, row["district_id"], held=held,
              beneficiaries=students + families if held else 0)  # fmt: skip
        return await loaded(context, LECTURE, key)
