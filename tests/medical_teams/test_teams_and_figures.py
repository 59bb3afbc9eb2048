"""Teams, visiting experts and the figures through GraphQL. The figures test stands in March
2031, a month no other test uses, so its counts are exact."""

from __future__ import annotations

from datetime import UTC, datetime

from core.access.models import RoleGrant
from core.regions.models import District, Street
from tests.access.probes import gid
from tests.medical_teams.support import (
    CHECK_IN,
    CLOSE,
    CREATE_TEAM,
    EXPERT,
    FIGURES,
    RECORD,
    REGISTER,
    SET_MEMBERS,
    clock,
    doctor_on,
    person_with_login,
    schedule,
    team_in,
    xinhong,
)
from tests.support.api import codes

__all__ = ["clock"]
UPDATE_TEAM = """mutation($i: UpdateMedicalTeamInput!) { updateMedicalTeam(input: $i) {
  id version name hospital active } }"""
DASHBOARD = (
    """query($c: String!) { district(code: $c) { stats(period: "2031-03") { key value } } }"""
)
UPDATE_EXPERT = """mutation($i: UpdateMedicalExpertVisitInput!) { updateMedicalExpertVisit(input: $i) {
  version consultations surgeries surgeriesByCategory { category count } } }"""


async def test_teams_are_made_and_changed_by_their_district_admins(api, clock):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    gongnong, nanshan = await District.get(code="gongnong"), await District.get(code="nanshan")
    made = (await admin.data(CREATE_TEAM, {"i": {"districtId": gid("District", gongnong.id),
            "name": "工农区妇幼保健院党员医疗服务队", "hospital": "工农区妇幼保健院"}}))  # fmt: skip
    team = made["createMedicalTeam"]
    assert (team["active"], team["members"]) == (True, [])
    twice = await admin.post(CREATE_TEAM, {"i": {"districtId": gid("District", gongnong.id),
                             "name": team["name"], "hospital": "别的医院"}})  # fmt: skip
    assert codes(twice) == ["CONFLICT"]
    elsewhere = await admin.post(CREATE_TEAM, {"i": {"districtId": gid("District", nanshan.id),
                                 "name": "南山队", "hospital": "南山医院"}})  # fmt: skip
    assert codes(elsewhere) == ["FORBIDDEN"]

    changed = (await admin.data(UPDATE_TEAM, {"i": {"teamId": team["id"], "version": 1,
               "active": False}}))["updateMedicalTeam"]  # fmt: skip
    assert (changed["active"], changed["version"]) == (False, 2)
    stale = await admin.post(UPDATE_TEAM, {"i": {"teamId": team["id"], "version": 1,
                             "hospital": "x"}})  # fmt: skip
    assert codes(stale) == ["CONFLICT"]

    # Members hold DOCTOR in the team's district; an inactive team schedules nothing.
    _, ours = await person_with_login(client, "周医生")
    _, theirs = await person_with_login(client, "吴医生")
    await RoleGrant.create(person_id=ours, role="DOCTOR", level="district",
                           district_id=gongnong.id)  # fmt: skip
    await RoleGrant.create(person_id=theirs, role="DOCTOR", level="district",
                           district_id=nanshan.id)  # fmt: skip
    members = [{"personId": gid("Person", ours), "specialty": "妇科", "leader": True}]
    set_ = await admin.data(SET_MEMBERS, {"t": team["id"], "v": 2, "m": members})
    assert set_["setMedicalTeamMembers"]["members"] == [{"personId": gid("Person", ours),
        "name": "周医生", "specialty": "妇科", "leader": True}]  # fmt: skip
    wrong = [*members, {"personId": gid("Person", theirs), "specialty": "儿科"}]
    assert codes(await admin.post(SET_MEMBERS, {"t": team["id"], "v": 3, "m": wrong})) == [
        "BAD_USER_INPUT"
    ]
    assert codes(await admin.post(SET_MEMBERS, {"t": team["id"], "v": 3, "m": members * 2})) == [
        "BAD_USER_INPUT"
    ]
    listed = await client.data(
        "query($d: ID!) { medicalTeams(districtId: $d, active: false) { edges { node { id } } } }",
        {"d": gid("District", gongnong.id)},
    )
    assert team["id"] in [e["node"]["id"] for e in listed["medicalTeams"]["edges"]]


async def test_expert_visits_keep_counts_and_categories(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    visit = (await doctor.data(EXPERT, {"i": {
        "teamId": gid("MedicalTeam", team.id), "expertName": "郑教授", "expertTitle": "主任医师",
        "homeHospital": "哈尔滨医科大学附属第一医院", "specialty": "骨科", "startsOn": "2026-10-10",
        "endsOn": "2026-10-12", "consultations": 60,
        "surgeries": [{"category": "膝关节置换术", "count": 4},
                      {"category": "脊柱微创手术", "count": 2}]}}))["recordMedicalExpertVisit"]  # fmt: skip
    assert (visit["surgeries"], visit["consultations"]) == (6, 60)
    updated = (await doctor.data(UPDATE_EXPERT, {"i": {"visitId": visit["id"], "version": 1,
               "consultations": 85, "surgeries": [{"category": "膝关节置换术", "count": 7}]}}))  # fmt: skip
    assert updated["updateMedicalExpertVisit"] == {
        "version": 2, "consultations": 85, "surgeries": 7,
        "surgeriesByCategory": [{"category": "膝关节置换术", "count": 7}],
    }  # fmt: skip
    for changes in (
        {"endsOn": "2026-10-01"},
        {"surgeries": [{"category": "x", "count": 1}, {"category": "x", "count": 2}]},
        {"surgeries": [{"category": "x", "count": 0}]},
        {"consultations": -1},
    ):
        body = await doctor.post(UPDATE_EXPERT, {"i": {"visitId": visit["id"], "version": 2,
                                                       **changes}})  # fmt: skip
        assert codes(body) == ["BAD_USER_INPUT"], changes
    public = await client.data(
        "query($t: ID!) { medicalExpertVisits(teamId: $t) { edges { node { expertName surgeries } } } }",
        {"t": gid("MedicalTeam", team.id)},
    )
    assert public["medicalExpertVisits"]["edges"] == [
        {"node": {"expertName": "郑教授", "surgeries": 7}}
    ]


async def test_figures_count_sessions_people_consultations_and_experts(api, clock):
    clock.set(datetime(2031, 3, 1, 0, 0, tzinfo=UTC))
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    street_officer = await client.signed_in("hongqi_officer")
    grid_worker = await client.signed_in("xinhong_grid1")
    community, compound = await xinhong()
    street = await Street.get(id=community.street_id)
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    clinic = await schedule(doctor, team, datetime(2031, 3, 5, 1, tzinfo=UTC))
    school = await schedule(doctor, team, datetime(2031, 3, 6, 1, tzinfo=UTC),
                            kind="HEALTH_TRAINING", place_type="SCHOOL")  # fmt: skip
    dropped = await schedule(doctor, team, datetime(2031, 3, 7, 1, tzinfo=UTC))
    await doctor.data("mutation($s: ID!) { cancelMedicalSession(sessionId: $s, version: 1) { id } }",
                      {"s": dropped["id"]})  # fmt: skip
    residents = [(await person_with_login(client, f"居民{i}", compound))[0] for i in range(3)]
    bookings = [
        (await r.data(REGISTER, {"s": clinic["id"]}))["registerForMedicalSession"]["id"]
        for r in residents
    ]
    clock.set(datetime(2031, 3, 5, 1, 30, tzinfo=UTC))
    for booking in bookings[:2]:
        await doctor.data(CHECK_IN, {"b": booking})
    await doctor.data(RECORD, {"i": {"bookingId": bookings[0], "specialty": "内科",
                                     "referral": "心内科"}})  # fmt: skip
    await doctor.data(RECORD, {"i": {"bookingId": bookings[1], "specialty": "眼科"}})
    await doctor.data(CLOSE, {"s": clinic["id"], "v": 1, "w": 10})
    clock.set(datetime(2031, 3, 6, 4, tzinfo=UTC))
    await doctor.data(CLOSE, {"s": school["id"], "v": 1, "w": 40})
    await doctor.data(EXPERT, {"i": {
        "teamId": gid("MedicalTeam", team.id), "expertName": "冯主任", "homeHospital": "黑龙江省医院",
        "specialty": "眼科", "startsOn": "2031-03-10", "endsOn": "2031-03-11", "consultations": 30,
        "surgeries": [{"category": "白内障超声乳化术", "count": 9}]}})  # fmt: skip

    period = {"f": "2031-03-01", "t": "2031-04-01"}
    found = (await admin.data(FIGURES, {"p": gid("District", community.district_id), **period}))[
        "medicalFigures"
    ]
    assert found == {
        "sessions": 2,
        "sessionsByKind": [
            {"kind": "FREE_CLINIC", "placeType": "COMMUNITY", "sessions": 1, "peopleServed": 12},
            {"kind": "HEALTH_TRAINING", "placeType": "SCHOOL", "sessions": 1, "peopleServed": 40},
        ],
        "peopleServed": 52, "teamsActive": 1, "consultations": 2, "referrals": 1,
        "followUpCases": 0, "followUpsResolved": 0,
        "experts": {"visits": 1, "experts": 1, "consultations": 30, "surgeries": 9,
                    "surgeriesByCategory": [{"category": "白内障超声乳化术", "count": 9}]},
    }  # fmt: skip
    by_street = await street_officer.data(FIGURES, {"p": gid("Street", street.id), **period})
    assert by_street["medicalFigures"]["peopleServed"] == 52
    assert by_street["medicalFigures"]["experts"] is None
    refused = await grid_worker.post(FIGURES, {"p": gid("Community", community.id), **period})
    assert codes(refused) == ["FORBIDDEN"]
    refused = await street_officer.post(
        FIGURES, {"p": gid("District", community.district_id), **period}
    )
    assert codes(refused) == ["FORBIDDEN"]
    backwards = await admin.post(FIGURES, {"p": gid("District", community.district_id),
                                           "f": "2031-04-01", "t": "2031-03-01"})  # fmt: skip
    assert codes(backwards) == ["BAD_USER_INPUT"]

    # The same counts on the core dashboards, where the module is on; none where it is off.
    district = await admin.data(DASHBOARD, {"c": "gongnong"})
    shown = {s["key"]: s["value"] for s in district["district"]["stats"]}
    assert {k: v for k, v in shown.items() if k.startswith("medical_teams.")} == {
        "medical_teams.sessions": 2, "medical_teams.people_served": 52,
        "medical_teams.expert_visits": 1, "medical_teams.surgeries": 9,
    }  # fmt: skip
    city = await client.signed_in("city_admin")
    off = await city.data(DASHBOARD, {"c": "xingshan"})
    assert not [s for s in off["district"]["stats"] if s["key"].startswith("medical_teams.")]
