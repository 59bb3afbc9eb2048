"""Demo data: a classroom in every community where the module is on, a few lectures and
activities per district (held ones with their beneficiaries), and in 欣虹社区 a classroom that
runs: a term of four weeks from today, a tutor whose check passed, its staff, a guardian with a
child enrolled in the next session and a grandmother authorised to pick the child up. Logins
(password ``hemei-demo``): ``xinhong_classroom`` (staff), ``xinhong_tutor`` (tutor),
``guardian_xinhong`` (guardian)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core import (
    BookingEngine,
    Community,
    Compound,
    DemoContext,
    Grant,
    Person,
    Place,
    Viewer,
)
from plugins.four_thirty_classroom.children import CHILD_PERSON_NAME
from plugins.four_thirty_classroom.models import (
    Attendance,
    Child,
    Classroom,
    ClassroomMember,
    Lecture,
    PickupAdult,
    Session,
    SessionTutor,
    Tutor,
)
from plugins.four_thirty_classroom.places import NAME, settings_in
from plugins.four_thirty_classroom.rules import STAFF_ROLE, TUTOR_ROLE
from plugins.four_thirty_classroom.terms import TermPlan, schedule_term
from plugins.four_thirty_classroom.timing import local_day

LOGINS_AT = "xinhong"
LECTURES = (
    ("LECTURE", "PARTY_CLASS", "精品党课进校园：红色家书里的少年", "SCHOOL", "鹤岗市第十二小学"),
    ("ACTIVITY", "SAFE_GROWTH", "护航成长：防溺水安全教育", "SCHOOL", "鹤岗市第三中学"),
    ("ACTIVITY", "LITTLE_HANDS", "小手拉大手：垃圾分类进家庭", "COMMUNITY", "社区党群服务中心"),
)


async def load(demo: DemoContext) -> None:
    districts = {d.id: d.code for d in demo.districts}
    streets = {s.id: s.code for s in demo.streets}
    lectured: set[int] = set()
    for community in demo.communities:
        place = Place(districts[community.district_id], streets[community.street_id],
                      community.code)  # fmt: skip
        if not demo.activation.state(NAME, place).enabled:
            continue
        classroom = await Classroom.create(
            code=f"{community.code}-430", name=f"{community.name}四点半课堂", kind="COMMUNITY",
            address=f"{community.name}党群服务中心二楼", capacity=demo.random.choice([20, 30, 40]),
            district_id=community.district_id, street_id=community.street_id,
            community_id=community.id,
        )  # fmt: skip
        if community.district_id not in lectured:
            lectured.add(community.district_id)
            await _lectures(demo, community)
        if community.code == LOGINS_AT:
            await _running(demo, community, classroom, place)


async def _lectures(demo: DemoContext, community: Community) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for index, (kind, program, title, venue_kind, venue) in enumerate(LECTURES):
        held = index < 2
        await Lecture.create(
            kind=kind, program=program, title=title, venue_kind=venue_kind, venue=venue,
            speaker="市委讲师团", starts_at=now + timedelta(days=-14 + 7 * index if held else 5),
            status="HELD" if held else "PLANNED",
            students=demo.random.randint(80, 400) if held else 0,
            families=demo.random.randint(20, 120) if held else 0,
            district_id=community.district_id, street_id=community.street_id,
            community_id=community.id, planned_by_id=0,
        )  # fmt: skip


async def _person(demo: DemoContext, name: str, login: str, community: Community) -> int:
    compound = await Compound.filter(community_id=community.id).order_by("id").first()
    home: dict[str, Any] = {}
    if compound is not None:
        home = {"home_compound_id": compound.id, "home_grid_id": compound.grid_id,
                "home_community_id": community.id, "home_street_id": community.street_id,
                "home_district_id": community.district_id}  # fmt: skip
    person = await Person.create(name=name, **home)
    await demo.add_login(login, person.id)
    return person.id


async def _running(
    demo: DemoContext, community: Community, classroom: Classroom, place: Place
) -> None:
    staff = await _person(demo, "孙老师", f"{community.code}_classroom", community)
    await demo.grant_role(staff, _grant(STAFF_ROLE, community))
    tutor_person = await _person(demo, "刘同学", f"{community.code}_tutor", community)
    await demo.grant_role(tutor_person, _grant(TUTOR_ROLE, community))
    now = datetime.now(UTC)
    tutor = await Tutor.create(
        person_id=tutor_person, kind="UNIVERSITY_STUDENT", check_status="PASSED",
        checked_at=now, check_note="无犯罪记录证明已核验", registered_by_id=staff,
        district_id=community.district_id, street_id=community.street_id,
        community_id=community.id,
    )  # fmt: skip
    await ClassroomMember.bulk_create([
        ClassroomMember(classroom_id=classroom.id, person_id=staff, kind="STAFF"),
        ClassroomMember(classroom_id=classroom.id, person_id=tutor_person, kind="TUTOR"),
    ])  # fmt: skip

    zone = demo.activation.config.city.time_zone
    today = local_day(now, zone)
    settings = settings_in(demo.activation, place)
    viewer = Viewer(account_id=0, person_id=staff, username="demo",
                    grants=(_grant(STAFF_ROLE, community),))  # fmt: skip
    plan = TermPlan(name=f"{today.year}年课后服务", starts_on=today,
                    ends_on=today + timedelta(days=27))  # fmt: skip
    await schedule_term(viewer, classroom.id, plan, settings, zone, now)
    sessions = await Session.filter(classroom_id=classroom.id).order_by("day").limit(5)
    await SessionTutor.bulk_create(
        [SessionTutor(session_id=s.id, tutor_id=tutor.id, person_id=tutor_person)
         for s in sessions]
    )  # fmt: skip

    guardian = await _person(demo, "张丽", f"guardian_{community.code}", community)
    child_person = await Person.create(name=CHILD_PERSON_NAME)
    child = await Child.create(
        classroom_id=classroom.id, person_id=child_person.id, guardian_id=guardian,
        name="张小明", school="鹤岗市第十二小学", grade=3, notes="花生过敏",
        district_id=community.district_id, street_id=community.street_id,
        community_id=community.id,
    )  # fmt: skip
    await PickupAdult.bulk_create([
        PickupAdult(child_id=child.id, name="张丽", relation="GUARDIAN", person_id=guardian),
        PickupAdult(child_id=child.id, name="王秀兰", relation="GRANDPARENT", phone="13904681234"),
    ])  # fmt: skip
    later = [s for s in sessions if s.starts_at > now + timedelta(hours=2)]
    if later:
        booking = await BookingEngine().book(child_person.id, later[0].slot_id)
        await Attendance.create(
            session_id=later[0].id, child_id=child.id, booking_id=booking.id,
            classroom_id=classroom.id, guardian_id=guardian, person_id=child_person.id,
            enrolled_by_id=guardian, district_id=community.district_id,
            street_id=community.street_id, community_id=community.id,
        )  # fmt: skip


def _grant(role: str, community: Community) -> Grant:
    return Grant(role, "community", district_id=community.district_id,
                 street_id=community.street_id, community_id=community.id)  # fmt: skip
