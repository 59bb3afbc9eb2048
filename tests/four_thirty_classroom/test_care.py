"""A child's care, rule by rule: who registers a child, enrolment and its cut-off, waitlists,
the check-in window, and which adults may pick the child up as the list changes."""

from __future__ import annotations

from datetime import date, timedelta

from core.regions.models import Compound, District
from tests.four_thirty_classroom.support import (
    CANCEL,
    CHECK_IN,
    CHECK_OUT,
    ENROL,
    MONDAY,
    REGISTER_CHILD,
    UPDATE_CHILD,
    classroom_scene,
    guardian,
    local,
    person_with_login,
    register_child,
)
from tests.support.api import codes

WEDNESDAY = MONDAY + timedelta(days=2)


def _session(s, day: date) -> dict:
    return next(x for x in s.sessions if x["day"] == day.isoformat())


async def test_who_registers_a_child(api, clock):
    s = await classroom_scene(api, clock)
    nanshan = await District.get(code="nanshan")
    elsewhere = await Compound.filter(district_id=nanshan.id).first()
    outsider, _ = await person_with_login(s.client, "外区家长", elsewhere)
    child = {"classroomId": s.classroom["id"], "name": "李小华", "school": "鹤岗市第十二小学",
             "grade": 3}  # fmt: skip
    body = await outsider.post(REGISTER_CHILD, {"i": child})
    assert (
        codes(body) == ["BAD_USER_INPUT"]
        and "district they live in" in body["errors"][0]["message"]
    )
    parent = await guardian(s)
    for wrong, argument in (
        ({"grade": 7}, "grade"),
        ({"name": ""}, "name"),
        ({"pickupAdults": [{"name": f"亲戚{i}", "relation": "RELATIVE"} for i in range(6)]},
         "pickupAdults"),
        ({"pickupAdults": [{"name": "张丽", "relation": "GUARDIAN"}]}, "pickupAdults"),
        ({"pickupAdults": [{"name": "王秀兰", "relation": "GRANDPARENT", "phone": "abc"}]},
         "pickupAdults"),
    ):  # fmt: skip
        refused = await parent.post(REGISTER_CHILD, {"i": {**child, **wrong}})
        assert codes(refused) == ["BAD_USER_INPUT"], wrong
        assert refused["errors"][0]["extensions"]["argument"] == argument, wrong
    made = (await parent.data(REGISTER_CHILD, {"i": child}))["registerClassroomChild"]
    assert made["isYours"] is True and made["grade"] == 3
    assert codes(await parent.post(REGISTER_CHILD, {"i": child})) == ["CONFLICT"]
    # Staff see the child but only the guardian changes the registration.
    change = {"i": {"childId": made["id"], "version": made["version"], "grade": 4}}
    assert codes(await s.staff.post(UPDATE_CHILD, change)) == ["FORBIDDEN"]
    assert (await parent.data(UPDATE_CHILD, change))["updateClassroomChild"]["version"] == 2


async def test_enrolment_waitlist_and_cut_off(api, clock):
    s = await classroom_scene(api, clock, capacity=1)
    first, second = await guardian(s), await guardian(s, "陈静")
    one = await register_child(s, first)
    two = await register_child(s, second, "陈小红")
    wednesday = _session(s, WEDNESDAY)
    taken = (await first.data(ENROL, {"s": wednesday["id"], "c": one["id"]}))["enrolClassroomChild"]
    queued = (await second.data(ENROL, {"s": wednesday["id"], "c": two["id"]}))[
        "enrolClassroomChild"
    ]
    assert (taken["status"], queued["status"]) == ("CONFIRMED", "WAITLISTED")
    # Only the guardian (or the classroom's staff) enrols a child; others do not see them.
    assert codes(await second.post(ENROL, {"s": wednesday["id"], "c": one["id"]})) == ["NOT_FOUND"]
    assert codes(await s.tutor.post(ENROL, {"s": _session(s, MONDAY)["id"], "c": one["id"]})) == [
        "FORBIDDEN"
    ]
    staff_made = await s.staff.data(ENROL, {"s": _session(s, MONDAY)["id"], "c": one["id"]})
    assert staff_made["enrolClassroomChild"]["status"] == "CONFIRMED"

    clock.set(local(WEDNESDAY, 15, 40))  # after the default cut-off, 60 minutes before 16:30
    late = await first.post(CANCEL, {"a": taken["id"]})
    assert codes(late) == ["BAD_USER_INPUT"] and "closedAt" in late["errors"][0]["extensions"]
    cancelled = (await s.staff.data(CANCEL, {"a": taken["id"]}))["cancelClassroomAttendance"]
    assert cancelled["status"] == "CANCELLED"
    promoted = await second.data(
        "query($a: ID!) { node(id: $a) { ... on ClassroomAttendance { status } } }",
        {"a": queued["id"]},
    )
    assert promoted["node"]["status"] == "CONFIRMED", "the freed seat went to the waitlist"
    assert codes(await first.post(ENROL, {"s": wednesday["id"], "c": one["id"]})) == [
        "BAD_USER_INPUT"
    ], "enrolment closed with the cut-off"


async def test_check_in_window_and_who_may_pick_up(api, clock):
    s = await classroom_scene(api, clock)
    parent = await guardian(s)
    sibling_parent = await guardian(s, "陈静")
    child = await register_child(
        s, parent, pickupAdults=[{"name": "王秀兰", "relation": "GRANDPARENT"},
                                 {"name": "张伟", "relation": "PARENT", "phone": "13600000000"}],
    )  # fmt: skip
    other = await register_child(
        s, sibling_parent, "陈小红", pickupAdults=[{"name": "陈爷爷", "relation": "GRANDPARENT"}]
    )
    wednesday = _session(s, WEDNESDAY)
    enrolled = (await parent.data(ENROL, {"s": wednesday["id"], "c": child["id"]}))[
        "enrolClassroomChild"
    ]

    clock.set(local(WEDNESDAY, 15, 0))
    early = await s.tutor.post(CHECK_IN, {"a": enrolled["id"]})
    assert codes(early) == ["BAD_USER_INPUT"] and "startsAt" in early["errors"][0]["extensions"]
    out_first = await s.tutor.post(
        CHECK_OUT, {"i": {"attendanceId": enrolled["id"], "name": "王秀兰"}}
    )
    assert codes(out_first) == ["BAD_USER_INPUT"], "not checked in yet"
    clock.set(local(WEDNESDAY, 16, 31))
    await s.tutor.data(CHECK_IN, {"a": enrolled["id"]})
    assert codes(await s.tutor.post(CHECK_IN, {"a": enrolled["id"]})) == ["BAD_USER_INPUT"]

    # The guardian takes 王秀兰 off the list: she may no longer pick the child up.
    current = await parent.data(
        "query($c: ID!) { node(id: $c) { ... on ClassroomChild { version pickupAdults { id name } } } }",
        {"c": child["id"]},
    )
    granny = next(a for a in current["node"]["pickupAdults"] if a["name"] == "王秀兰")
    changed = (
        await parent.data(
            UPDATE_CHILD,
            {
                "i": {
                    "childId": child["id"],
                    "version": current["node"]["version"],
                    "pickupAdults": [
                        {"name": "张伟", "relation": "PARENT", "phone": "13600000000"}
                    ],
                }
            },
        )
    )["updateClassroomChild"]
    assert [a["name"] for a in changed["pickupAdults"]] == ["张丽", "张伟"]
    kept = next(a for a in changed["pickupAdults"] if a["name"] == "张伟")
    assert kept["id"] in [a["id"] for a in current["node"]["pickupAdults"]], "unchanged, kept"

    refusals = []
    for who in (
        {"adultId": granny["id"]},
        {"adultId": other["pickupAdults"][1]["id"]},
        {"name": "张伟"},
        {"name": "张伟", "phone": "13900000000"},
    ):
        body = await s.tutor.post(CHECK_OUT, {"i": {"attendanceId": enrolled["id"], **who}})
        assert codes(body) == ["FORBIDDEN"], who
        refusals.append(body["data"]["checkOutClassroomChild"]["alert"]["reason"])
    assert refusals == ["REMOVED", "ANOTHER_CHILDS_ADULT", "PHONE_MISMATCH", "PHONE_MISMATCH"]
    # The other child's guardian sees none of these alerts; this child's guardian all of them.
    listed = "{ classroomAlerts { totalCount } }"
    assert (await sibling_parent.data(listed))["classroomAlerts"]["totalCount"] == 0
    assert (await parent.data(listed))["classroomAlerts"]["totalCount"] == 4

    both = await s.tutor.post(
        CHECK_OUT, {"i": {"attendanceId": enrolled["id"], "name": "张伟", "adultId": kept["id"]}}
    )
    assert codes(both) == ["BAD_USER_INPUT"]
    done = await s.staff.data(
        CHECK_OUT,
        {"i": {"attendanceId": enrolled["id"], "name": "张伟", "phone": "13600000000"}},
    )
    assert done["checkOutClassroomChild"]["attendance"]["pickedUpByName"] == "张伟"
    again = await s.tutor.post(CHECK_OUT, {"i": {"attendanceId": enrolled["id"], "name": "张丽"}})
    assert codes(again) == ["BAD_USER_INPUT"] and "checkedOutAt" in again["errors"][0]["extensions"]
