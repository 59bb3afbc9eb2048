"""Switched off in a district (兴山区 in the test config), every field of the module answers
MODULE_DISABLED there — to the very people who could use it where it is on — and lists leave it
out; core keeps working there; and the data is all there again when the district switches the
module back on."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID
from strawberry.types.base import get_object_definition

from core.access.models import Account
from core.booking.models import Booking, Offering, Slot
from core.people.models import Person
from core.regions.models import Compound, District
from plugins.four_thirty_classroom.children import CHILD_PERSON_NAME
from plugins.four_thirty_classroom.graphql import contribution
from plugins.four_thirty_classroom.models import (
    Attendance,
    Child,
    Classroom,
    ClassroomMember,
    Lecture,
    PickupAdult,
    PickupAlert,
    Session,
    Term,
    Tutor,
)
from tests.access.probes import gid
from tests.four_thirty_classroom.support import grant_at, person_with_login
from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

_unique = itertools.count()
ON_IN_XINGSHAN = TEST_CONFIG.replace(
    'name = "兴山区"\nmodules = []', 'name = "兴山区"\nmodules = ["four_thirty_classroom"]'
)


async def xingshan_data(client) -> dict:
    """A classroom with its staff and a checked tutor, a term and a session under way, a child
    checked in with an alert raised about them, and a lecture, in 兴山区 — written directly
    (the API refuses to write where the module is off)."""
    xingshan = await District.get(code="xingshan")
    compound = await Compound.filter(district_id=xingshan.id).order_by("id").first()
    community = await compound.community
    place = {"district_id": xingshan.id, "street_id": compound.street_id,
             "community_id": compound.community_id}  # fmt: skip
    n = next(_unique)
    classroom = await Classroom.create(code=f"xs-430-{n}", name="兴山四点半课堂",
                                       kind="COMMUNITY", capacity=20, **place)  # fmt: skip
    staff, staff_person = await person_with_login(client, "兴山课堂老师")
    await grant_at(staff_person, "CLASSROOM_STAFF", community)
    tutor, tutor_person = await person_with_login(client, "兴山志愿者")
    await grant_at(tutor_person, "TUTOR", community)
    tutor_row = await Tutor.create(
        person_id=tutor_person, kind="TEACHER", check_status="PASSED",
        checked_at=datetime.now(UTC), registered_by_id=staff_person, **place,
    )  # fmt: skip
    await ClassroomMember.create(classroom_id=classroom.id, person_id=staff_person, kind="STAFF")
    await ClassroomMember.create(classroom_id=classroom.id, person_id=tutor_person, kind="TUTOR")
    starts = datetime.now(UTC) - timedelta(minutes=30)
    offering = await Offering.create(owner="four_thirty_classroom", kind="after_school",
                                     title="兴山四点半课堂", per_person_limit=10, **place)  # fmt: skip
    slot = await Slot.create(offering_id=offering.id, starts_at=starts,
                             ends_at=starts + timedelta(hours=2), capacity=20)  # fmt: skip
    term = await Term.create(
        classroom_id=classroom.id, name="秋季学期", starts_on=starts.date(),
        ends_on=starts.date(), weekdays=[1, 2, 3, 4, 5], session_start="16:30",
        session_end="18:30", topic="作业辅导", offering_id=offering.id,
        created_by_id=staff_person, **place,
    )  # fmt: skip
    session = await Session.create(
        classroom_id=classroom.id, term_id=term.id, day=starts.date(), starts_at=starts,
        ends_at=slot.ends_at, topic="作业辅导", slot_id=slot.id, offering_id=offering.id,
        **place,
    )  # fmt: skip
    parent, parent_person = await person_with_login(client, "兴山家长", compound)
    kid = (await Person.create(name=CHILD_PERSON_NAME)).id
    child = await Child.create(classroom_id=classroom.id, person_id=kid, name="兴山小朋友",
                               guardian_id=parent_person, school="兴山小学", grade=2,
                               **place)  # fmt: skip
    adult = await PickupAdult.create(child_id=child.id, name="兴山家长", relation="GUARDIAN",
                                     person_id=parent_person)  # fmt: skip
    booking = await Booking.create(slot_id=slot.id, person_id=kid, offering_id=offering.id,
                                   status="CHECKED_IN")  # fmt: skip
    attendance = await Attendance.create(
        session_id=session.id, child_id=child.id, booking_id=booking.id,
        classroom_id=classroom.id, guardian_id=parent_person, person_id=kid,
        enrolled_by_id=parent_person, checked_in_at=starts, checked_in_by_id=tutor_person,
        **place,
    )  # fmt: skip
    alert = await PickupAlert.create(
        classroom_id=classroom.id, session_id=session.id, child_id=child.id,
        attendance_id=attendance.id, guardian_id=parent_person, person_id=kid,
        adult_name="陌生人", reason="NOT_LISTED", raised_at=starts, raised_by_id=tutor_person, **place,
    )  # fmt: skip
    lecture = await Lecture.create(
        kind="LECTURE", program="PARTY_CLASS", title="精品党课进校园", venue_kind="SCHOOL",
        venue="兴山小学", starts_at=starts, planned_by_id=staff_person, **place,
    )  # fmt: skip
    return {
        "staff": staff, "tutor": tutor, "parent": parent,
        "district": gid("District", xingshan.id), "community": gid("Community", community.id),
        "compound": gid("Compound", compound.id), "classroom": gid("Classroom", classroom.id),
        "tutorRow": gid("ClassroomTutor", tutor_row.id), "term": gid("ClassroomTerm", term.id),
        "session": gid("ClassroomSession", session.id), "child": gid("ClassroomChild", child.id),
        "adult": gid("ClassroomPickupAdult", adult.id),
        "attendance": gid("ClassroomAttendance", attendance.id),
        "alert": gid("ClassroomPickupAlert", alert.id),
        "lecture": gid("ClassroomLecture", lecture.id), "person": gid("Person", staff_person),
    }  # fmt: skip


# Each root field of the module, asked about 兴山区 data by someone who could use it there.
QUERIES = {
    "classrooms": (
        "staff",
        "query($district: ID!) { classrooms(placeId: $district) { totalCount edges { node { id } } } }",
    ),
    "classroomTutors": (
        "admin",
        "query($district: ID!) { classroomTutors(placeId: $district) { totalCount edges { node { id } } } }",
    ),
    "classroomChildren": ("parent", "{ classroomChildren { totalCount edges { node { id } } } }"),
    "classroomAttendances": (
        "tutor",
        "{ classroomAttendances { totalCount edges { node { id } } } }",
    ),
    "classroomAlerts": ("staff", "{ classroomAlerts { totalCount edges { node { id } } } }"),
    "classroomLectures": (
        "admin",
        "query($district: ID!) { classroomLectures(placeId: $district) { totalCount edges { node { id } } } }",
    ),
}
MUTATIONS = {
    "createClassroom": (
        "admin",
        'mutation($community: ID!) { createClassroom(input: {placeId: $community, code: "xs-new", name: "新课堂", capacity: 10}) { id } }',
    ),
    "updateClassroom": (
        "admin",
        "mutation($classroom: ID!) { updateClassroom(input: {classroomId: $classroom, version: 1, capacity: 30}) { id } }",
    ),
    "setClassroomStaff": (
        "admin",
        "mutation($classroom: ID!, $person: ID!) { setClassroomStaff(classroomId: $classroom, version: 1, personIds: [$person]) { id } }",
    ),
    "setClassroomTutors": (
        "admin",
        "mutation($classroom: ID!, $tutorRow: ID!) { setClassroomTutors(classroomId: $classroom, version: 1, tutorIds: [$tutorRow]) { id } }",
    ),
    "registerClassroomTutor": (
        "parent",
        "mutation($community: ID!) { registerClassroomTutor(input: {communityId: $community, kind: OTHER}) { id } }",
    ),
    "setClassroomTutorCheck": (
        "admin",
        "mutation($tutorRow: ID!) { setClassroomTutorCheck(tutorId: $tutorRow, version: 1, status: FAILED) { id } }",
    ),
    "scheduleClassroomTerm": (
        "staff",
        'mutation($classroom: ID!) { scheduleClassroomTerm(input: {classroomId: $classroom, name: "春季", startsOn: "2030-03-04", endsOn: "2030-03-29"}) { sessionsCreated } }',
    ),
    "planClassroomSession": (
        "staff",
        'mutation($session: ID!) { planClassroomSession(input: {sessionId: $session, version: 1, topic: "安全"}) { id } }',
    ),
    "cancelClassroomSession": (
        "staff",
        "mutation($session: ID!) { cancelClassroomSession(sessionId: $session, version: 1) { enrolmentsCancelled } }",
    ),
    "closeClassroomSession": (
        "tutor",
        "mutation($session: ID!) { closeClassroomSession(sessionId: $session) { noShows } }",
    ),
    "registerClassroomChild": (
        "parent",
        'mutation($classroom: ID!) { registerClassroomChild(input: {classroomId: $classroom, name: "二宝", school: "兴山小学", grade: 1}) { id } }',
    ),
    "updateClassroomChild": (
        "parent",
        'mutation($child: ID!) { updateClassroomChild(input: {childId: $child, version: 1, notes: "x"}) { id } }',
    ),
    "enrolClassroomChild": (
        "parent",
        "mutation($session: ID!, $child: ID!) { enrolClassroomChild(sessionId: $session, childId: $child) { id } }",
    ),
    "cancelClassroomAttendance": (
        "parent",
        "mutation($attendance: ID!) { cancelClassroomAttendance(attendanceId: $attendance) { id } }",
    ),
    "checkInClassroomChild": (
        "tutor",
        "mutation($attendance: ID!) { checkInClassroomChild(attendanceId: $attendance) { id } }",
    ),
    "checkOutClassroomChild": (
        "tutor",
        "mutation($attendance: ID!, $adult: ID!) { checkOutClassroomChild(input: {attendanceId: $attendance, adultId: $adult}) { pickedUp } }",
    ),
    "closeClassroomAlert": (
        "staff",
        'mutation($alert: ID!) { closeClassroomAlert(alertId: $alert, version: 1, note: "已处理") { id } }',
    ),
    "planClassroomLecture": (
        "admin",
        'mutation($compound: ID!) { planClassroomLecture(input: {placeId: $compound, kind: ACTIVITY, program: LITTLE_HANDS, title: "t", venueKind: COMMUNITY, venue: "v", startsAt: "2030-01-01T10:00:00+08:00"}) { id } }',
    ),
    "recordClassroomLecture": (
        "admin",
        "mutation($lecture: ID!) { recordClassroomLecture(lectureId: $lecture, version: 1, students: 10) { id } }",
    ),
}
NODES = ("classroom", "tutorRow", "term", "session", "child", "attendance", "alert", "lecture")


def _variables(document: str, data: dict) -> dict:
    return {name: data[name] for name in re.findall(r"\$(\w+):", document)}


def test_every_root_field_of_the_module_is_covered_here():
    contributed = contribution()
    names = {
        f.python_name for t in (contributed.query, contributed.mutation)
        for f in get_object_definition(t, strict=True).fields
    }  # fmt: skip
    camel = {re.sub(r"_(\w)", lambda m: m.group(1).upper(), n) for n in names}
    assert camel == set(QUERIES) | set(MUTATIONS)


async def test_every_field_answers_module_disabled_where_the_module_is_off(api):
    client = await api()
    data = await xingshan_data(client)
    data["admin"] = await client.signed_in("city_admin")
    for name, (actor, document) in QUERIES.items():  # lists leave the place out
        body = await data[actor].post(document, _variables(document, data))
        assert not body.get("errors"), (name, body)
        assert (body["data"][name]["totalCount"], body["data"][name]["edges"]) == (0, []), name
    rows_before = [await m.all().count() for m in (Classroom, Child, Attendance, PickupAlert)]
    for name, (actor, document) in MUTATIONS.items():
        body = await data[actor].post(document, _variables(document, data))
        assert codes(body) == ["MODULE_DISABLED"], (name, body)
        assert body["errors"][0]["extensions"]["module"] == "four_thirty_classroom", name
    assert rows_before == [
        await m.all().count() for m in (Classroom, Child, Attendance, PickupAlert)
    ], "nothing was written"
    key = int(GlobalID.from_id(data["attendance"]).node_id)
    assert await Attendance.filter(id=key, checked_out_at=None).exists(), "still in care"

    for kind in NODES:  # to viewers who may see each object where the module is on
        viewer = data["parent"] if kind in ("child", "attendance") else data["staff"]
        if kind in ("tutorRow", "lecture", "term", "classroom", "session"):
            viewer = data["admin"]
        body = await viewer.post("query($id: ID!) { node(id: $id) { id } }", {"id": data[kind]})
        assert codes(body) == ["MODULE_DISABLED"], (kind, body)
    on_places = await data["admin"].post(
        """query($c: ID!) {
          district(code: "xingshan") { name classroomFigures(from: "2026-01-01", to: "2026-12-31") { sessionsHeld } }
          node(id: $c) { ... on Community { name classrooms { id } } } }""",
        {"c": data["community"]},
    )
    assert codes(on_places) == ["MODULE_DISABLED"] * 2
    assert on_places["data"]["district"] == {"name": "兴山区", "classroomFigures": None}
    assert on_places["data"]["node"]["name"], "the core fields of the community still answer"

    # Core keeps working there: a resident reports a problem in the compound.
    core = await data["parent"].data(
        'mutation($c: ID!) { reportCase(input: {title: "楼道灯坏了", category: "sanitation", compoundId: $c}) { id status } }',
        {"c": data["compound"]},
    )
    assert core["reportCase"]["status"] == "REPORTED"


async def test_switched_back_on_the_data_is_all_there(api):
    client = await api()
    data = await xingshan_data(client)
    on = await api(ON_IN_XINGSHAN)
    signed = {}
    for who in ("staff", "tutor", "parent"):
        me = await data[who].data("{ me { username } }")
        account = await Account.get(username=me["me"]["username"])
        signed[who] = on.as_token(on.runtime.tokens.issue(account.id)[0])
    child = await signed["parent"].data(
        "query($c: ID!) { node(id: $c) { ... on ClassroomChild { name } } }", {"c": data["child"]}
    )
    assert child["node"] == {"name": "兴山小朋友"}
    alerts = await signed["staff"].data("{ classroomAlerts(open: true) { totalCount } }")
    assert alerts["classroomAlerts"]["totalCount"] == 1
    out = await signed["tutor"].data(
        "mutation($a: ID!, $adult: ID!) { checkOutClassroomChild(input: {attendanceId: $a, adultId: $adult}) { pickedUp attendance { pickedUpByName } } }",
        {"a": data["attendance"], "adult": data["adult"]},
    )
    assert out["checkOutClassroomChild"] == {
        "pickedUp": True, "attendance": {"pickedUpByName": "兴山家长"},
    }  # fmt: skip
