"""Switched off in a district (兴山区 in the test config), every field of the module answers
MODULE_DISABLED there and lists leave it out, core keeps working, and the data is all there
again when the district switches the module back on."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

from strawberry.types.base import get_object_definition

from core.access.models import Account, RoleGrant
from core.booking.models import Booking, Offering, Slot
from core.regions.models import Compound, District
from plugins.medical_teams.graphql import contribution
from plugins.medical_teams.models import Consultation, ExpertVisit, Session, Team, TeamMember
from tests.access.probes import gid
from tests.medical_teams.support import person_with_login
from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

XINGSHAN = re.compile(r'(\[districts\.xingshan\]\nname = "兴山区"\nmodules = \[)([^\]]*)\]')
ON_IN_XINGSHAN = XINGSHAN.sub(
    lambda m: m[1] + (m[2] + ", " if m[2].strip() else "") + '"medical_teams"]', TEST_CONFIG
)


async def xingshan_data(client):
    """A team with a doctor, a session, a resident's registration and consultation record and
    an expert visit in 兴山区, written directly (the API refuses to write where the module is
    off)."""
    xingshan = await District.get(code="xingshan")
    compound = await Compound.filter(district_id=xingshan.id).order_by("id").first()
    place = {"district_id": xingshan.id, "street_id": compound.street_id,
             "community_id": compound.community_id}  # fmt: skip
    team = await Team.create(district_id=xingshan.id, name=f"兴山医疗队{uuid.uuid4().hex[:6]}",
                             hospital="兴山区人民医院")  # fmt: skip
    doctor, doctor_id = await person_with_login(client, "兴山医生")
    await RoleGrant.create(person_id=doctor_id, role="DOCTOR", level="district",
                           district_id=xingshan.id)  # fmt: skip
    await TeamMember.create(team_id=team.id, person_id=doctor_id, specialty="内科")
    resident, resident_id = await person_with_login(client, "兴山居民", compound)
    start = datetime.now(UTC) + timedelta(hours=1)
    offering = await Offering.create(owner="medical_teams", kind="free_clinic", title="兴山义诊",
                                     **place)  # fmt: skip
    slot = await Slot.create(offering_id=offering.id, starts_at=start,
                             ends_at=start + timedelta(hours=3), capacity=10, confirmed=1)  # fmt: skip
    session = await Session.create(
        team_id=team.id, kind="FREE_CLINIC", place_type="COMMUNITY", place_name="兴山党群服务站",
        title="兴山义诊", specialties=["内科"], starts_at=start, ends_at=slot.ends_at,
        offering_id=offering.id, slot_id=slot.id, **place,
    )  # fmt: skip
    booking = await Booking.create(slot_id=slot.id, person_id=resident_id,
                                   offering_id=offering.id, status="CHECKED_IN")  # fmt: skip
    record = await Consultation.create(
        team_id=team.id, session_id=session.id, booking_id=booking.id, person_id=resident_id,
        doctor_id=doctor_id, specialty="内科", notes="血压偏高", referral="心内科复查", **place,
    )  # fmt: skip
    visit = await ExpertVisit.create(
        team_id=team.id, district_id=xingshan.id, expert_name="周教授", home_hospital="黑龙江省医院",
        specialty="眼科", starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 3), consultations=40,
        surgeries=6, surgery_categories=[{"category": "白内障手术", "count": 6}],
    )  # fmt: skip
    return {
        "doctor": doctor, "doctor_id": doctor_id, "resident": resident,
        "resident_id": resident_id,
        "district": gid("District", xingshan.id),
        "community": gid("Community", compound.community_id),
        "compound": gid("Compound", compound.id), "team": gid("MedicalTeam", team.id),
        "session": gid("MedicalSession", session.id), "booking": gid("Booking", booking.id),
        "record": gid("MedicalConsultation", record.id),
        "visit": gid("MedicalExpertVisit", visit.id),
    }  # fmt: skip


# Each root field of the module, asked about 兴山区 data: the answer where the module is off.
QUERIES = {
    "medicalTeams": "query($district: ID!) { medicalTeams(districtId: $district) { totalCount edges { node { id } } } }",
    "medicalSessions": "query($district: ID!) { medicalSessions(placeId: $district, upcoming: false) { totalCount edges { node { id } } } }",
    "medicalExpertVisits": "query($district: ID!) { medicalExpertVisits(districtId: $district) { totalCount edges { node { id } } } }",
    "medicalConsultations": "{ medicalConsultations { totalCount edges { node { id notes } } } }",
    "medicalSessionAttendees": "query($session: ID!) { medicalSessionAttendees(sessionId: $session) { name } }",
    "medicalFigures": 'query($district: ID!) { medicalFigures(placeId: $district, from: "2026-01-01", to: "2030-01-01") { sessions } }',
}
MUTATIONS = {
    "createMedicalTeam": 'mutation($district: ID!) { createMedicalTeam(input: {districtId: $district, name: "新队", hospital: "医院"}) { id } }',
    "updateMedicalTeam": 'mutation($team: ID!) { updateMedicalTeam(input: {teamId: $team, version: 1, hospital: "新医院"}) { id } }',
    "setMedicalTeamMembers": "mutation($team: ID!) { setMedicalTeamMembers(teamId: $team, version: 1, members: []) { id } }",
    "scheduleMedicalSession": 'mutation($team: ID!, $compound: ID!) { scheduleMedicalSession(input: {teamId: $team, kind: FREE_CLINIC, placeType: COMMUNITY, placeName: "站", placeId: $compound, startsAt: "2030-01-01T09:00:00+08:00", endsAt: "2030-01-01T11:00:00+08:00", specialties: ["内科"]}) { id } }',
    "cancelMedicalSession": "mutation($session: ID!) { cancelMedicalSession(sessionId: $session, version: 1) { id } }",
    "closeMedicalSession": "mutation($session: ID!) { closeMedicalSession(sessionId: $session, version: 1) { id } }",
    "registerForMedicalSession": "mutation($session: ID!) { registerForMedicalSession(sessionId: $session) { id } }",
    "checkInMedicalAttendee": "mutation($booking: ID!) { checkInMedicalAttendee(bookingId: $booking) { status } }",
    "recordMedicalConsultation": 'mutation($booking: ID!) { recordMedicalConsultation(input: {bookingId: $booking, specialty: "内科"}) { id } }',
    "openMedicalFollowUpCase": "mutation($record: ID!) { openMedicalFollowUpCase(consultationId: $record, need: HOME_VISIT) { id } }",
    "recordMedicalExpertVisit": 'mutation($team: ID!) { recordMedicalExpertVisit(input: {teamId: $team, expertName: "吴主任", homeHospital: "省医院", specialty: "骨科", startsOn: "2026-06-01", endsOn: "2026-06-02"}) { id } }',
    "updateMedicalExpertVisit": "mutation($visit: ID!) { updateMedicalExpertVisit(input: {visitId: $visit, version: 1, consultations: 50}) { id } }",
}
BY_THE_DOCTOR = {"medicalSessionAttendees", "scheduleMedicalSession", "cancelMedicalSession",
                 "closeMedicalSession", "checkInMedicalAttendee", "recordMedicalConsultation",
                 "openMedicalFollowUpCase", "recordMedicalExpertVisit",
                 "updateMedicalExpertVisit"}  # fmt: skip
BY_THE_RESIDENT = {"medicalConsultations", "registerForMedicalSession"}
LISTS = {"medicalTeams", "medicalSessions", "medicalExpertVisits", "medicalConsultations"}
NODES = ("team", "session", "record", "visit")


def _variables(document: str, data: dict) -> dict:
    return {name: data[name] for name in re.findall(r"\$(\w+):", document)}


def _actor(name: str, data: dict, admin):
    if name in BY_THE_DOCTOR:
        return data["doctor"]
    return data["resident"] if name in BY_THE_RESIDENT else admin


def test_every_root_field_of_the_module_is_covered_here():
    contributed = contribution()
    names = {
        f.python_name for t in (contributed.query, contributed.mutation)
        for f in get_object_definition(t, strict=True).fields
    }  # fmt: skip
    camel = {re.sub(r"_(\w)", lambda m: m.group(1).upper(), n) for n in names}
    assert camel == set(QUERIES) | set(MUTATIONS)


def test_the_config_switches_it_on_in_xingshan_only_in_the_copy():
    assert '"medical_teams"' not in XINGSHAN.search(TEST_CONFIG)[2]
    assert '"medical_teams"' in XINGSHAN.search(ON_IN_XINGSHAN)[2]


async def test_every_field_answers_module_disabled_where_the_module_is_off(api):
    client = await api()
    data = await xingshan_data(client)
    admin = await client.signed_in("city_admin")
    for name, document in QUERIES.items():
        body = await _actor(name, data, admin).post(document, _variables(document, data))
        if name in LISTS:  # lists leave the place out
            assert not body.get("errors"), (name, body)
            found = body["data"][name]
            assert (found["totalCount"], found["edges"]) == (0, []), (name, found)
        else:
            assert codes(body) == ["MODULE_DISABLED"], (name, body)
            assert body["data"][name] is None
            assert body["errors"][0]["extensions"]["module"] == "medical_teams"
    teams_before = await Team.all().count()
    for name, document in MUTATIONS.items():
        body = await _actor(name, data, admin).post(document, _variables(document, data))
        assert codes(body) == ["MODULE_DISABLED"], (name, body)
    assert await Team.all().count() == teams_before, "nothing was written"
    assert await Booking.filter(person_id=data["resident_id"], status="CHECKED_IN").count() == 1

    for kind in NODES:
        viewer = data["resident"] if kind == "record" else admin
        body = await viewer.post("query($id: ID!) { node(id: $id) { id } }", {"id": data[kind]})
        assert codes(body) == ["MODULE_DISABLED"], (kind, body)
    # Out of the viewer's scope the record stays exactly like one that does not exist.
    assert await admin.post("query($id: ID!) { node(id: $id) { id } }", {"id": data["record"]}) == {
        "data": {"node": None}
    }

    # The core keeps working in that district.
    core = await admin.data(
        '{ district(code: "xingshan") { name modules { name enabled } communities(first: 1) { totalCount } } }'
    )
    assert {"name": "medical_teams", "enabled": False} in core["district"]["modules"]
    assert core["district"]["communities"]["totalCount"] > 0
    reported = await data["resident"].data(
        'mutation($c: ID!) { reportCase(input: {title: "楼道灯不亮", category: "safety_hazard", compoundId: $c}) { id status } }',
        {"c": data["compound"]},
    )
    assert reported["reportCase"]["status"] == "REPORTED"


async def test_switched_back_on_the_data_is_all_there(api):
    client = await api()
    data = await xingshan_data(client)
    on = await api(ON_IN_XINGSHAN)
    admin = await on.signed_in("city_admin")

    async def again(person_id: int):
        account = await Account.get(person_id=person_id)
        return on.as_token(on.runtime.tokens.issue(account.id)[0])

    doctor, resident = await again(data["doctor_id"]), await again(data["resident_id"])
    listed = await on.data(QUERIES["medicalTeams"], {"district": data["district"]})
    assert data["team"] in [e["node"]["id"] for e in listed["medicalTeams"]["edges"]]
    mine = await resident.data(QUERIES["medicalConsultations"])
    assert [e["node"] for e in mine["medicalConsultations"]["edges"]] == [
        {"id": data["record"], "notes": "血压偏高"}
    ]
    desk = await doctor.data(QUERIES["medicalSessionAttendees"], {"session": data["session"]})
    assert desk["medicalSessionAttendees"] == [{"name": "兴山居民"}]
    for kind in NODES:
        viewer = resident if kind == "record" else admin
        found = await viewer.data("query($id: ID!) { node(id: $id) { id } }", {"id": data[kind]})
        assert found["node"] == {"id": data[kind]}
