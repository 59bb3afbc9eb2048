"""The issue's Done-when, through GraphQL: a guardian enrols a child, the child checks in,
pick-up by an unauthorised adult is refused and raises an alert, pick-up by the authorised
grandparent succeeds and is recorded; a tutor without a passed background check cannot be
scheduled; a grid worker and another guardian cannot see the child at all (like a missing id);
every staff read of the child's data is recorded; 200 simultaneous enrolments for 50 seats
confirm 50. (Switched off in a district: test_switched_off.py.)"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

from strawberry.relay import GlobalID

from core.access.models import Account, PersonalDataRead
from core.booking.models import Slot
from core.people.models import Person
from plugins.four_thirty_classroom.children import CHILD_PERSON_NAME
from plugins.four_thirty_classroom.models import Child, PickupAdult
from tests.access.probes import gid
from tests.four_thirty_classroom.support import (
    ALERTS,
    CHECK,
    CHECK_IN,
    CHECK_OUT,
    CHILD,
    CLOSE_ALERT,
    CLOSE_SESSION,
    ENROL,
    MONDAY,
    PLAN,
    REGISTER_TUTOR,
    SESSIONS,
    SET_TUTORS,
    classroom_scene,
    grant_at,
    guardian,
    local,
    person_with_login,
    register_child,
)
from tests.support.api import codes

_unique = itertools.count()
TUESDAY = MONDAY + timedelta(days=1)
GRANNY = {"name": "王秀兰", "relation": "GRANDPARENT", "phone": "13904681234"}


async def test_enrolled_checked_in_refused_to_a_stranger_and_picked_up_by_grandma(api, clock):
    s = await classroom_scene(api, clock)
    parent = await guardian(s)
    child = await register_child(s, parent, pickupAdults=[GRANNY], notes="花生过敏")
    assert [(a["name"], a["relation"]) for a in child["pickupAdults"]] == [
        ("张丽", "GUARDIAN"), ("王秀兰", "GRANDPARENT"),
    ]  # fmt: skip
    tuesday = next(x for x in s.sessions if x["day"] == TUESDAY.isoformat())

    enrolled = (await parent.data(ENROL, {"s": tuesday["id"], "c": child["id"]}))[
        "enrolClassroomChild"
    ]
    assert enrolled["status"] == "CONFIRMED"
    again = await parent.post(ENROL, {"s": tuesday["id"], "c": child["id"]})
    assert codes(again) == ["CONFLICT"]

    clock.set(local(TUESDAY, 16, 35))
    arrived = (await s.tutor.data(CHECK_IN, {"a": enrolled["id"]}))["checkInClassroomChild"]
    assert arrived["status"] == "CHECKED_IN" and arrived["inCare"] is True
    assert codes(await parent.post(CHECK_IN, {"a": enrolled["id"]})) == ["FORBIDDEN"]

    clock.set(local(TUESDAY, 18, 20))
    stranger = {"attendanceId": enrolled["id"], "name": "李四", "phone": "13800000000",
                "relation": "RELATIVE"}  # fmt: skip
    refused = await s.tutor.post(CHECK_OUT, {"i": stranger})
    assert codes(refused) == ["FORBIDDEN"]
    error = refused["errors"][0]
    assert error["path"] == ["checkOutClassroomChild", "attendance"]
    assert "not on the list of adults authorised" in error["message"]
    outcome = refused["data"]["checkOutClassroomChild"]
    assert outcome["pickedUp"] is False and outcome["attendance"] is None
    alert = outcome["alert"]
    assert error["extensions"]["alertId"] == alert["id"]
    assert (alert["adultName"], alert["reason"], alert["claimedRelation"]) == (
        "李四", "NOT_LISTED", "RELATIVE",
    )  # fmt: skip
    assert alert["raisedBy"] == "刘同学" and alert["child"] == {"name": "张小明"}

    # Someone who knows grandma's name but not her phone is refused too.
    impostor = await s.staff.post(
        CHECK_OUT, {"i": {"attendanceId": enrolled["id"], "name": "王秀兰", "phone": "139"}}
    )
    assert codes(impostor) == ["FORBIDDEN"]
    assert impostor["data"]["checkOutClassroomChild"]["alert"]["reason"] == "PHONE_MISMATCH"

    # The alerts are the classroom staff's to act on, and the guardian sees them too.
    for viewer in (s.staff, s.tutor, parent):
        listed = (await viewer.data(ALERTS, {"c": s.classroom["id"], "open": True}))[
            "classroomAlerts"
        ]
        assert listed["totalCount"] == 2, viewer
    assert (await s.worker.data(ALERTS, {"c": s.classroom["id"]}))["classroomAlerts"][
        "totalCount"
    ] == 0
    roll = await s.tutor.data(
        "query($s: ID!) { classroomAttendances(sessionId: $s, inCare: true) { totalCount } }",
        {"s": tuesday["id"]},
    )
    assert roll["classroomAttendances"]["totalCount"] == 1, "the child stays in care"

    granny = next(a for a in child["pickupAdults"] if a["relation"] == "GRANDPARENT")
    picked = await s.tutor.data(
        CHECK_OUT, {"i": {"attendanceId": enrolled["id"], "adultId": granny["id"]}}
    )
    done = picked["checkOutClassroomChild"]
    assert done["pickedUp"] is True and done["alert"] is None
    assert done["attendance"]["pickedUpByName"] == "王秀兰"
    assert done["attendance"]["pickedUpByRelation"] == "GRANDPARENT"
    assert done["attendance"]["checkedOutAt"].startswith("2026-11-17T10:20")
    assert done["attendance"]["inCare"] is False
    seen = await parent.data(
        "query($a: ID!) { node(id: $a) { ... on ClassroomAttendance { pickedUpByName checkedOutAt } } }",
        {"a": enrolled["id"]},
    )
    assert seen["node"]["pickedUpByName"] == "王秀兰"

    # Alerts are closed by the staff (not by tutors or the guardian) with what was done.
    first = (await s.staff.data(ALERTS, {"c": s.classroom["id"], "open": True}))["classroomAlerts"][
        "edges"
    ][-1]["node"]
    note = {"a": first["id"], "v": first["version"], "n": "已电话联系家长，确认李四非接送人"}
    assert codes(await s.tutor.post(CLOSE_ALERT, note)) == ["FORBIDDEN"]
    assert codes(await parent.post(CLOSE_ALERT, note)) == ["FORBIDDEN"]
    closed = (await s.staff.data(CLOSE_ALERT, note))["closeClassroomAlert"]
    assert closed["closedAt"] and closed["note"].startswith("已电话联系")

    clock.set(local(TUESDAY, 18, 35))
    held = (await s.tutor.data(CLOSE_SESSION, {"s": tuesday["id"]}))["closeClassroomSession"]
    assert held == {"noShows": 0, "session": {"status": "HELD"}}


async def test_a_tutor_without_a_passed_background_check_cannot_be_scheduled(api, clock):
    s = await classroom_scene(api, clock)
    volunteer, person = await person_with_login(s.client, "赵老师")
    await grant_at(person, "TUTOR", s.community)
    tutor = (
        await volunteer.data(
            REGISTER_TUTOR,
            {"i": {"communityId": gid("Community", s.community.id), "kind": "TEACHER"}},
        )
    )["registerClassroomTutor"]
    assert (tutor["checkStatus"], tutor["schedulable"], tutor["checkValidUntil"]) == (
        "PENDING", False, None,
    )  # fmt: skip

    listed = await s.worker.post(
        SET_TUTORS,
        {"c": s.classroom["id"], "v": s.classroom["version"],
         "t": [s.tutor_id, tutor["id"]]},
    )  # fmt: skip
    assert codes(listed) == ["BAD_USER_INPUT"]
    assert listed["errors"][0]["extensions"]["checkStatus"] == "PENDING"
    assert listed["errors"][0]["extensions"]["tutorId"] == tutor["id"]
    session = s.sessions[3]
    planned = await s.staff.post(
        PLAN, {"i": {"sessionId": session["id"], "version": session["version"],
                     "tutorIds": [tutor["id"]]}},
    )  # fmt: skip
    assert codes(planned) == ["BAD_USER_INPUT"]
    assert "background check is PENDING" in planned["errors"][0]["message"]

    # Who records the check: the admins of the tutor's district, never the tutor, nor the
    # community's workers (who recruit tutors).
    check = {"t": tutor["id"], "v": tutor["version"], "s": "PASSED"}
    assert codes(await volunteer.post(CHECK, check)) == ["FORBIDDEN"]
    assert codes(await s.worker.post(CHECK, check)) == ["FORBIDDEN"]
    nanshan = await s.client.signed_in("nanshan_admin")
    assert codes(await nanshan.post(CHECK, check)) == ["NOT_FOUND"]
    passed = (await s.admin.data(CHECK, check))["setClassroomTutorCheck"]
    assert passed["schedulable"] is True
    assert passed["checkValidUntil"].startswith("2027-11-16")

    planned = (
        await s.staff.data(
            PLAN,
            {
                "i": {
                    "sessionId": session["id"],
                    "version": session["version"],
                    "tutorIds": [s.tutor_id],
                }
            },
        )
    )["planClassroomSession"]
    assert [t["name"] for t in planned["tutors"]] == ["刘同学"]
    refused = await s.staff.post(
        PLAN, {"i": {"sessionId": session["id"], "version": planned["version"],
                     "tutorIds": [s.tutor_id, tutor["id"]]}},
    )  # fmt: skip
    assert codes(refused) == ["BAD_USER_INPUT"], "passed, but not on the classroom's list yet"
    classroom = (
        await s.worker.data(
            SET_TUTORS,
            {"c": s.classroom["id"], "v": s.classroom["version"], "t": [s.tutor_id, tutor["id"]]},
        )
    )["setClassroomTutors"]
    assert sorted(t["name"] for t in classroom["tutors"]) == ["刘同学", "赵老师"]
    planned = (
        await s.staff.data(
            PLAN,
            {
                "i": {
                    "sessionId": session["id"],
                    "version": planned["version"],
                    "tutorIds": [s.tutor_id, tutor["id"]],
                    "topic": "安全教育",
                }
            },
        )
    )["planClassroomSession"]
    assert planned["topic"] == "安全教育" and len(planned["tutors"]) == 2

    # A check that fails later takes the tutor off the list and off sessions to come.
    failed = (
        await s.admin.data(
            CHECK, {"t": tutor["id"], "v": passed["version"], "s": "FAILED", "n": "复核未通过"}
        )
    )["setClassroomTutorCheck"]
    assert failed["schedulable"] is False
    after = (await s.staff.data(SESSIONS, {"c": s.classroom["id"], "from": MONDAY.isoformat()}))[
        "node"
    ]["sessions"]
    assert [t["name"] for t in next(x for x in after if x["id"] == session["id"])["tutors"]] == [
        "刘同学"
    ]


async def test_a_grid_worker_and_another_guardian_cannot_see_the_child_at_all(api, clock):
    s = await classroom_scene(api, clock)
    parent = await guardian(s)
    child = await register_child(s, parent, pickupAdults=[GRANNY])
    missing = gid("ClassroomChild", 10**9)
    other_parent = await guardian(s, "陈静")
    await register_child(s, other_parent, "陈小红")
    viewers = {
        "grid worker": await s.client.signed_in("xinhong_grid1"),
        "another guardian": other_parent,
        "community worker": s.worker,
        "district admin": s.admin,
        "city admin": await s.client.signed_in("city_admin"),
    }
    update = """mutation($c: ID!) { updateClassroomChild(input: {childId: $c, version: 1, notes: "x"}) { id } }"""
    for who, viewer in viewers.items():
        for wanted in (child["id"], missing):
            body = await viewer.post(CHILD, {"c": wanted})
            assert body == {"data": {"node": None}}, (who, body)
        listed = await viewer.data("{ classroomChildren { edges { node { id } } } }")
        assert child["id"] not in str(listed), who
        real = await viewer.post(update, {"c": child["id"]})
        fake = await viewer.post(update, {"c": missing})
        assert real["errors"][0]["message"] == fake["errors"][0]["message"], who
        assert codes(real) == codes(fake) == ["NOT_FOUND"], who
    # The child's row in core's person table carries nothing about the child.
    row = await Child.get(id=int(GlobalID.from_id(child["id"]).node_id))
    person = await Person.get(id=row.person_id)
    assert (person.name, person.phone, person.id_number, person.home_grid_id) == (
        CHILD_PERSON_NAME, None, None, None,
    )  # fmt: skip
    assert (await parent.data(CHILD, {"c": child["id"]}))["node"]["name"] == "张小明"


async def test_every_read_of_a_childs_data_by_staff_is_recorded(api, clock):
    s = await classroom_scene(api, clock)
    parent = await guardian(s)
    child = await register_child(s, parent, pickupAdults=[GRANNY])
    person_id = (await Child.get(id=int(GlobalID.from_id(child["id"]).node_id))).person_id
    before = await PersonalDataRead.filter(person_id=person_id).count()

    for viewer in (parent, s.staff, s.tutor):
        node = (await viewer.data(CHILD, {"c": child["id"]}))["node"]
        assert (node["name"], node["school"], node["grade"]) == ("张小明", "鹤岗市第十二小学", 3)
    listed = await s.staff.data(
        "query($c: ID!) { classroomChildren(classroomId: $c) { edges { node { name } } } }",
        {"c": s.classroom["id"]},
    )
    assert listed["classroomChildren"]["edges"] == [{"node": {"name": "张小明"}}]
    reads = await PersonalDataRead.filter(person_id=person_id).order_by("id").values(
        "field", "role", "account_id"
    )  # fmt: skip
    fields = ["classroom_child_name", "classroom_child_school", "classroom_child_grade",
              "classroom_child_notes", "classroom_pickup_adults"]  # fmt: skip
    staff_account = (await Account.get(username=await _username(s.staff))).id
    tutor_account = (await Account.get(username=await _username(s.tutor))).id
    assert [(r["field"], r["role"], r["account_id"]) for r in reads[before:]] == [
        *((f, "CLASSROOM_STAFF", staff_account) for f in fields),
        *((f, "TUTOR", tutor_account) for f in fields),
        ("classroom_child_name", "CLASSROOM_STAFF", staff_account),
    ], "the guardian's own reads are not recorded; every staff and tutor read is"

    # A member whose role was revoked still sees the child exists, but none of its data.
    from core.access.models import RoleGrant

    staff_person = (await Account.get(id=staff_account)).person_id
    await RoleGrant.filter(person_id=staff_person, role="CLASSROOM_STAFF").delete()
    stale = (await s.staff.data(CHILD, {"c": child["id"]}))["node"]
    assert stale == {"id": child["id"], "name": None, "school": None, "grade": None,
                     "notes": None, "pickupAdults": None}  # fmt: skip
    assert await PersonalDataRead.filter(person_id=person_id).count() == len(reads)


async def _username(client) -> str:
    return (await client.data("{ me { username } }"))["me"]["username"]


async def test_two_hundred_simultaneous_enrolments_for_fifty_seats_confirm_fifty(api, clock):
    s = await classroom_scene(api, clock, capacity=50)
    session = s.sessions[4]
    key = int(GlobalID.from_id(s.classroom["id"]).node_id)
    n = next(_unique)
    await Person.bulk_create(
        [Person(name=f"家长{n}-{i}", home_compound_id=s.compound.id,
                home_grid_id=s.compound.grid_id, home_community_id=s.community.id,
                home_street_id=s.community.street_id, home_district_id=s.community.district_id)
         for i in range(200)]
    )  # fmt: skip
    parent_ids = await Person.filter(name__startswith=f"家长{n}-").order_by("id").values_list(
        "id", flat=True
    )  # fmt: skip
    await Person.bulk_create([Person(name=CHILD_PERSON_NAME) for _ in range(200)])
    kids = (
        await Person.filter(name=CHILD_PERSON_NAME).order_by("-id").limit(200)
        .values_list("id", flat=True)
    )  # fmt: skip
    place = {"district_id": s.community.district_id, "street_id": s.community.street_id,
             "community_id": s.community.id}  # fmt: skip
    await Child.bulk_create(
        [Child(classroom_id=key, person_id=kid, guardian_id=parent, name=f"学生{i}",
               school="鹤岗市第十二小学", grade=2, **place)
         for i, (kid, parent) in enumerate(zip(kids, parent_ids, strict=True))]
    )  # fmt: skip
    children = dict(
        await Child.filter(guardian_id__in=list(parent_ids)).values_list("guardian_id", "id")
    )
    await Account.bulk_create(
        [Account(username=f"ftc{n}_{p}", password_hash="-", person_id=p) for p in parent_ids]
    )
    accounts = dict(
        await Account.filter(person_id__in=list(parent_ids)).values_list("person_id", "id")
    )
    tokens = {p: s.client.runtime.tokens.issue(accounts[p])[0] for p in parent_ids}

    bodies = await asyncio.gather(
        *(
            s.client.as_token(tokens[p]).post(
                ENROL, {"s": session["id"], "c": gid("ClassroomChild", children[p])}
            )
            for p in parent_ids
        )
    )
    statuses = [b["data"]["enrolClassroomChild"]["status"] for b in bodies if not b.get("errors")]
    assert len(statuses) == 200, [b for b in bodies if b.get("errors")][:3]
    assert statuses.count("CONFIRMED") == 50 and statuses.count("WAITLISTED") == 150
    slot_key = (
        await s.staff.data(SESSIONS, {"c": s.classroom["id"], "from": session["day"], "days": 1})
    )["node"]["sessions"][0]
    assert (slot_key["seats"], slot_key["enrolled"], slot_key["seatsFree"],
            slot_key["waitlisted"]) == (50, 50, 0, 150)  # fmt: skip
    assert slot_key["tutorsNeeded"] == 7  # 50 children, 8 per tutor (the default)
    assert await Slot.filter(confirmed__gt=50).count() == 0
    assert await PickupAdult.filter(child_id__in=list(children.values())).count() == 0
