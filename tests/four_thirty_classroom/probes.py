"""Probes of the classroom module's root operations (see tests/access/probes.py): each makes a
classroom in the community at the relation, with a child whose guardian is the person there
(the viewer for "own"), tries the operation and undoes everything it made."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.booking.models import Booking, Offering, Slot
from core.people.models import Person
from plugins.four_thirty_classroom.children import CHILD_PERSON_NAME
from plugins.four_thirty_classroom.models import (
    Attendance,
    Child,
    Classroom,
    ClassroomMember,
    Lecture,
    PickupAdult,
    PickupAlert,
    Session,
    SessionTutor,
    Term,
    Tutor,
)
from tests.access.probes import Probe, gid, ok

_unique = itertools.count()
Relation = str


@dataclass
class Scene:
    classroom: Classroom
    child: Child
    adult: PickupAdult
    session: Session | None = None
    attendance: Attendance | None = None
    alert: PickupAlert | None = None


def _place(row: Any) -> dict[str, int]:
    return {"district_id": row.district_id, "street_id": row.street_id,
            "community_id": row.community_id}  # fmt: skip


async def _classroom(p: Probe, relation: Relation) -> Classroom:
    compound = p.target(relation).compound
    return await Classroom.create(
        code=f"probe-430-{next(_unique)}", name="探针四点半课堂", kind="COMMUNITY", capacity=20,
        compound_id=compound.id, **_place(compound),
    )  # fmt: skip


async def _session(classroom: Classroom, starts_in: timedelta) -> Session:
    starts = datetime.now(UTC) + starts_in
    offering = await Offering.create(
        owner="four_thirty_classroom", kind="after_school", title="探针学期",
        cutoff_minutes=60, per_person_limit=10, **_place(classroom),
    )  # fmt: skip
    slot = await Slot.create(offering_id=offering.id, starts_at=starts,
                             ends_at=starts + timedelta(hours=2), capacity=20)  # fmt: skip
    term = await Term.create(
        classroom_id=classroom.id, name="探针学期", starts_on=starts.date(),
        ends_on=starts.date(), weekdays=[1, 2, 3, 4, 5, 6, 7], session_start="16:30",
        session_end="18:30", topic="作业辅导", offering_id=offering.id, created_by_id=0,
        **_place(classroom),
    )  # fmt: skip
    return await Session.create(
        classroom_id=classroom.id, term_id=term.id, day=starts.date(), starts_at=starts,
        ends_at=slot.ends_at, topic="作业辅导", slot_id=slot.id, offering_id=offering.id,
        **_place(classroom),
    )  # fmt: skip


async def _attendance(session: Session, child: Child, status: str, checked_in: bool) -> Attendance:
    booking = await Booking.create(slot_id=session.slot_id, person_id=child.person_id,
                                   offering_id=session.offering_id, status=status)  # fmt: skip
    await Slot.filter(id=session.slot_id).update(confirmed=1)
    return await Attendance.create(
        session_id=session.id, child_id=child.id, booking_id=booking.id,
        classroom_id=child.classroom_id, guardian_id=child.guardian_id,
        person_id=child.person_id, enrolled_by_id=child.guardian_id,
        checked_in_at=datetime.now(UTC) if checked_in else None, **_place(session),
    )  # fmt: skip


async def drop(classroom_ids: list[int]) -> None:
    """Everything the probes made in these classrooms."""
    sessions = await Session.filter(classroom_id__in=classroom_ids).values_list("id", flat=True)
    offerings = await Term.filter(classroom_id__in=classroom_ids).values_list(
        "offering_id", flat=True
    )  # fmt: skip
    kids = await Child.filter(classroom_id__in=classroom_ids).values_list("person_id", flat=True)
    children = await Child.filter(classroom_id__in=classroom_ids).values_list("id", flat=True)
    await PickupAlert.filter(classroom_id__in=classroom_ids).delete()
    await Attendance.filter(classroom_id__in=classroom_ids).delete()
    await Booking.filter(offering_id__in=list(offerings)).delete()
    await SessionTutor.filter(session_id__in=list(sessions)).delete()
    await Session.filter(classroom_id__in=classroom_ids).delete()
    await Term.filter(classroom_id__in=classroom_ids).delete()
    await Offering.filter(id__in=list(offerings)).delete()
    await PickupAdult.filter(child_id__in=list(children)).delete()
    await Child.filter(classroom_id__in=classroom_ids).delete()
    await Person.filter(id__in=list(kids), name=CHILD_PERSON_NAME).delete()
    await ClassroomMember.filter(classroom_id__in=classroom_ids).delete()
    await Classroom.filter(id__in=classroom_ids).delete()


@asynccontextmanager
async def scene(
    p: Probe, relation: Relation, *, starts_in: timedelta | None = None,
    enrolled: str | None = None, checked_in: bool = False, alert: bool = False,
) -> Any:  # fmt: skip
    """A classroom at the relation and a child there whose guardian is the person at the
    relation; optionally a session starting ``starts_in`` from now, the child enrolled in it
    (with that booking status), checked in, and an alert about them."""
    target = p.target(relation)
    classroom = await _classroom(p, relation)
    try:
        kid = await Person.create(name=CHILD_PERSON_NAME)
        child = await Child.create(
            classroom_id=classroom.id, person_id=kid.id, guardian_id=target.person,
            name="探针小朋友", school="探针小学", grade=3, **_place(classroom),
        )  # fmt: skip
        adult = await PickupAdult.create(child_id=child.id, name="探针家长", relation="GUARDIAN",
                                         person_id=target.person)  # fmt: skip
        made = Scene(classroom, child, adult)
        if starts_in is not None:
            made.session = await _session(classroom, starts_in)
        if enrolled and made.session:
            made.attendance = await _attendance(made.session, child, enrolled, checked_in)
        if alert and made.session and made.attendance:
            made.alert = await PickupAlert.create(
                classroom_id=classroom.id, session_id=made.session.id, child_id=child.id,
                attendance_id=made.attendance.id, guardian_id=target.person,
                person_id=kid.id, adult_name="探针陌生人", reason="NOT_LISTED",
                raised_at=datetime.now(UTC), raised_by_id=0, **_place(classroom),
            )  # fmt: skip
        yield made
    finally:
        await drop([classroom.id])


@asynccontextmanager
async def tutor_at(p: Probe, relation: Relation) -> Any:
    """The person at the relation registered as a tutor in their relation's community."""
    target = p.target(relation)
    await Tutor.filter(person_id=target.person).delete()
    tutor = await Tutor.create(person_id=target.person, kind="TEACHER", registered_by_id=0,
                               **_place(target.compound))  # fmt: skip
    try:
        yield tutor
    finally:
        await SessionTutor.filter(tutor_id=tutor.id).delete()
        await Tutor.filter(id=tutor.id).delete()


def _listed(body: dict[str, Any], field: str, wanted: str) -> bool:
    return ok(body) and any(e["node"]["id"] == wanted for e in body["data"][field]["edges"])


async def classroom_tutors(p: Probe, relation: Relation) -> bool:
    async with tutor_at(p, relation) as tutor:
        body = await p.client.post(
            "query($c: ID!) { classroomTutors(placeId: $c, first: 100) { edges { node { id } } } }",
            {"c": gid("Community", tutor.community_id)},
        )
        return _listed(body, "classroomTutors", gid("ClassroomTutor", tutor.id))


async def classroom_children(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation) as s:
        body = await p.client.post(
            "query($c: ID!) { classroomChildren(classroomId: $c) { edges { node { id } } } }",
            {"c": gid("Classroom", s.classroom.id)},
        )
        return _listed(body, "classroomChildren", gid("ClassroomChild", s.child.id))


async def classroom_attendances(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation, starts_in=timedelta(days=2), enrolled="CONFIRMED") as s:
        body = await p.client.post(
            "query($s: ID!) { classroomAttendances(sessionId: $s) { edges { node { id } } } }",
            {"s": gid("ClassroomSession", s.session.id)},
        )
        return _listed(body, "classroomAttendances", gid("ClassroomAttendance", s.attendance.id))


async def classroom_alerts(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation, starts_in=-timedelta(minutes=10), enrolled="CHECKED_IN",
                     checked_in=True, alert=True) as s:  # fmt: skip
        body = await p.client.post(
            "query($c: ID!) { classroomAlerts(classroomId: $c) { edges { node { id } } } }",
            {"c": gid("Classroom", s.classroom.id)},
        )
        return _listed(body, "classroomAlerts", gid("ClassroomPickupAlert", s.alert.id))


async def create_classroom(p: Probe, relation: Relation) -> bool:
    code = f"probe-new-430-{next(_unique)}"
    try:
        body = await p.client.post(
            "mutation($i: CreateClassroomInput!) { createClassroom(input: $i) { id } }",
            {"i": {"placeId": gid("Compound", p.target(relation).compound.id), "code": code,
                   "name": "探针课堂", "capacity": 10}},
        )  # fmt: skip
        return ok(body)
    finally:
        await drop(list(await Classroom.filter(code=code).values_list("id", flat=True)))


def _on_classroom(query: str) -> Callable[[Probe, Relation], Awaitable[bool]]:
    async def probe(p: Probe, relation: Relation) -> bool:
        async with scene(p, relation) as s:
            return ok(await p.client.post(query, {"c": gid("Classroom", s.classroom.id)}))

    return probe


def _on_session(query: str, starts_in: timedelta) -> Callable[[Probe, Relation], Awaitable[bool]]:
    async def probe(p: Probe, relation: Relation) -> bool:
        async with scene(p, relation, starts_in=starts_in) as s:
            return ok(await p.client.post(query, {"s": gid("ClassroomSession", s.session.id)}))

    return probe


async def register_classroom_tutor(p: Probe, relation: Relation) -> bool:
    target = p.target(relation)
    person = None if relation == "own" else gid("Person", target.person)
    await Tutor.filter(person_id=target.person).delete()
    try:
        body = await p.client.post(
            "mutation($i: RegisterClassroomTutorInput!) { registerClassroomTutor(input: $i) { id } }",
            {"i": {"communityId": gid("Community", target.compound.community_id),
                   "kind": "TEACHER", "personId": person}},
        )  # fmt: skip
        return ok(body)
    finally:
        await Tutor.filter(person_id=target.person).delete()


async def set_classroom_tutor_check(p: Probe, relation: Relation) -> bool:
    async with tutor_at(p, relation) as tutor:
        body = await p.client.post(
            "mutation($t: ID!) { setClassroomTutorCheck(tutorId: $t, version: 1, status: PASSED) { id } }",
            {"t": gid("ClassroomTutor", tutor.id)},
        )
        return ok(body)


async def schedule_classroom_term(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation) as s:
        first = datetime.now(UTC).date() + timedelta(days=3)
        body = await p.client.post(
            "mutation($i: ScheduleClassroomTermInput!) { scheduleClassroomTerm(input: $i) { sessionsCreated } }",
            {"i": {"classroomId": gid("Classroom", s.classroom.id), "name": "探针学期",
                   "startsOn": first.isoformat(), "endsOn": (first + timedelta(days=9)).isoformat()}},
        )  # fmt: skip
        return ok(body)


async def plan_classroom_lecture(p: Probe, relation: Relation) -> bool:
    title = f"探针讲座{next(_unique)}"
    try:
        body = await p.client.post(
            "mutation($i: PlanClassroomLectureInput!) { planClassroomLecture(input: $i) { id } }",
            {"i": {"placeId": gid("Compound", p.target(relation).compound.id), "kind": "LECTURE",
                   "program": "PARTY_CLASS", "title": title, "venueKind": "SCHOOL",
                   "venue": "探针小学", "startsAt": "2030-09-01T15:00:00+08:00"}},
        )  # fmt: skip
        return ok(body)
    finally:
        await Lecture.filter(title=title).delete()


async def record_classroom_lecture(p: Probe, relation: Relation) -> bool:
    compound = p.target(relation).compound
    lecture = await Lecture.create(
        kind="ACTIVITY", program="SAFE_GROWTH", title="探针活动", venue_kind="SCHOOL",
        venue="探针小学", starts_at=datetime.now(UTC) - timedelta(hours=1), planned_by_id=0,
        compound_id=compound.id, **_place(compound),
    )  # fmt: skip
    try:
        body = await p.client.post(
            "mutation($l: ID!) { recordClassroomLecture(lectureId: $l, version: 1, students: 40, families: 12) { id } }",
            {"l": gid("ClassroomLecture", lecture.id)},
        )
        return ok(body)
    finally:
        await lecture.delete()


async def register_classroom_child(p: Probe, relation: Relation) -> bool:
    classroom = await _classroom(p, relation)
    try:
        body = await p.client.post(
            'mutation($c: ID!) { registerClassroomChild(input: {classroomId: $c, name: "探针二宝", school: "探针小学", grade: 2}) { id } }',
            {"c": gid("Classroom", classroom.id)},
        )
        return ok(body)
    finally:
        await drop([classroom.id])


async def update_classroom_child(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation) as s:
        body = await p.client.post(
            'mutation($c: ID!) { updateClassroomChild(input: {childId: $c, version: 1, notes: "对芒果过敏"}) { id } }',
            {"c": gid("ClassroomChild", s.child.id)},
        )
        return ok(body)


async def enrol_classroom_child(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation, starts_in=timedelta(days=2)) as s:
        body = await p.client.post(
            "mutation($s: ID!, $c: ID!) { enrolClassroomChild(sessionId: $s, childId: $c) { id } }",
            {"s": gid("ClassroomSession", s.session.id), "c": gid("ClassroomChild", s.child.id)},
        )
        return ok(body)


def _on_attendance(
    query: str, starts_in: timedelta, status: str, checked_in: bool = False,
    extra: Callable[[Scene], dict[str, Any]] | None = None,
) -> Callable[[Probe, Relation], Awaitable[bool]]:  # fmt: skip
    async def probe(p: Probe, relation: Relation) -> bool:
        async with scene(p, relation, starts_in=starts_in, enrolled=status,
                         checked_in=checked_in) as s:  # fmt: skip
            variables = {"a": gid("ClassroomAttendance", s.attendance.id),
                         **(extra(s) if extra else {})}  # fmt: skip
            return ok(await p.client.post(query, variables))

    return probe


async def close_classroom_alert(p: Probe, relation: Relation) -> bool:
    async with scene(p, relation, starts_in=-timedelta(minutes=10), enrolled="CHECKED_IN",
                     checked_in=True, alert=True) as s:  # fmt: skip
        body = await p.client.post(
            'mutation($a: ID!) { closeClassroomAlert(alertId: $a, version: 1, note: "已核实") { id } }',
            {"a": gid("ClassroomPickupAlert", s.alert.id)},
        )
        return ok(body)


def answers(query: str, key: str) -> Callable[[Probe, Relation], Awaitable[bool]]:
    async def probe(p: Probe, relation: Relation) -> bool:
        body = await p.client.post(query)
        return ok(body) and body["data"][key] is not None

    return probe


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "classrooms": answers("{ classrooms(first: 1) { totalCount } }", "classrooms"),
    "classroomLectures": answers(
        "{ classroomLectures(first: 1) { totalCount } }", "classroomLectures"
    ),
    "classroomTutors": classroom_tutors,
    "classroomChildren": classroom_children,
    "classroomAttendances": classroom_attendances,
    "classroomAlerts": classroom_alerts,
    "createClassroom": create_classroom,
    "updateClassroom": _on_classroom(
        "mutation($c: ID!) { updateClassroom(input: {classroomId: $c, version: 1, capacity: 25}) { id } }"
    ),
    "setClassroomStaff": _on_classroom(
        "mutation($c: ID!) { setClassroomStaff(classroomId: $c, version: 1, personIds: []) { id } }"
    ),
    "setClassroomTutors": _on_classroom(
        "mutation($c: ID!) { setClassroomTutors(classroomId: $c, version: 1, tutorIds: []) { id } }"
    ),
    "registerClassroomTutor": register_classroom_tutor,
    "setClassroomTutorCheck": set_classroom_tutor_check,
    "scheduleClassroomTerm": schedule_classroom_term,
    "planClassroomSession": _on_session(
        'mutation($s: ID!) { planClassroomSession(input: {sessionId: $s, version: 1, topic: "安全教育"}) { id } }',
        timedelta(days=2),
    ),
    "cancelClassroomSession": _on_session(
        "mutation($s: ID!) { cancelClassroomSession(sessionId: $s, version: 1) { enrolmentsCancelled } }",
        timedelta(days=2),
    ),
    "closeClassroomSession": _on_session(
        "mutation($s: ID!) { closeClassroomSession(sessionId: $s) { noShows } }",
        -timedelta(hours=3),
    ),
    "planClassroomLecture": plan_classroom_lecture,
    "recordClassroomLecture": record_classroom_lecture,
    "registerClassroomChild": register_classroom_child,
    "updateClassroomChild": update_classroom_child,
    "enrolClassroomChild": enrol_classroom_child,
    "cancelClassroomAttendance": _on_attendance(
        "mutation($a: ID!) { cancelClassroomAttendance(attendanceId: $a) { id } }",
        timedelta(days=2),
        "CONFIRMED",
    ),
    "checkInClassroomChild": _on_attendance(
        "mutation($a: ID!) { checkInClassroomChild(attendanceId: $a) { id } }",
        -timedelta(minutes=10),
        "CONFIRMED",
    ),
    "checkOutClassroomChild": _on_attendance(
        "mutation($a: ID!, $adult: ID!) { checkOutClassroomChild(input: {attendanceId: $a, adultId: $adult}) { pickedUp } }",
        -timedelta(minutes=10),
        "CHECKED_IN",
        checked_in=True,
        extra=lambda s: {"adult": gid("ClassroomPickupAdult", s.adult.id)},
    ),
    "closeClassroomAlert": close_classroom_alert,
}
