"""Probes of the medical_teams module's root operations (see tests/access/probes.py).

A target team belongs to the district of the compound at the relation, a target session sits in
that compound, and registrations and consultation records are the target person's. Probes undo
what they create."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.booking.models import Booking, Offering, Slot
from core.cases.models import Case
from plugins.medical_teams.models import Consultation, ExpertVisit, Session, Team, TeamMember
from tests.access.probes import Probe, _drop_case, gid, ok

_unique = itertools.count()


async def new_team(p: Probe, relation: str) -> Team:
    district = p.target(relation).compound.district_id
    return await Team.create(
        district_id=district, name=f"探针医疗队{next(_unique)}", hospital="探针医院"
    )


async def drop_team(team_id: int) -> None:
    for record in await Consultation.filter(team_id=team_id):
        if record.case_id is not None and (case := await Case.filter(id=record.case_id).first()):
            await record.delete()
            await _drop_case(case)
    await Consultation.filter(team_id=team_id).delete()
    for session in await Session.filter(team_id=team_id):
        await session.delete()
        await Booking.filter(slot_id=session.slot_id).delete()
        await Slot.filter(id=session.slot_id).delete()
        await Offering.filter(id=session.offering_id).delete()
    await ExpertVisit.filter(team_id=team_id).delete()
    await TeamMember.filter(team_id=team_id).delete()
    await Team.filter(id=team_id).delete()


@asynccontextmanager
async def team_at(p: Probe, relation: str) -> AsyncIterator[Team]:
    team = await new_team(p, relation)
    try:
        yield team
    finally:
        await drop_team(team.id)


@dataclass
class Scene:
    team: Team
    session: Session
    booking: Booking | None = None
    record: Consultation | None = None


@asynccontextmanager
async def scene_at(
    p: Probe, relation: str, *, starts_in: timedelta = timedelta(days=2),
    booking: str | None = None, record: bool = False,
) -> AsyncIterator[Scene]:  # fmt: skip
    """A team with a session in the compound at the relation; with ``booking``, the target
    person's registration in that status; with ``record``, their consultation record."""
    async with team_at(p, relation) as team:
        compound = p.target(relation).compound
        place = {"district_id": compound.district_id, "street_id": compound.street_id,
                 "community_id": compound.community_id}  # fmt: skip
        start = datetime.now(UTC) + starts_in
        offering = await Offering.create(owner="medical_teams", kind="free_clinic",
                                         title="探针义诊", per_person_limit=1, **place)  # fmt: skip
        slot = await Slot.create(offering_id=offering.id, starts_at=start,
                                 ends_at=start + timedelta(hours=3), capacity=10)  # fmt: skip
        session = await Session.create(
            team_id=team.id, kind="FREE_CLINIC", place_type="COMMUNITY", place_name="探针站",
            title="探针义诊", specialties=["内科"], starts_at=start, ends_at=slot.ends_at,
            compound_id=compound.id, offering_id=offering.id, slot_id=slot.id, **place,
        )  # fmt: skip
        found = Scene(team, session)
        if booking is not None:
            found.booking = await Booking.create(
                slot_id=slot.id, person_id=p.target(relation).person, offering_id=offering.id,
                status=booking,
            )  # fmt: skip
            await Slot.filter(id=slot.id).update(confirmed=1)
        if record:
            assert found.booking is not None
            found.record = await Consultation.create(
                team_id=team.id, session_id=session.id, booking_id=found.booking.id,
                person_id=found.booking.person_id, doctor_id=found.booking.person_id,
                specialty="内科", notes="探针", referral="探针转介", **place,
            )  # fmt: skip
        yield found


async def medical_consultations(p: Probe, relation: str) -> bool:
    async with scene_at(p, relation, booking="CHECKED_IN", record=True) as scene:
        assert scene.record is not None
        body = await p.client.post("{ medicalConsultations(first: 100) { edges { node { id } } } }")
        return ok(body) and any(
            e["node"]["id"] == gid("MedicalConsultation", scene.record.id)
            for e in body["data"]["medicalConsultations"]["edges"]
        )


async def medical_session_attendees(p: Probe, relation: str) -> bool:
    async with scene_at(p, relation, booking="CONFIRMED") as scene:
        body = await p.client.post(
            "query($s: ID!) { medicalSessionAttendees(sessionId: $s) { bookingId } }",
            {"s": gid("MedicalSession", scene.session.id)},
        )
        return ok(body) and bool(body["data"]["medicalSessionAttendees"])


async def medical_figures(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'query($c: ID!) { medicalFigures(placeId: $c, from: "2026-01-01", to: "2027-01-01") { sessions } }',
        {"c": gid("Community", p.target(relation).grid.community_id)},
    )
    return ok(body) and body["data"]["medicalFigures"] is not None


async def create_medical_team(p: Probe, relation: str) -> bool:
    name = f"探针新队{next(_unique)}"
    body = await p.client.post(
        'mutation($d: ID!, $n: String!) { createMedicalTeam(input: {districtId: $d, name: $n, hospital: "探针医院"}) { id } }',
        {"d": gid("District", p.target(relation).compound.district_id), "n": name},
    )
    for team in await Team.filter(name=name):
        await drop_team(team.id)
    return ok(body)


def _on_team(document: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        async with team_at(p, relation) as team:
            return ok(await p.client.post(document, {"t": gid("MedicalTeam", team.id)}))

    return probe


async def schedule_medical_session(p: Probe, relation: str) -> bool:
    start = datetime.now(UTC) + timedelta(days=3)
    async with team_at(p, relation) as team:
        body = await p.client.post(
            "mutation($i: ScheduleMedicalSessionInput!) { scheduleMedicalSession(input: $i) { id } }",
            {"i": {"teamId": gid("MedicalTeam", team.id), "kind": "FREE_CLINIC",
                   "placeType": "SCHOOL", "placeName": "探针小学",
                   "placeId": gid("Compound", p.target(relation).compound.id),
                   "startsAt": start.isoformat(),
                   "endsAt": (start + timedelta(hours=2)).isoformat(), "specialties": ["儿科"]}},
        )  # fmt: skip
        return ok(body)


def _on_session(
    document: str, *, starts_in: timedelta = timedelta(days=2), booking: str | None = None,
    record: bool = False,
) -> Callable[[Probe, str], Awaitable[bool]]:  # fmt: skip
    async def probe(p: Probe, relation: str) -> bool:
        async with scene_at(p, relation, starts_in=starts_in, booking=booking,
                            record=record) as scene:  # fmt: skip
            variables = {"s": gid("MedicalSession", scene.session.id)}
            if scene.booking is not None:
                variables["b"] = gid("Booking", scene.booking.id)
            if scene.record is not None:
                variables["c"] = gid("MedicalConsultation", scene.record.id)
            return ok(await p.client.post(document, variables))

    return probe


def _on_visit(document: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        async with team_at(p, relation) as team:
            visit = await ExpertVisit.create(
                team_id=team.id, district_id=team.district_id, expert_name="探针专家",
                home_hospital="探针省医院", specialty="骨科", starts_on=date(2026, 6, 1),
                ends_on=date(2026, 6, 2),
            )  # fmt: skip
            return ok(await p.client.post(document, {"v": gid("MedicalExpertVisit", visit.id)}))

    return probe


def answers(query: str, key: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        body = await p.client.post(query)
        return ok(body) and body["data"][key] is not None

    return probe


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "medicalTeams": answers("{ medicalTeams(first: 1) { totalCount } }", "medicalTeams"),
    "medicalSessions": answers("{ medicalSessions(first: 1) { totalCount } }", "medicalSessions"),
    "medicalExpertVisits": answers(
        "{ medicalExpertVisits(first: 1) { totalCount } }", "medicalExpertVisits"
    ),
    "medicalConsultations": medical_consultations,
    "medicalSessionAttendees": medical_session_attendees,
    "medicalFigures": medical_figures,
    "createMedicalTeam": create_medical_team,
    "updateMedicalTeam": _on_team(
        'mutation($t: ID!) { updateMedicalTeam(input: {teamId: $t, version: 1, hospital: "探针二院"}) { id } }'
    ),
    "setMedicalTeamMembers": _on_team(
        "mutation($t: ID!) { setMedicalTeamMembers(teamId: $t, version: 1, members: []) { id } }"
    ),
    "scheduleMedicalSession": schedule_medical_session,
    "cancelMedicalSession": _on_session(
        "mutation($s: ID!) { cancelMedicalSession(sessionId: $s, version: 1) { status } }"
    ),
    "closeMedicalSession": _on_session(
        "mutation($s: ID!) { closeMedicalSession(sessionId: $s, version: 1, walkIns: 3) { status } }",
        starts_in=timedelta(hours=-1),
    ),
    "registerForMedicalSession": _on_session(
        "mutation($s: ID!) { registerForMedicalSession(sessionId: $s) { status } }"
    ),
    "checkInMedicalAttendee": _on_session(
        "mutation($b: ID!) { checkInMedicalAttendee(bookingId: $b) { status } }",
        starts_in=timedelta(minutes=30),
        booking="CONFIRMED",
    ),
    "recordMedicalConsultation": _on_session(
        'mutation($b: ID!) { recordMedicalConsultation(input: {bookingId: $b, specialty: "内科"}) { id } }',
        starts_in=timedelta(minutes=-30),
        booking="CHECKED_IN",
    ),
    "openMedicalFollowUpCase": _on_session(
        "mutation($c: ID!) { openMedicalFollowUpCase(consultationId: $c, need: HOME_VISIT) { id } }",
        starts_in=timedelta(minutes=-30),
        booking="CHECKED_IN",
        record=True,
    ),
    "recordMedicalExpertVisit": _on_team(
        'mutation($t: ID!) { recordMedicalExpertVisit(input: {teamId: $t, expertName: "探针专家", homeHospital: "探针省医院", specialty: "眼科", startsOn: "2026-06-01", endsOn: "2026-06-03", consultations: 10, surgeries: [{category: "白内障手术", count: 2}]}) { id } }'
    ),
    "updateMedicalExpertVisit": _on_visit(
        "mutation($v: ID!) { updateMedicalExpertVisit(input: {visitId: $v, version: 1, consultations: 20}) { id } }"
    ),
}
