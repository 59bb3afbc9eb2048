"""Helpers of the classroom tests: a clock to stand at a chosen moment, people with logins and
roles, a classroom with its staff, a tutor who passed the background check and a term, and the
GraphQL documents the tests send."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.access.models import Account, RoleGrant
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid
from plugins.four_thirty_classroom import timing
from tests.access.probes import gid
from tests.support.api import Api

CITY = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 16)
_unique = itertools.count()


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in city time, as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY).astimezone(UTC)


@dataclass
class Clock:
    """Where the classroom module believes it is in time (``timing.now``)."""

    at: datetime

    def set(self, moment: datetime) -> None:
        self.at = moment

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    standing = Clock(local(MONDAY, 10))
    monkeypatch.setattr(timing, "now", standing)
    return standing


CREATE = """mutation($i: CreateClassroomInput!) { createClassroom(input: $i) {
  id version code name kind capacity staff tutors { tutorId name kind } } }"""
SET_STAFF = """mutation($c: ID!, $v: Int!, $p: [ID!]!) { setClassroomStaff(classroomId: $c, version: $v, personIds: $p) { id version staff } }"""
SET_TUTORS = """mutation($c: ID!, $v: Int!, $t: [ID!]!) { setClassroomTutors(classroomId: $c, version: $v, tutorIds: $t) { id version tutors { tutorId name } } }"""
REGISTER_TUTOR = """mutation($i: RegisterClassroomTutorInput!) { registerClassroomTutor(input: $i) {
  id version name kind checkStatus checkValidUntil schedulable } }"""
CHECK = """mutation($t: ID!, $v: Int!, $s: ClassroomCheckStatus!, $n: String! = "") {
  setClassroomTutorCheck(tutorId: $t, version: $v, status: $s, note: $n) { id version checkStatus checkedAt checkValidUntil schedulable } }"""
TERM = """mutation($i: ScheduleClassroomTermInput!) { scheduleClassroomTerm(input: $i) {
  sessionsCreated skippedDays term { id name startsOn endsOn weekdays sessionStart sessionEnd holidays { from to name } } } }"""
SESSIONS = """query($c: ID!, $from: Date!, $days: Int! = 14) { node(id: $c) { ... on Classroom {
  sessions(from: $from, days: $days) { id day startsAt endsAt topic status version seats enrolled seatsFree waitlisted tutorsNeeded tutors { name } } } } }"""
PLAN = """mutation($i: PlanClassroomSessionInput!) { planClassroomSession(input: $i) {
  id version topic tutors { tutorId name } tutorsNeeded } }"""
REGISTER_CHILD = """mutation($i: RegisterClassroomChildInput!) { registerClassroomChild(input: $i) {
  id version name school grade notes pickupAdults { id name relation phone } isYours } }"""
UPDATE_CHILD = """mutation($i: UpdateClassroomChildInput!) { updateClassroomChild(input: $i) {
  id version pickupAdults { id name relation phone } } }"""
ENROL = """mutation($s: ID!, $c: ID!) { enrolClassroomChild(sessionId: $s, childId: $c) { id status version } }"""
CANCEL = """mutation($a: ID!) { cancelClassroomAttendance(attendanceId: $a) { id status } }"""
CHECK_IN = """mutation($a: ID!) { checkInClassroomChild(attendanceId: $a) { id status checkedInAt inCare } }"""
CHECK_OUT = """mutation($i: CheckOutClassroomChildInput!) { checkOutClassroomChild(input: $i) {
  pickedUp attendance { id status checkedOutAt inCare pickedUpByName pickedUpByRelation }
  alert { id adultName adultPhone claimedRelation reason raisedBy closedAt child { name } } } }"""
ALERTS = """query($c: ID, $open: Boolean! = false) { classroomAlerts(classroomId: $c, open: $open) {
  totalCount edges { node { id version adultName reason closedAt note raisedBy child { name } } } } }"""
CLOSE_ALERT = """mutation($a: ID!, $v: Int!, $n: String!) { closeClassroomAlert(alertId: $a, version: $v, note: $n) { id closedAt note } }"""
CLOSE_SESSION = (
    """mutation($s: ID!) { closeClassroomSession(sessionId: $s) { noShows session { status } } }"""
)
CHILD = """query($c: ID!) { node(id: $c) { ... on ClassroomChild { id name school grade notes pickupAdults { name relation } } } }"""


async def xinhong() -> tuple[Community, Compound]:
    gongnong = await District.get(code="gongnong")
    community = await Community.get(district_id=gongnong.id, code="xinhong")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    compound = await Compound.filter(grid_id=grid.id).first()
    assert compound is not None
    return community, compound


async def person_with_login(
    client: Api, name: str, home: Compound | None = None
) -> tuple[Api, int]:
    """A new person (living in ``home``) with an account, and a client signed in as them."""
    where = {}
    if home is not None:
        where = {"home_compound_id": home.id, "home_grid_id": home.grid_id,
                 "home_community_id": home.community_id, "home_street_id": home.street_id,
                 "home_district_id": home.district_id}  # fmt: skip
    person = await Person.create(name=name, **where)
    account = await Account.create(
        username=f"ftc-{uuid.uuid4().hex[:12]}", password_hash="-", person_id=person.id
    )
    token, _ = client.runtime.tokens.issue(account.id)
    return client.as_token(token), person.id


async def grant_at(person_id: int, role: str, community: Community) -> None:
    """Give a role at a community (what a district admin does with core's grantRole)."""
    await RoleGrant.create(
        person_id=person_id, role=role, level="community", district_id=community.district_id,
        street_id=community.street_id, community_id=community.id,
    )  # fmt: skip


@dataclass
class Scene:
    """A classroom in 欣虹社区 with its staff and a checked tutor, and a term of two weeks."""

    client: Api
    worker: Api
    admin: Api
    staff: Api
    tutor: Api
    tutor_id: str
    classroom: dict
    community: Community
    compound: Compound
    sessions: list[dict]


async def classroom_scene(api, clock, *, capacity: int = 30) -> Scene:
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    admin = await client.signed_in("gongnong_admin")
    community, compound = await xinhong()
    n = next(_unique)
    created = (
        await worker.data(
            CREATE,
            {
                "i": {
                    "placeId": gid("Community", community.id),
                    "code": f"xinhong-430-{n}",
                    "name": "欣虹社区四点半课堂",
                    "capacity": capacity,
                }
            },
        )
    )["createClassroom"]
    staff, staff_person = await person_with_login(client, "孙老师")
    await grant_at(staff_person, "CLASSROOM_STAFF", community)
    created = (
        await worker.data(
            SET_STAFF,
            {"c": created["id"], "v": created["version"], "p": [gid("Person", staff_person)]},
        )
    )["setClassroomStaff"]
    tutor, tutor_person = await person_with_login(client, "刘同学")
    await grant_at(tutor_person, "TUTOR", community)
    registered = (
        await tutor.data(
            REGISTER_TUTOR,
            {"i": {"communityId": gid("Community", community.id), "kind": "UNIVERSITY_STUDENT"}},
        )
    )["registerClassroomTutor"]
    passed = (
        await admin.data(CHECK, {"t": registered["id"], "v": registered["version"], "s": "PASSED"})
    )["setClassroomTutorCheck"]
    assert passed["checkStatus"] == "PASSED" and passed["schedulable"] is True
    created = (
        await worker.data(
            SET_TUTORS, {"c": created["id"], "v": created["version"], "t": [registered["id"]]}
        )
    )["setClassroomTutors"]
    term = (
        await staff.data(
            TERM,
            {
                "i": {
                    "classroomId": created["id"],
                    "name": "2026年秋季学期",
                    "startsOn": MONDAY.isoformat(),
                    "endsOn": "2026-11-27",
                }
            },
        )
    )["scheduleClassroomTerm"]
    assert term["sessionsCreated"] == 10
    sessions = (await staff.data(SESSIONS, {"c": created["id"], "from": MONDAY.isoformat()}))[
        "node"
    ]["sessions"]
    return Scene(client, worker, admin, staff, tutor, registered["id"], created, community,
                 compound, sessions)  # fmt: skip


async def guardian(scene: Scene, name: str = "张丽") -> Api:
    """A new resident of 欣虹社区 with a login."""
    signed, _ = await person_with_login(scene.client, name, scene.compound)
    return signed


async def register_child(scene: Scene, parent: Api, name: str = "张小明", **extra) -> dict:
    data = await parent.data(
        REGISTER_CHILD,
        {"i": {"classroomId": scene.classroom["id"], "name": name, "school": "鹤岗市第十二小学",
               "grade": 3, **extra}},
    )  # fmt: skip
    return data["registerClassroomChild"]


async def same_person(server: Api, signed: Api) -> Api:
    """A client of another server (another config) signed in as the same account."""
    username = (await signed.data("{ me { username } }"))["me"]["username"]
    account = await Account.get(username=username)
    return server.as_token(server.runtime.tokens.issue(account.id)[0])
