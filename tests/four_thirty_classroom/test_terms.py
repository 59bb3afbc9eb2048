"""Terms: sessions generated from a weekly pattern between the term's dates, minus its holidays
and the district's public holidays, at the district's times in city time; sessions planned,
cancelled (with their enrolments) and closed."""

from __future__ import annotations

from datetime import date, timedelta

from tests.four_thirty_classroom.support import (
    CLOSE_SESSION,
    ENROL,
    MONDAY,
    SESSIONS,
    TERM,
    classroom_scene,
    guardian,
    local,
    register_child,
    same_person,
)
from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

WITH_SETTINGS = TEST_CONFIG.replace(
    'booking_cutoff = "09:30"',
    'booking_cutoff = "09:30"\n[districts.gongnong.settings.four_thirty_classroom]\n'
    'public_holidays = ["2026-12-09"]\nsession_start = "16:00"\nsession_end = "18:00"\n'
    "waitlist = false",
)


async def _term(s, **fields) -> dict:
    return await s.staff.post(
        TERM, {"i": {"classroomId": s.classroom["id"], "name": "冬季学期", **fields}}
    )


async def test_sessions_follow_the_pattern_minus_holidays_in_city_time(api, clock):
    s = await classroom_scene(api, clock)
    body = await _term(
        s, startsOn="2026-11-30", endsOn="2026-12-13", weekdays=[1, 3, 5],
        holidays=[{"from": "2026-12-02", "to": "2026-12-04", "name": "校庆"}],
        sessionStart="16:30", sessionEnd="18:00", topic="阅读",
    )  # fmt: skip
    made = body["data"]["scheduleClassroomTerm"]
    assert made["sessionsCreated"] == 4 and made["skippedDays"] == []
    assert made["term"]["holidays"] == [{"from": "2026-12-02", "to": "2026-12-04", "name": "校庆"}]
    sessions = (
        await s.staff.data(SESSIONS, {"c": s.classroom["id"], "from": "2026-11-30", "days": 14})
    )["node"]["sessions"]
    assert [x["day"] for x in sessions] == ["2026-11-30", "2026-12-07", "2026-12-09", "2026-12-11"]
    first = sessions[0]
    assert first["startsAt"].startswith("2026-11-30T08:30:00")  # 16:30 in Hegang
    assert first["endsAt"].startswith("2026-11-30T10:00:00")
    assert (first["topic"], first["status"], first["seats"], first["seatsFree"]) == (
        "阅读", "SCHEDULED", 30, 30,
    )  # fmt: skip

    overlapping = (await _term(s, startsOn="2026-12-07", endsOn="2026-12-11"))["data"]
    made = overlapping["scheduleClassroomTerm"]
    assert made["skippedDays"] == ["2026-12-07", "2026-12-09", "2026-12-11"]
    assert made["sessionsCreated"] == 2  # Tuesday and Thursday


async def test_a_term_is_checked(api, clock):
    s = await classroom_scene(api, clock)
    for fields, argument in (
        ({"startsOn": "2026-12-10", "endsOn": "2026-12-01"}, "endsOn"),
        ({"startsOn": "2026-01-05", "endsOn": "2026-01-30"}, "endsOn"),
        ({"startsOn": "2026-12-05", "endsOn": "2026-12-06"}, "startsOn"),  # a weekend
        ({"startsOn": "2026-12-01", "endsOn": "2026-12-31", "weekdays": [0]}, "weekdays"),
        ({"startsOn": "2026-12-01", "endsOn": "2027-12-31"}, "endsOn"),
        ({"startsOn": "2026-12-01", "endsOn": "2026-12-31", "sessionStart": "4:30pm"},
         "sessionStart"),
        ({"startsOn": "2026-12-01", "endsOn": "2026-12-31", "sessionStart": "18:00",
          "sessionEnd": "17:00"}, "sessionEnd"),
    ):  # fmt: skip
        body = await _term(s, **fields)
        assert codes(body) == ["BAD_USER_INPUT"], (fields, body)
        assert body["errors"][0]["extensions"]["argument"] == argument, fields
    tutor = await s.tutor.post(
        TERM, {"i": {"classroomId": s.classroom["id"], "name": "x", "startsOn": "2026-12-01",
                     "endsOn": "2026-12-31"}},
    )  # fmt: skip
    assert codes(tutor) == ["FORBIDDEN"], "tutors do not schedule terms"


async def test_the_districts_settings_shape_the_term(api, clock):
    s = await classroom_scene(api, clock, capacity=1)
    configured = await api(WITH_SETTINGS)
    staff = await same_person(configured, s.staff)
    made = (
        await staff.data(
            TERM,
            {
                "i": {
                    "classroomId": s.classroom["id"],
                    "name": "冬季学期",
                    "startsOn": "2026-12-07",
                    "endsOn": "2026-12-11",
                }
            },
        )
    )["scheduleClassroomTerm"]
    assert made["sessionsCreated"] == 4, "the public holiday on Wednesday is off"
    assert (made["term"]["sessionStart"], made["term"]["sessionEnd"]) == ("16:00", "18:00")
    sessions = (
        await staff.data(SESSIONS, {"c": s.classroom["id"], "from": "2026-12-07", "days": 5})
    )["node"]["sessions"]
    assert [x["day"][-2:] for x in sessions] == ["07", "08", "10", "11"]

    # Without a waitlist in the district, a full session refuses further enrolments.
    first, second = await guardian(s), await guardian(s, "陈静")
    one = await register_child(s, first)
    two = await register_child(s, second, "陈小红")
    session = sessions[0]["id"]
    parents = (await same_person(configured, first), await same_person(configured, second))
    assert (await parents[0].data(ENROL, {"s": session, "c": one["id"]}))["enrolClassroomChild"][
        "status"
    ] == "CONFIRMED"
    full = await parents[1].post(ENROL, {"s": session, "c": two["id"]})
    assert codes(full) == ["CONFLICT"] and "full" in full["errors"][0]["message"]


async def test_cancelling_and_closing_sessions(api, clock):
    s = await classroom_scene(api, clock, capacity=1)
    parent, other = await guardian(s), await guardian(s, "陈静")
    child = await register_child(s, parent)
    waiting = await register_child(s, other, "陈小红")
    wednesday = next(x for x in s.sessions if x["day"] == (MONDAY + timedelta(days=2)).isoformat())
    mine = (await parent.data(ENROL, {"s": wednesday["id"], "c": child["id"]}))[
        "enrolClassroomChild"
    ]
    queued = (await other.data(ENROL, {"s": wednesday["id"], "c": waiting["id"]}))[
        "enrolClassroomChild"
    ]
    assert (mine["status"], queued["status"]) == ("CONFIRMED", "WAITLISTED")

    cancel = """mutation($s: ID!, $v: Int!) { cancelClassroomSession(sessionId: $s, version: $v, note: "暴雪停课") {
      enrolmentsCancelled session { status note seatsFree waitlisted } } }"""
    assert codes(await s.tutor.post(cancel, {"s": wednesday["id"], "v": 1})) == ["FORBIDDEN"]
    done = (await s.staff.data(cancel, {"s": wednesday["id"], "v": 1}))["cancelClassroomSession"]
    assert done["enrolmentsCancelled"] == 2
    assert done["session"] == {"status": "CANCELLED", "note": "暴雪停课", "seatsFree": 0,
                               "waitlisted": 0}  # fmt: skip
    statuses = await parent.data(
        "query($a: ID!) { node(id: $a) { ... on ClassroomAttendance { status } } }",
        {"a": mine["id"]},
    )
    assert statuses["node"]["status"] == "CANCELLED"
    assert codes(await parent.post(ENROL, {"s": wednesday["id"], "c": child["id"]})) == [
        "BAD_USER_INPUT"
    ]

    thursday = next(x for x in s.sessions if x["day"] == "2026-11-19")
    enrolled = (await parent.data(ENROL, {"s": thursday["id"], "c": child["id"]}))[
        "enrolClassroomChild"
    ]
    clock.set(local(date(2026, 11, 19), 16, 40))
    await s.tutor.data(
        "mutation($a: ID!) { checkInClassroomChild(attendanceId: $a) { id } }",
        {"a": enrolled["id"]},
    )
    early = await s.staff.post(CLOSE_SESSION, {"s": thursday["id"]})
    assert codes(early) == ["BAD_USER_INPUT"] and "endsAt" in early["errors"][0]["extensions"]
    clock.set(local(date(2026, 11, 19), 18, 45))
    in_care = await s.staff.post(CLOSE_SESSION, {"s": thursday["id"]})
    assert codes(in_care) == ["BAD_USER_INPUT"]
    assert in_care["errors"][0]["extensions"]["stillInCare"] == 1
