"""Free clinics and health-training sessions through GraphQL: scheduling rules, registration
through the booking engine (cut-off, waitlist, cancelBooking), the desk's check-in window,
closing with walk-ins and cancelling."""

from __future__ import annotations

from datetime import timedelta

from core.regions.models import Compound, District
from tests.access.probes import gid
from tests.medical_teams.support import (
    ATTENDEES,
    CANCEL,
    CHECK_IN,
    CLOSE,
    REGISTER,
    SCHEDULE,
    clock,
    doctor_on,
    person_with_login,
    schedule,
    team_in,
    xinhong,
)
from tests.support.api import codes

__all__ = ["clock"]


def _input(team, compound, starts, **changes) -> dict:
    found = {"teamId": gid("MedicalTeam", team.id), "kind": "FREE_CLINIC",
             "placeType": "SCHOOL", "placeName": "欣虹小学", "placeId": gid("Compound", compound.id),
             "startsAt": starts.isoformat(), "endsAt": (starts + timedelta(hours=2)).isoformat(),
             "specialties": ["儿科", "眼科", "儿科"]}  # fmt: skip
    return {"i": {**found, **changes}}


async def test_scheduling_rules(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    _, compound = await xinhong()
    starts = clock.at + timedelta(days=3)

    made = (await doctor.data(SCHEDULE, _input(team, compound, starts)))["scheduleMedicalSession"]
    assert made["specialties"] == ["儿科", "眼科"], "each once, in order"
    assert made["capacity"] == 50, "the district's clinic_capacity by default"
    assert (made["title"], made["placeType"], made["status"]) == (
        "欣虹小学义诊",
        "SCHOOL",
        "PLANNED",
    )
    training = await doctor.data(
        SCHEDULE, _input(team, compound, starts, kind="HEALTH_TRAINING", specialties=[],
                         placeType="FACTORY", placeName="鹤岗矿业选煤厂", title="职业病防护讲座")
    )  # fmt: skip
    assert training["scheduleMedicalSession"]["title"] == "职业病防护讲座"

    for changes, argument in (
        ({"startsAt": (clock.at - timedelta(hours=1)).isoformat()}, "startsAt"),
        ({"endsAt": (starts + timedelta(hours=13)).isoformat()}, "endsAt"),
        ({"specialties": []}, "specialties"),
        ({"capacity": 0}, "capacity"),
        ({"placeName": " "}, "placeName"),
    ):
        body = await doctor.post(SCHEDULE, _input(team, compound, starts, **changes))
        assert codes(body) == ["BAD_USER_INPUT"], changes
        assert body["errors"][0]["extensions"]["argument"] == argument
    nanshan = await Compound.filter(district_id=(await District.get(code="nanshan")).id).first()
    elsewhere = await doctor.post(SCHEDULE, _input(team, nanshan, starts))
    assert codes(elsewhere) == ["BAD_USER_INPUT"], "a team serves its own district"

    grid_worker = await client.signed_in("xinhong_grid1")
    assert codes(await grid_worker.post(SCHEDULE, _input(team, compound, starts))) == ["FORBIDDEN"]
    admin = await client.signed_in("gongnong_admin")
    assert (await admin.data(SCHEDULE, _input(team, compound, starts)))["scheduleMedicalSession"]


async def test_registration_cut_off_waitlist_and_cancel_booking(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    starts = clock.at + timedelta(days=2)
    session = await schedule(doctor, team, starts, capacity=1)
    _, compound = await xinhong()
    first, _ = await person_with_login(client, "张大爷", compound)
    second, _ = await person_with_login(client, "刘大妈", compound)
    one = (await first.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]
    two = (await second.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]
    assert (one["status"], two["status"]) == ("CONFIRMED", "WAITLISTED")
    assert codes(await first.post(REGISTER, {"s": session["id"]})) == ["CONFLICT"]

    # Core's cancelBooking frees the place, and the first waiting resident gets it.
    await first.data(
        "mutation($b: ID!) { cancelBooking(bookingId: $b) { status } }", {"b": one["id"]}
    )
    mine = await second.data("{ myBookings { edges { node { id status } } } }")
    assert {"id": two["id"], "status": "CONFIRMED"} in [
        e["node"] for e in mine["myBookings"]["edges"]
    ]

    clock.set(starts - timedelta(minutes=59))  # the district's cut-off: 60 minutes
    late, _ = await person_with_login(client, "迟到的人", compound)
    body = await late.post(REGISTER, {"s": session["id"]})
    assert codes(body) == ["BAD_USER_INPUT"] and "closedAt" in body["errors"][0]["extensions"]


async def test_the_desk_checks_in_from_two_hours_before_and_closes_with_walk_ins(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    starts = clock.at + timedelta(days=1)
    session = await schedule(doctor, team, starts, capacity=1)
    _, compound = await xinhong()
    resident, _ = await person_with_login(client, "王奶奶", compound)
    waiting, _ = await person_with_login(client, "赵爷爷", compound)
    booking = (await resident.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]
    queued = (await waiting.data(REGISTER, {"s": session["id"]}))["registerForMedicalSession"]

    clock.set(starts - timedelta(hours=3))
    early = await doctor.post(CHECK_IN, {"b": booking["id"]})
    assert codes(early) == ["BAD_USER_INPUT"] and "opensAt" in early["errors"][0]["extensions"]
    assert codes(await doctor.post(CLOSE, {"s": session["id"], "v": 1, "w": 3})) == [
        "BAD_USER_INPUT"
    ], "closed once it started"

    clock.set(starts - timedelta(hours=1))
    assert (await doctor.data(CHECK_IN, {"b": booking["id"]}))["checkInMedicalAttendee"][
        "status"
    ] == "CHECKED_IN"
    assert codes(await doctor.post(CHECK_IN, {"b": booking["id"]})) == ["BAD_USER_INPUT"]
    assert codes(await doctor.post(CHECK_IN, {"b": queued["id"]})) == ["BAD_USER_INPUT"]
    desk = (await doctor.data(ATTENDEES, {"s": session["id"]}))["medicalSessionAttendees"]
    assert [a["status"] for a in desk] == ["CHECKED_IN", "WAITLISTED"]
    resident_view = await resident.post(ATTENDEES, {"s": session["id"]})
    assert codes(resident_view) == ["NOT_FOUND"], "the desk is the team's"

    clock.set(starts + timedelta(hours=2))
    held = (await doctor.data(CLOSE, {"s": session["id"], "v": session["version"], "w": 12}))[
        "closeMedicalSession"
    ]
    assert (held["status"], held["walkIns"], held["peopleServed"]) == ("HELD", 12, 13)
    stale = await doctor.post(CLOSE, {"s": session["id"], "v": session["version"], "w": 20})
    assert codes(stale) == ["CONFLICT"]
    again = await doctor.data(CLOSE, {"s": session["id"], "v": held["version"], "w": 20})
    assert again["closeMedicalSession"]["peopleServed"] == 21, "walk-ins corrected"
    assert codes(await doctor.post(CHECK_IN, {"b": queued["id"]})) == ["BAD_USER_INPUT"]


async def test_cancelling_a_session_cancels_its_registrations(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    session = await schedule(doctor, team, clock.at + timedelta(days=5), capacity=1)
    _, compound = await xinhong()
    residents = [(await person_with_login(client, f"居民{i}", compound))[0] for i in range(2)]
    for resident in residents:
        await resident.data(REGISTER, {"s": session["id"]})
    cancelled = (await doctor.data(CANCEL, {"s": session["id"], "v": session["version"]}))[
        "cancelMedicalSession"
    ]
    assert (cancelled["status"], cancelled["free"]) == ("CANCELLED", 1)
    for resident in residents:
        mine = await resident.data("{ myBookings(active: false) { edges { node { status } } } }")
        assert [e["node"]["status"] for e in mine["myBookings"]["edges"]] == ["CANCELLED"]
    assert codes(await residents[0].post(REGISTER, {"s": session["id"]})) == ["BAD_USER_INPUT"]
    again = await doctor.post(CANCEL, {"s": session["id"], "v": cancelled["version"]})
    assert codes(again) == ["BAD_USER_INPUT"]


async def test_sessions_are_public_and_filtered(api, clock):
    client = await api()
    team = await team_in()
    doctor, _ = await doctor_on(client, team)
    clinic = await schedule(doctor, team, clock.at + timedelta(days=4))
    training = await schedule(doctor, team, clock.at + timedelta(days=4), kind="HEALTH_TRAINING",
                              place_type="FACTORY")  # fmt: skip
    found = await client.data(
        "query($t: ID!) { medicalSessions(teamId: $t, kind: HEALTH_TRAINING) { totalCount edges { node { id placeType team { name } } } } }",
        {"t": gid("MedicalTeam", team.id)},
    )
    assert found["medicalSessions"]["totalCount"] == 1
    assert found["medicalSessions"]["edges"][0]["node"]["id"] == training["id"]
    by_place = await client.data(
        "query($t: ID!) { medicalSessions(teamId: $t, placeType: COMMUNITY) { edges { node { id } } } }",
        {"t": gid("MedicalTeam", team.id)},
    )
    assert [e["node"]["id"] for e in by_place["medicalSessions"]["edges"]] == [clinic["id"]]
    teams = await client.data(
        "query($t: ID!) { node(id: $t) { ... on MedicalTeam { name hospital members { name specialty } district { code } } } }",
        {"t": gid("MedicalTeam", team.id)},
    )
    assert teams["node"]["members"] == [{"name": "张医生", "specialty": "内科"}]
    assert teams["node"]["district"] == {"code": "gongnong"}
