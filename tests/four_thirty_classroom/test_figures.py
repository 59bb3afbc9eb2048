"""Figures of a place and period — sessions held, children served, attendance rate, tutor hours,
lectures and activities held with their beneficiaries, pick-ups refused — and the lectures and
activities themselves (精品党课进校园, 护航成长, 小手拉大手)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.access.probes import gid
from tests.four_thirty_classroom.support import (
    CHECK_IN,
    CHECK_OUT,
    CLOSE_SESSION,
    ENROL,
    PLAN,
    SESSIONS,
    TERM,
    classroom_scene,
    guardian,
    local,
    register_child,
)
from tests.support.api import codes

SPRING = date(2027, 3, 1)  # a Monday, far from the other tests' sessions
FIGURES = """query($c: ID!) { node(id: $c) { ... on Community { classroomFigures(from: "2027-03-01", to: "2027-04-01") {
  sessionsHeld childrenServed attendanceRate tutorHours lecturesHeld activitiesHeld lectureBeneficiaries pickupsRefused } } } }"""
LECTURE = """mutation($i: PlanClassroomLectureInput!) { planClassroomLecture(input: $i) { id version status beneficiaries } }"""
RECORD = """mutation($l: ID!, $v: Int!, $held: Boolean! = true, $s: Int! = 0, $f: Int! = 0) {
  recordClassroomLecture(lectureId: $l, version: $v, held: $held, students: $s, families: $f) {
  id version status students families beneficiaries } }"""


async def test_the_figures_of_a_month(api, clock):
    s = await classroom_scene(api, clock)
    clock.set(local(SPRING - timedelta(days=7), 10))
    spring = (
        await s.staff.data(
            TERM,
            {
                "i": {
                    "classroomId": s.classroom["id"],
                    "name": "2027年春季学期",
                    "startsOn": SPRING.isoformat(),
                    "endsOn": "2027-03-02",
                    "sessionStart": "16:30",
                    "sessionEnd": "18:00",
                }
            },
        )
    )["scheduleClassroomTerm"]
    assert spring["sessionsCreated"] == 2
    monday, tuesday = (
        await s.staff.data(
            SESSIONS, {"c": s.classroom["id"], "from": SPRING.isoformat(), "days": 2}
        )
    )["node"]["sessions"]
    for session in (monday, tuesday):
        await s.staff.data(
            PLAN, {"i": {"sessionId": session["id"], "version": session["version"],
                         "tutorIds": [s.tutor_id]}},
        )  # fmt: skip
    first, second = await guardian(s), await guardian(s, "陈静")
    one = await register_child(s, first)
    two = await register_child(s, second, "陈小红")
    enrolled = {}
    for parent, child in ((first, one), (second, two)):
        for session in (monday, tuesday):
            made = await parent.data(ENROL, {"s": session["id"], "c": child["id"]})
            enrolled[(child["id"], session["id"])] = made["enrolClassroomChild"]["id"]

    async def attend(session: dict, child: dict, day: date, picker: str,
                     stranger: str | None = None) -> None:  # fmt: skip
        attendance = enrolled[(child["id"], session["id"])]
        clock.set(local(day, 16, 40))
        await s.tutor.data(CHECK_IN, {"a": attendance})
        clock.set(local(day, 17, 55))
        if stranger is not None:
            refused = await s.tutor.post(
                CHECK_OUT, {"i": {"attendanceId": attendance, "name": stranger}}
            )
            assert codes(refused) == ["FORBIDDEN"]
        await s.tutor.data(CHECK_OUT, {"i": {"attendanceId": attendance, "name": picker}})

    await attend(monday, one, SPRING, "张丽")
    clock.set(local(SPRING, 18, 5))
    closed = (await s.staff.data(CLOSE_SESSION, {"s": monday["id"]}))["closeClassroomSession"]
    assert closed["noShows"] == 1, "陈小红 did not come on Monday"
    await attend(tuesday, one, SPRING + timedelta(days=1), "张丽")
    await attend(tuesday, two, SPRING + timedelta(days=1), "陈静", stranger="陌生人")
    clock.set(local(SPRING + timedelta(days=1), 18, 5))
    await s.tutor.data(CLOSE_SESSION, {"s": tuesday["id"]})

    community = gid("Community", s.community.id)
    place = {"placeId": community, "venueKind": "SCHOOL", "venue": "鹤岗市第十二小学"}
    lectures = []
    for kind, program, title in (
        ("LECTURE", "PARTY_CLASS", "精品党课进校园：红色家书"),
        ("ACTIVITY", "SAFE_GROWTH", "护航成长：防溺水"),
        ("ACTIVITY", "LITTLE_HANDS", "小手拉大手：垃圾分类"),
    ):
        planned = await s.worker.data(
            LECTURE, {"i": {**place, "kind": kind, "program": program, "title": title,
                            "startsAt": "2027-03-10T14:00:00+08:00"}},
        )  # fmt: skip
        lectures.append(planned["planClassroomLecture"])
    assert lectures[0]["status"] == "PLANNED"
    early = await s.worker.post(RECORD, {"l": lectures[0]["id"], "v": 1, "s": 120, "f": 40})
    assert codes(early) == ["BAD_USER_INPUT"], "not held before it starts"
    assert codes(await s.staff.post(RECORD, {"l": lectures[0]["id"], "v": 1})) == ["FORBIDDEN"]
    clock.set(local(date(2027, 3, 10), 16))
    held = (await s.worker.data(RECORD, {"l": lectures[0]["id"], "v": 1, "s": 120, "f": 40}))[
        "recordClassroomLecture"
    ]
    assert (held["status"], held["beneficiaries"]) == ("HELD", 160)
    await s.admin.data(RECORD, {"l": lectures[1]["id"], "v": 1, "s": 60, "f": 30})
    await s.worker.data(RECORD, {"l": lectures[2]["id"], "v": 1, "held": False})

    figures = (await s.client.signed_in("resident_xinhong")).data
    found = (await figures(FIGURES, {"c": community}))["node"]["classroomFigures"]
    assert found == {
        "sessionsHeld": 2,
        "childrenServed": 2,
        "attendanceRate": 0.75,  # 3 of the 4 seats confirmed were taken
        "tutorHours": 3.0,  # two sessions of 1.5 hours with one tutor each
        "lecturesHeld": 1,
        "activitiesHeld": 1,
        "lectureBeneficiaries": 250,
        "pickupsRefused": 1,
    }

    # The same figures on the core dashboards, where the module is on.
    dashboard = await (await s.client.signed_in("city_admin")).data(
        """query($c: ID!) { node(id: $c) { ... on Community { stats(period: "2027-03") { key value module } } } }""",
        {"c": community},
    )
    mine = {
        x["key"]: x["value"]
        for x in dashboard["node"]["stats"]
        if x["module"] == "four_thirty_classroom"
    }
    assert mine == {
        "four_thirty_classroom.sessions_held": 2,
        "four_thirty_classroom.children_served": 2,
        "four_thirty_classroom.attendance_rate": 0.75,
        "four_thirty_classroom.tutor_hours": 3.0,
        "four_thirty_classroom.lectures_held": 1,
        "four_thirty_classroom.activities_held": 1,
        "four_thirty_classroom.lecture_beneficiaries": 250,
    }
    off = await (await s.client.signed_in("city_admin")).data(
        '{ district(code: "xingshan") { stats(period: "2027-03") { key } } }'
    )
    assert not [x for x in off["district"]["stats"] if x["key"].startswith("four_thirty")]

    listed = await s.client.post(
        'query($p: ID!) { classroomLectures(placeId: $p, program: SAFE_GROWTH, from: "2027-03-01", to: "2027-04-01") { totalCount edges { node { title status students families beneficiaries } } } }',
        {"p": community},
    )
    assert listed["data"]["classroomLectures"] == {
        "totalCount": 1,
        "edges": [{"node": {"title": "护航成长：防溺水", "status": "HELD", "students": 60,
                            "families": 30, "beneficiaries": 90}}],
    }  # fmt: skip
    bad = await s.client.post(
        'query($c: ID!) { node(id: $c) { ... on Community { classroomFigures(from: "2027-03-01", to: "2029-01-01") { sessionsHeld } } } }',
        {"c": community},
    )
    assert codes(bad) == ["BAD_USER_INPUT"]
