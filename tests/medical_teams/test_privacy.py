"""Health data stays with the resident and the treating team's doctors: a doctor who lost the
DOCTOR role or left the team no longer sees the team's records, reads are recorded, and no text
of a record reaches error messages, security events, the server's log or the figures."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from core.access.models import Account, AuditRecord, PersonalDataRead, RoleGrant, SecurityEvent
from core.regions.models import District
from plugins.medical_teams.models import TeamMember
from tests.access.probes import gid
from tests.medical_teams.support import (
    CONSULTATIONS,
    FIGURES,
    NODE,
    RECORD,
    SET_MEMBERS,
    clock,
    doctor_on,
    person_with_login,
    seen,
    team_in,
    xinhong,
)
from tests.support.api import codes

__all__ = ["clock"]
SECRET = "梅毒螺旋体抗体阳性，需复查"


async def _ids(client, document=CONSULTATIONS) -> list[str]:
    found = await client.data(document)
    return [e["node"]["id"] for e in found["medicalConsultations"]["edges"]]


async def test_a_doctor_who_loses_the_role_or_leaves_the_team_no_longer_sees_its_records(
    api, clock
):
    client = await api()
    scene = await seen(client, clock, notes=SECRET)
    record = scene.record["id"]
    colleague, colleague_id = await doctor_on(client, scene.team, name="韩医生")
    assert record in await _ids(colleague)
    assert (await colleague.data(NODE, {"id": record}))["node"]["notes"] == SECRET

    # Without DOCTOR in the district the record is gone for them, though still on the list.
    await RoleGrant.filter(person_id=colleague_id, role="DOCTOR").delete()
    reads = await PersonalDataRead.filter(person_id=scene.resident_id).count()
    assert (await colleague.data(NODE, {"id": record}))["node"] is None
    assert record not in await _ids(colleague)
    assert await PersonalDataRead.filter(person_id=scene.resident_id).count() == reads
    # Holding DOCTOR in another district does not bring it back.
    nanshan = await District.get(code="nanshan")
    await RoleGrant.create(person_id=colleague_id, role="DOCTOR", level="district",
                           district_id=nanshan.id)  # fmt: skip
    assert (await colleague.data(NODE, {"id": record}))["node"] is None
    assert record not in await _ids(colleague)

    # Off the team, the doctor who wrote it no longer sees it either; the resident always does.
    await TeamMember.filter(team_id=scene.team.id, person_id=scene.doctor_id).delete()
    assert (await scene.doctor.data(NODE, {"id": record}))["node"] is None
    assert record not in await _ids(scene.doctor)
    assert (await scene.resident.data(NODE, {"id": record}))["node"]["notes"] == SECRET


async def test_reads_are_recorded_per_field_and_null_fields_record_nothing(api, clock):
    client = await api()
    scene = await seen(client, clock, notes=SECRET)
    reads = PersonalDataRead.filter(person_id=scene.resident_id)
    before = await reads.count()
    await scene.doctor.data(
        "query($id: ID!) { node(id: $id) { ... on MedicalConsultation { id createdAt residentName notes } } }",
        {"id": scene.record["id"]},
    )
    assert await reads.offset(before).values_list("field", "role") == [("medical_notes", "DOCTOR")]
    # No referral: the null fields are not "read".
    await scene.doctor.data(
        "query($id: ID!) { node(id: $id) { ... on MedicalConsultation { referral followUpOn followUpNeed followUpStatus } } }",
        {"id": scene.record["id"]},
    )
    assert await reads.count() == before + 1


async def test_no_text_of_a_record_reaches_errors_events_logs_or_figures(api, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="hemei")
    caplog.set_level(logging.INFO)
    client = await api()
    scene = await seen(client, clock, notes=SECRET, referral=f"{SECRET}，转皮肤科")
    assert scene.record["referral"].startswith(SECRET)

    # A refused write echoes nothing it was given.
    too_long = await scene.doctor.post(
        RECORD, {"i": {"bookingId": scene.booking, "specialty": "皮肤科", "notes": SECRET * 200}}
    )
    assert codes(too_long) == ["BAD_USER_INPUT"]
    bad_date = await scene.doctor.post(
        RECORD, {"i": {"bookingId": scene.booking, "specialty": SECRET * 3, "notes": SECRET}}
    )
    assert codes(bad_date) == ["BAD_USER_INPUT"]
    stranger, _ = await person_with_login(client, "路人")
    refused = await stranger.post(
        RECORD, {"i": {"bookingId": scene.booking, "specialty": "内科", "notes": SECRET}}
    )
    assert codes(refused) == ["NOT_FOUND"]
    opened = await scene.doctor.data(
        "mutation($c: ID!) { openMedicalFollowUpCase(consultationId: $c, need: FAMILY_DOCTOR) { followUpCase { title description } } }",
        {"c": scene.record["id"]},
    )
    case = opened["openMedicalFollowUpCase"]["followUpCase"]
    assert SECRET not in case["title"] + case["description"]

    community, _ = await xinhong()
    admin = await client.signed_in("gongnong_admin")
    today = (clock.at + timedelta(hours=8)).date()
    period = {"f": (today - timedelta(days=3)).isoformat(),
              "t": (today + timedelta(days=3)).isoformat()}  # fmt: skip
    district = await admin.data(FIGURES, {"p": gid("District", community.district_id), **period})
    mine = await admin.data(FIGURES, {"p": gid("Community", community.id), **period})
    assert mine["medicalFigures"]["experts"] is None, "expert visits belong to a district"
    assert mine["medicalFigures"]["referrals"] >= 1

    for text in (
        json.dumps([too_long, bad_date, refused, district, mine], ensure_ascii=False),
        json.dumps(await SecurityEvent.all().values_list("reason", flat=True), ensure_ascii=False),
        json.dumps(await AuditRecord.all().values("target", "summary"), ensure_ascii=False),
        caplog.text,
    ):
        assert SECRET not in text and "梅毒" not in text


async def test_managers_put_doctors_on_teams_but_never_themselves(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    team = await team_in()
    account = await Account.get(username="gongnong_admin")
    myself = gid("Person", account.person_id)
    await RoleGrant.create(person_id=account.person_id, role="DOCTOR", level="district",
                           district_id=team.district_id)  # fmt: skip
    body = await admin.post(SET_MEMBERS, {"t": gid("MedicalTeam", team.id), "v": 1, "m": [
        {"personId": myself, "specialty": "内科"}]})  # fmt: skip
    assert codes(body) == ["FORBIDDEN"]
    _, layman = await person_with_login(client, "没有执业的人")
    body = await admin.post(SET_MEMBERS, {"t": gid("MedicalTeam", team.id), "v": 1, "m": [
        {"personId": gid("Person", layman), "specialty": "内科"}]})  # fmt: skip
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["personId"] == gid("Person", layman)
    await RoleGrant.filter(person_id=account.person_id, role="DOCTOR").delete()
