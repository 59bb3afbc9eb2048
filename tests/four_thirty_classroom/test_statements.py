"""No N+1: the SQL statements of a nested classroom query do not grow with its rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.booking.models import Booking, Offering, Slot
from core.db.statements import count_statements
from core.people.models import Person
from core.regions.models import Community, District
from plugins.four_thirty_classroom.children import CHILD_PERSON_NAME
from plugins.four_thirty_classroom.models import (
    Attendance,
    Child,
    Classroom,
    ClassroomMember,
    PickupAdult,
    Session,
    SessionTutor,
    Term,
    Tutor,
)
from tests.access.probes import gid
from tests.four_thirty_classroom.support import person_with_login

NESTED = """query($c: ID!) { classrooms(placeId: $c, first: 20) { totalCount edges { node {
  name staff tutors { name } community { name } terms { name holidays { from } }
  sessions(from: "2030-05-06", days: 7) { day seats seatsFree waitlisted tutorsNeeded tutors { name }
    classroom { name } } } } } }"""
ROLL = """{ classroomAttendances(first: 100) { totalCount edges { node { status inCare
  child { name school pickupAdults { name } classroom { name community { name } } }
  session { topic tutors { name } classroom { name } } } } } }"""


async def _classrooms(community: Community, count: int, member: int) -> None:
    place = {"district_id": community.district_id, "street_id": community.street_id,
             "community_id": community.id}  # fmt: skip
    starts = datetime(2030, 5, 6, 8, 30, tzinfo=UTC)
    for i in range(count):
        classroom = await Classroom.create(code=f"n1-{community.id}-{i}", name=f"课堂{i}",
                                           kind="SCHOOL", capacity=30, **place)  # fmt: skip
        await ClassroomMember.create(classroom_id=classroom.id, person_id=member, kind="STAFF")
        teacher = await Person.create(name=f"老师{i}")
        tutor = await Tutor.create(person_id=teacher.id, kind="TEACHER", registered_by_id=member,
                                   check_status="PASSED", **place)  # fmt: skip
        await ClassroomMember.create(classroom_id=classroom.id, person_id=teacher.id,
                                     kind="TUTOR")  # fmt: skip
        offering = await Offering.create(owner="four_thirty_classroom", kind="after_school",
                                         title="学期", **place)  # fmt: skip
        term = await Term.create(
            classroom_id=classroom.id, name="学期", starts_on=starts.date(),
            ends_on=starts.date(), weekdays=[1], session_start="16:30", session_end="18:30",
            topic="作业", offering_id=offering.id, created_by_id=member,
            holidays=[{"from": "2030-05-01", "to": "2030-05-05", "name": "劳动节"}], **place,
        )  # fmt: skip
        for day in range(2):
            slot = await Slot.create(offering_id=offering.id,
                                     starts_at=starts + timedelta(days=day),
                                     ends_at=starts + timedelta(days=day, hours=2),
                                     capacity=30)  # fmt: skip
            session = await Session.create(
                classroom_id=classroom.id, term_id=term.id, day=(starts + timedelta(days=day)).date(),
                starts_at=slot.starts_at, ends_at=slot.ends_at, topic="作业", slot_id=slot.id,
                offering_id=offering.id, **place,
            )  # fmt: skip
            await SessionTutor.create(session_id=session.id, tutor_id=tutor.id,
                                      person_id=teacher.id)  # fmt: skip
            for k in range(2):
                kid = await Person.create(name=CHILD_PERSON_NAME)
                child = await Child.create(classroom_id=classroom.id, person_id=kid.id,
                                           guardian_id=member, name=f"学生{k}", school="学校",
                                           grade=2, **place)  # fmt: skip
                await PickupAdult.create(child_id=child.id, name="家长", relation="GUARDIAN")
                booking = await Booking.create(slot_id=slot.id, person_id=kid.id,
                                               offering_id=offering.id, status="CONFIRMED")  # fmt: skip
                await Attendance.create(
                    session_id=session.id, child_id=child.id, booking_id=booking.id,
                    classroom_id=classroom.id, guardian_id=member, person_id=kid.id,
                    enrolled_by_id=member, **place,
                )  # fmt: skip


async def test_a_nested_classroom_query_runs_as_many_statements_for_few_or_many_rows(api):
    client = await api()
    gongnong = await District.get(code="gongnong")
    few_place, many_place = await Community.filter(district_id=gongnong.id).order_by("-id").limit(
        2
    )  # fmt: skip
    member, person = await person_with_login(client, "统计老师")
    await _classrooms(few_place, 1, person)
    await _classrooms(many_place, 4, person)
    counts = []
    for community, rows in ((few_place, 1), (many_place, 4)):
        with count_statements() as log:
            body = await member.data(NESTED, {"c": gid("Community", community.id)})
        found = body["classrooms"]
        assert found["totalCount"] == rows
        assert len([s for e in found["edges"] for s in e["node"]["sessions"]]) == 2 * rows
        counts.append(log.count)
    assert counts[0] == counts[1], counts
    # The roll of the member's classrooms: first the few, then all of them.
    with count_statements() as log:
        few = (await member.data(ROLL))["classroomAttendances"]
    assert few["totalCount"] == 4 * 5 and len(few["edges"]) == 20
    assert all(e["node"]["child"]["pickupAdults"] == [{"name": "家长"}] for e in few["edges"])
    with count_statements() as more:
        again = await member.data(ROLL.replace("first: 100", "first: 5"))
    assert len(again["classroomAttendances"]["edges"]) == 5
    assert log.count == more.count, (log.count, more.count)
