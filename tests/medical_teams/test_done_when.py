"""The issue's Done-when, through GraphQL: a resident registers for a free clinic and is checked
in, a doctor of the team records a consultation with a referral, the resident sees it and
another team's doctor, a grid worker and admins do not (exactly as if it did not exist), every
read by the doctor is recorded, the referral becomes a case that the ladder routes to the health
commission, and the figures show counts only. And: 200 simultaneous registrations for 50 places
confirm 50."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from datetime import timedelta

from core.access.models import Account, AuditRecord, PersonalDataRead, SecurityEvent
from core.booking.models import Slot
from core.cases.models import Case, CaseStep
from core.people.models import Department, Person
from core.regions.models import District
from plugins.medical_teams.models import Consultation, Session, Team
from tests.access.probes import gid
from tests.medical_teams.support import (
    ATTENDEES,
    CHECK_IN,
    CONSULTATIONS,
    CREATE_TEAM,
    FIGURES,
    NODE,
    OPEN_CASE,
    RECORD,
    REGISTER,
    SET_MEMBERS,
    clock,
    deliver,
    doctor_on,
    key,
    quiet_outbox,
    schedule,
    team_in,
    xinhong,
)
from tests.support.api import codes

__all__ = ["clock"]
_unique = itertools.count()

NOTES = "左膝骨性关节炎，长期卧床，每周需上门换药，忌久坐"
REFERRAL = "转介鹤岗市人民医院骨科复诊，居家卧床需上门随访"
MARKERS = ("骨性关节炎", "卧床", "换药", "骨科复诊", NOTES, REFERRAL)
CREATE_USER = """mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"""
GRANT = """mutation($p: ID!, $r: String!, $at: ID) { grantRole(personId: $p, role: $r, placeId: $at) { id } }"""
ACT = """mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { id version level status
  departments { lead department { code } } } }"""
CASE = """query($id: ID!) { node(id: $id) { ... on Case { id version title description level
  status category { code } timeline { action note } } } }"""


async def _user(city, admin, username: str, name: str, *, compound=None, department=None) -> str:
    made = await (admin if compound else city).data(
        CREATE_USER,
        {"i": {"username": username, "password": "hemei-demo", "name": name,
               "homeCompoundId": gid("Compound", compound.id) if compound else None,
               "departmentId": gid("Department", department) if department else None}},
    )  # fmt: skip
    return made["createUser"]["id"]


def _leaks(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


async def test_a_resident_is_seen_referred_and_followed_up_and_nobody_else_reads_it(
    api, clock, caplog
):
    caplog.set_level(logging.INFO)  # what the server logs in production
    client = await api()
    city = await client.signed_in("city_admin")
    admin = await client.signed_in("gongnong_admin")
    grid_worker = await client.signed_in("xinhong_grid1")
    community_worker = await client.signed_in("xinhong_worker")
    gongnong = await District.get(code="gongnong")
    _, compound = await xinhong()
    await quiet_outbox()
    n = next(_unique)

    # A team of 工农区 and its doctor, set up by the district's admin through the API; a
    # doctor of another team of the same district.
    team = (await admin.data(CREATE_TEAM, {"i": {
        "districtId": gid("District", gongnong.id), "name": f"工农区人民医院党员医疗服务队{n}",
        "hospital": "工农区人民医院"}}))["createMedicalTeam"]  # fmt: skip
    other = (await admin.data(CREATE_TEAM, {"i": {
        "districtId": gid("District", gongnong.id), "name": f"鹤岗市中医院党员医疗服务队{n}",
        "hospital": "鹤岗市中医院"}}))["createMedicalTeam"]  # fmt: skip
    doctors = {}
    for who, name in (("ours", "马丽华"), ("theirs", "韩志刚")):
        person = await _user(city, admin, f"doctor_{who}_{n}", name)
        await admin.data(GRANT, {"p": person, "r": "DOCTOR", "at": gid("District", gongnong.id)})
        doctors[who] = person
    members = await admin.data(SET_MEMBERS, {"t": team["id"], "v": team["version"], "m": [
        {"personId": doctors["ours"], "specialty": "骨科", "leader": True}]})  # fmt: skip
    assert members["setMedicalTeamMembers"]["specialties"] == ["骨科"]
    await admin.data(SET_MEMBERS, {"t": other["id"], "v": other["version"], "m": [
        {"personId": doctors["theirs"], "specialty": "内科"}]})  # fmt: skip
    doctor = await client.signed_in(f"doctor_ours_{n}")
    other_doctor = await client.signed_in(f"doctor_theirs_{n}")

    await _user(city, admin, f"elder_{n}", "王淑珍", compound=compound)
    resident = await client.signed_in(f"elder_{n}")

    # The doctor schedules a free clinic in 欣虹社区; the resident registers through the
    # booking engine, and finds it among their bookings.
    starts = clock.at + timedelta(days=1)
    session = await schedule(doctor, await Team.get(id=key(team["id"])), starts)
    assert (session["status"], session["capacity"], session["free"]) == ("PLANNED", 30, 30)
    booking = (await resident.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]
    assert booking["status"] == "CONFIRMED" and booking["owner"] == "medical_teams"
    mine = await resident.data("{ myBookings { edges { node { id kind } } } }")
    assert {"id": booking["id"], "kind": "free_clinic"} in [
        e["node"] for e in mine["myBookings"]["edges"]
    ]

    # At the desk: the team's doctor sees who registered and checks the resident in; to the
    # other team's doctor the registration does not exist.
    clock.set(starts - timedelta(minutes=30))
    assert codes(await other_doctor.post(ATTENDEES, {"s": session["id"]})) == ["NOT_FOUND"]
    assert codes(await other_doctor.post(CHECK_IN, {"b": booking["id"]})) == ["NOT_FOUND"]
    desk = (await doctor.data(ATTENDEES, {"s": session["id"]}))["medicalSessionAttendees"]
    assert desk == [{"bookingId": booking["id"], "name": "王淑珍", "status": "CONFIRMED"}]
    seen = (await doctor.data(CHECK_IN, {"b": booking["id"]}))["checkInMedicalAttendee"]
    assert seen["status"] == "CHECKED_IN"

    # The doctor records the consultation, with a referral (the follow-up date defaults to the
    # district's follow_up_days).
    record = (await doctor.data(RECORD, {"i": {
        "bookingId": booking["id"], "specialty": "骨科", "notes": NOTES,
        "referral": REFERRAL}}))["recordMedicalConsultation"]  # fmt: skip
    today = (clock.at + timedelta(hours=8)).date()
    assert record["notes"] == NOTES and record["referral"] == REFERRAL
    assert record["followUpOn"] == (today + timedelta(days=30)).isoformat()
    assert (record["residentName"], record["doctorName"]) == ("王淑珍", "马丽华")

    # The resident sees it, in full.
    own = (await resident.data(NODE, {"id": record["id"]}))["node"]
    assert (own["notes"], own["referral"], own["specialty"]) == (NOTES, REFERRAL, "骨科")
    listed = (await resident.data(CONSULTATIONS))["medicalConsultations"]
    assert [e["node"]["id"] for e in listed["edges"]] == [record["id"]]

    # Nobody else does: the record answers exactly like an id that does not exist.
    missing = gid("MedicalConsultation", 2_000_000_000)
    for viewer in (other_doctor, grid_worker, community_worker, admin, city):
        assert await viewer.post(NODE, {"id": record["id"]}) == await viewer.post(
            NODE, {"id": missing}
        ) == {"data": {"node": None}}  # fmt: skip
        others = (await viewer.data(CONSULTATIONS))["medicalConsultations"]
        assert record["id"] not in [e["node"]["id"] for e in others["edges"]]
        refused = await viewer.post(OPEN_CASE, {"c": record["id"], "n": "HOME_VISIT"})
        assert refused == await viewer.post(OPEN_CASE, {"c": missing, "n": "HOME_VISIT"})
        assert codes(refused) == ["NOT_FOUND"]

    # Every read by the doctor is recorded (one row per health field read, with the role);
    # the resident's own reads are not.
    elder = (await Account.get(username=f"elder_{n}")).person_id
    doctor_account = (await Account.get(username=f"doctor_ours_{n}")).id
    reads = PersonalDataRead.filter(person_id=elder)
    before = await reads.count()
    await doctor.data(NODE, {"id": record["id"]})
    await doctor.data(CONSULTATIONS)
    fields = ["medical_follow_up_on", "medical_notes", "medical_referral", "medical_specialty"]
    found = await reads.offset(before).order_by("id").values("field", "role", "account_id")
    assert sorted(r["field"] for r in found) == sorted(fields * 2)
    assert {(r["role"], r["account_id"]) for r in found} == {("DOCTOR", doctor_account)}
    await resident.data(NODE, {"id": record["id"]})
    assert await reads.count() == before + 8

    # The referral becomes a case at the resident's home: category medical_follow_up, with no
    # health text, that the ladder routes to the health commission (卫健委).
    opened = (await doctor.data(OPEN_CASE, {"c": record["id"], "n": "HOME_VISIT"}))[
        "openMedicalFollowUpCase"
    ]
    case = opened["followUpCase"]
    assert (case["status"], case["level"], opened["followUpNeed"]) == ("REPORTED", "GRID",
                                                                       "HOME_VISIT")  # fmt: skip
    assert case["category"] == {"code": "medical_follow_up", "departmentCodes": ["weijian"]}
    assert case["title"] == "医疗服务队转介：居家上门随访"
    assert not _leaks(case["title"] + case["description"])
    again = await doctor.post(OPEN_CASE, {"c": record["id"], "n": "HOME_VISIT"})
    assert codes(again) == ["CONFLICT"]

    handled = (await grid_worker.data(CASE, {"id": case["id"]}))["node"]
    assert handled["title"] == case["title"], "the grid worker handles the case, not the record"
    up = (await grid_worker.data(ACT, {"i": {"caseId": case["id"], "version": handled["version"],
                                             "action": "ESCALATE"}}))["actOnCase"]  # fmt: skip
    up = (await community_worker.data(ACT, {"i": {"caseId": case["id"], "version": up["version"],
                                                  "action": "ESCALATE"}}))["actOnCase"]  # fmt: skip
    assert up["level"] == "DEPARTMENT"
    assert up["departments"] == [{"lead": True, "department": {"code": "weijian"}}]
    weijian = await Department.get(code="weijian")
    officer = await _user(city, admin, f"weijian_{n}", "卫健委干部", department=weijian.id)
    await city.data(GRANT, {"p": officer, "r": "DEPARTMENT_OFFICER",
                            "at": gid("Department", weijian.id)})  # fmt: skip
    health = await client.signed_in(f"weijian_{n}")
    accepted = (await health.data(ACT, {"i": {"caseId": case["id"], "version": up["version"],
                                              "action": "ACCEPT"}}))["actOnCase"]  # fmt: skip
    assert accepted["status"] == "ACCEPTED"
    assert (await health.data(NODE, {"id": record["id"]}))["node"] is None

    # The record follows its case through case events; the resident sees where it stands.
    assert await deliver(client) >= 4
    followed = (await resident.data(NODE, {"id": record["id"]}))["node"]
    assert followed["followUpStatus"] == "ACCEPTED"
    assert followed["followUpCase"] is None, "the case is its handlers' and its reporter's"
    assert (await doctor.data(NODE, {"id": record["id"]}))["node"]["followUpCase"] == {
        "id": case["id"]
    }

    # The district's figures: counts only.
    figures = (await admin.data(FIGURES, {"p": gid("District", gongnong.id),
                                          "f": today.isoformat(),
                                          "t": (today + timedelta(days=2)).isoformat()}))  # fmt: skip
    counted = figures["medicalFigures"]
    assert counted["consultations"] >= 1 and counted["referrals"] >= 1
    assert counted["followUpCases"] >= 1 and counted["peopleServed"] >= 1

    # Nothing of the health text is anywhere else: not in the audit log, security events,
    # case steps, figures or the server's log.
    audit = await AuditRecord.all().values("action", "target", "summary", "scope")
    security = await SecurityEvent.all().values_list("reason", flat=True)
    steps = await CaseStep.all().values_list("note", flat=True)
    cases = await Case.all().values_list("title", "description", "address")
    everywhere = json.dumps([audit, security, steps, cases, figures], ensure_ascii=False)
    assert not _leaks(everywhere)
    assert not _leaks(caplog.text)
    assert NOTES in json.dumps(own, ensure_ascii=False), "the markers are real text to look for"
    assert await Consultation.filter(notes=NOTES).count() == 1


async def test_two_hundred_simultaneous_registrations_for_fifty_places_confirm_fifty(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    session = await schedule(doctor, team, clock.at + timedelta(days=2), capacity=50)
    _, compound = await xinhong()
    n = next(_unique)
    await Person.bulk_create(
        [Person(name=f"义诊居民{n}-{i}", home_compound_id=compound.id,
                home_grid_id=compound.grid_id, home_community_id=compound.community_id,
                home_street_id=compound.street_id, home_district_id=compound.district_id)
         for i in range(200)]
    )  # fmt: skip
    people = await Person.filter(name__startswith=f"义诊居民{n}-").values_list("id", flat=True)
    await Account.bulk_create(
        [Account(username=f"clinic{n}_{p}", password_hash="-", person_id=p) for p in people]
    )
    accounts = await Account.filter(person_id__in=list(people)).values_list("id", flat=True)
    residents = [client.as_token(client.runtime.tokens.issue(a)[0]) for a in accounts]

    bodies = await asyncio.gather(*(r.post(REGISTER, {"s": session["id"]}) for r in residents))
    statuses = [b["data"]["registerForMedicalSession"]["status"] for b in bodies]
    assert statuses.count("CONFIRMED") == 50
    assert statuses.count("WAITLISTED") == 150, "the district keeps a waitlist by default"
    listed = await client.data(
        "query($id: ID!) { node(id: $id) { ... on MedicalSession { capacity free } } }",
        {"id": session["id"]},
    )
    assert listed["node"] == {"capacity": 50, "free": 0}
    slot = await Slot.get(id=(await Session.get(id=key(session["id"]))).slot_id)
    assert slot.confirmed == 50
