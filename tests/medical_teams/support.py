"""Helpers of the medical-team tests: a clock, people with logins, teams with doctors, sessions,
and the GraphQL documents the tests send."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from strawberry.relay import GlobalID

from core.access.models import Account, RoleGrant
from core.cases.models import CaseEvent
from core.events.broker import Broker
from core.events.relay import OutboxRelay
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid
from plugins.medical_teams import places
from plugins.medical_teams.models import Team, TeamMember
from tests.access.probes import gid
from tests.support.api import Api

_unique = itertools.count()


@dataclass
class Clock:
    """Where the module believes it is in time (``places.now``, which its booking engine reads)."""

    at: datetime

    def set(self, moment: datetime) -> None:
        self.at = moment

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    standing = Clock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(places, "now", standing)
    return standing


CREATE_TEAM = """mutation($i: CreateMedicalTeamInput!) { createMedicalTeam(input: $i) {
  id name hospital active version members { personId name specialty leader } specialties } }"""
SET_MEMBERS = """mutation($t: ID!, $v: Int!, $m: [MedicalTeamMemberInput!]!) {
  setMedicalTeamMembers(teamId: $t, version: $v, members: $m) {
  id version members { personId name specialty leader } specialties } }"""
SCHEDULE = """mutation($i: ScheduleMedicalSessionInput!) { scheduleMedicalSession(input: $i) {
  id version kind placeType placeName title specialties startsAt endsAt status capacity free
  peopleServed walkIns team { name } community { name } } }"""
REGISTER = """mutation($s: ID!) { registerForMedicalSession(sessionId: $s) {
  id status title owner kind startsAt } }"""
ATTENDEES = (
    """query($s: ID!) { medicalSessionAttendees(sessionId: $s) { bookingId name status } }"""
)
CHECK_IN = (
    """mutation($b: ID!) { checkInMedicalAttendee(bookingId: $b) { bookingId name status } }"""
)
RECORD = """mutation($i: RecordMedicalConsultationInput!) { recordMedicalConsultation(input: $i) {
  id version residentName doctorName specialty notes referral followUpOn followUpNeed
  followUpStatus session { id } team { id } } }"""
OPEN_CASE = """mutation($c: ID!, $n: MedicalFollowUpNeed!) {
  openMedicalFollowUpCase(consultationId: $c, need: $n) {
  id referral followUpNeed followUpStatus followUpCase { id version title description status level
  category { code departmentCodes } } } }"""
RECORD_FIELDS = """id createdAt residentName doctorName specialty notes referral followUpOn
  followUpNeed followUpStatus followUpCase { id }"""
NODE = (
    "query($id: ID!) { node(id: $id) { id ... on MedicalConsultation { " + RECORD_FIELDS + " } } }"
)
CONSULTATIONS = "query { medicalConsultations(first: 100) { totalCount edges { node { " + RECORD_FIELDS + " } } } }"  # fmt: skip
CLOSE = """mutation($s: ID!, $v: Int!, $w: Int!) { closeMedicalSession(sessionId: $s, version: $v, walkIns: $w) {
  id status walkIns peopleServed version } }"""
CANCEL = """mutation($s: ID!, $v: Int!) { cancelMedicalSession(sessionId: $s, version: $v) {
  id status version free } }"""
EXPERT = """mutation($i: RecordMedicalExpertVisitInput!) { recordMedicalExpertVisit(input: $i) {
  id version expertName expertTitle homeHospital specialty startsOn endsOn consultations surgeries
  surgeriesByCategory { category count } team { name } } }"""
FIGURES = """query($p: ID!, $f: Date!, $t: Date!) { medicalFigures(placeId: $p, from: $f, to: $t) {
  sessions sessionsByKind { kind placeType sessions peopleServed } peopleServed teamsActive
  consultations referrals followUpCases followUpsResolved
  experts { visits experts consultations surgeries surgeriesByCategory { category count } } } }"""


def key(global_id: str) -> int:
    """The key a global id names."""
    return int(GlobalID.from_id(global_id).node_id)


async def person_with_login(
    client: Api, name: str, compound: Compound | None = None
) -> tuple[Api, int]:
    """A new person (living in ``compound`` if given) with an account, and a client signed in
    as them (a token, no password)."""
    home = (
        {"home_compound_id": compound.id, "home_grid_id": compound.grid_id,
         "home_community_id": compound.community_id, "home_street_id": compound.street_id,
         "home_district_id": compound.district_id}
        if compound else {}
    )  # fmt: skip
    person = await Person.create(name=name, **home)
    account = await Account.create(
        username=f"med-{uuid.uuid4().hex[:12]}", password_hash="-", person_id=person.id
    )
    token, _ = client.runtime.tokens.issue(account.id)
    return client.as_token(token), person.id


async def xinhong() -> tuple[Community, Compound]:
    gongnong = await District.get(code="gongnong")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    community = await Community.get(id=grid.community_id)
    return community, await Compound.filter(grid_id=grid.id).order_by("id").first()


async def team_in(district: str = "gongnong", name: str | None = None) -> Team:
    found = await District.get(code=district)
    return await Team.create(
        district_id=found.id, name=name or f"测试医疗队{next(_unique)}", hospital="鹤岗市人民医院"
    )


async def doctor_on(client: Api, team: Team, name: str = "张医生",
                    specialty: str = "内科") -> tuple[Api, int]:  # fmt: skip
    """A new person holding DOCTOR in the team's district, on the team's member list."""
    signed, person = await person_with_login(client, name)
    await RoleGrant.create(
        person_id=person, role="DOCTOR", level="district", district_id=team.district_id
    )
    await TeamMember.create(team_id=team.id, person_id=person, specialty=specialty)
    return signed, person


async def schedule(doctor: Api, team: Team, starts: datetime, *, capacity: int = 30,
                   kind: str = "FREE_CLINIC", place_type: str = "COMMUNITY",
                   compound: Compound | None = None) -> dict:  # fmt: skip
    """A session of the team in 欣虹社区 (or the compound given), scheduled by ``doctor``."""
    if compound is None:
        _, compound = await xinhong()
    data = await doctor.data(
        SCHEDULE,
        {"i": {"teamId": gid("MedicalTeam", team.id), "kind": kind, "placeType": place_type,
               "placeName": "欣虹社区党群服务站", "placeId": gid("Compound", compound.id),
               "startsAt": starts.isoformat(), "endsAt": (starts + timedelta(hours=3)).isoformat(),
               "specialties": ["内科", "眼科"], "capacity": capacity}},
    )  # fmt: skip
    return data["scheduleMedicalSession"]


async def quiet_outbox() -> None:
    """Earlier tests' events count as delivered: the test owns the outbox from here."""
    await CaseEvent.filter(delivered_at=None).update(delivered_at=datetime.now(UTC))


async def deliver(client: Api) -> int:
    """Deliver every pending case event (as the server's relay would); how many."""
    relay = OutboxRelay(client.runtime.host, Broker(), activation=lambda: client.runtime.activation)
    total = 0
    while attempted := await relay.run_once():
        total += attempted
    return total


@dataclass
class Seen:
    """A resident seen at a clinic of ``team`` by ``doctor``, with a consultation record."""

    team: Team
    doctor: Api
    doctor_id: int
    resident: Api
    resident_id: int
    session: dict
    booking: str
    record: dict


async def seen(client: Api, clock: Clock, notes: str = "血压偏高，低盐饮食",
               referral: str = "", specialty: str = "内科") -> Seen:  # fmt: skip
    """Through the API: a doctor's clinic tomorrow, a resident of 欣虹社区 registered and
    checked in, and the consultation the doctor recorded (the clock stands at the clinic)."""
    team = await team_in()
    doctor, doctor_id = await doctor_on(client, team)
    _, compound = await xinhong()
    resident, resident_id = await person_with_login(client, "李桂兰", compound)
    starts = clock.at + timedelta(days=1)
    session = await schedule(doctor, team, starts)
    booking = (await resident.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]
    clock.set(starts + timedelta(minutes=10))
    await doctor.data(CHECK_IN, {"b": booking["id"]})
    record = await doctor.data(
        RECORD,
        {"i": {"bookingId": booking["id"], "specialty": specialty, "notes": notes,
               "referral": referral}},
    )  # fmt: skip
    return Seen(team, doctor, doctor_id, resident, resident_id, session, booking["id"],
                record["recordMedicalConsultation"])  # fmt: skip
