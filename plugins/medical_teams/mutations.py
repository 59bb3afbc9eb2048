"""Root mutations of the module. Each runs in the mutation's one transaction, checks the module
switch at the place it writes to before writing, and tells the audit log what it was about —
never any health data: consultation mutations name only the record's id."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from core import BookingStatus, CaseService
from plugins.medical_teams import consultations, experts, places, sessions, teams
from plugins.medical_teams.consultations import Details, FollowUpNeed
from plugins.medical_teams.experts import VisitDetails
from plugins.medical_teams.inputs import (
    CreateMedicalTeamInput,
    MedicalTeamMemberInput,
    RecordMedicalConsultationInput,
    RecordMedicalExpertVisitInput,
    ScheduleMedicalSessionInput,
    SurgeryCountInput,
    UpdateMedicalExpertVisitInput,
    UpdateMedicalTeamInput,
)
from plugins.medical_teams.models import Session
from plugins.medical_teams.places import ensure_on, local_day, place_row, settings_at, zone
from plugins.medical_teams.sessions import SessionPlan
from plugins.medical_teams.types import (
    CONSULTATION,
    SESSION,
    TEAM,
    VISIT,
    MedicalAttendee,
    MedicalConsultation,
    MedicalExpertVisit,
    MedicalSession,
    MedicalTeam,
    names,
)
from schema import BOOKING, Booking, Context, IsAuthenticated, by_id, global_id, key_of


def _surgeries(found: list[SurgeryCountInput] | None) -> list[tuple[str, int]] | None:
    return None if found is None else [(s.category, s.count) for s in found]


async def _team(context: Context, team_id: str) -> dict[str, Any]:
    row = await teams.team_row(key_of(team_id, "MedicalTeam", what="team"))
    await ensure_on(context, row["district_id"])
    return row


async def _team_done(context: Context, team_id: int) -> MedicalTeam:
    context.forget_loaders()
    found: MedicalTeam = await by_id(context, TEAM).load(team_id)
    return found


async def _session(context: Context, session_id: str) -> Session:
    session = await sessions.session_row(key_of(session_id, "MedicalSession", what="session"))
    await ensure_on(context, session.district_id, session.street_id, session.community_id)
    return session


async def _session_done(context: Context, session_id: int) -> MedicalSession:
    context.forget_loaders()
    found: MedicalSession = await by_id(context, SESSION).load(session_id)
    return found


async def _registration(context: Context, booking_id: str) -> tuple[int, Session]:
    """The booking key of a registration and its session, after the module switch there."""
    key = key_of(booking_id, "Booking", what="registration")
    _, session = await sessions.registration(key)
    await ensure_on(context, session.district_id, session.street_id, session.community_id)
    return key, session


@strawberry.type
class MedicalMutation:
    @strawberry.mutation(
        description="Create a team (city admins, and the admins of its district).",
        permission_classes=[IsAuthenticated],
    )
    async def create_medical_team(self, info: Info, input: CreateMedicalTeamInput) -> MedicalTeam:
        context: Context = info.context
        place = await place_row(input.district_id, ("District",), "districtId")
        await ensure_on(context, place.district_id)
        team, grant = await teams.create_team(
            context.viewer, place.district_id, input.name, input.hospital
        )
        context.note.used(grant)
        context.note.about(global_id("MedicalTeam", team.id), team.district_id)
        return await _team_done(context, team.id)

    @strawberry.mutation(
        description="Change a team's name, hospital or whether it still serves (its managers). "
        "A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def update_medical_team(self, info: Info, input: UpdateMedicalTeamInput) -> MedicalTeam:
        context: Context = info.context
        current = await _team(context, input.team_id)
        row, grant = await teams.update_team(
            context.viewer, current["id"], input.version, name=input.name,
            hospital=input.hospital, active=input.active,
        )  # fmt: skip
        context.note.used(grant)
        context.note.about(input.team_id, row["district_id"], active=row["active"])
        return await _team_done(context, row["id"])

    @strawberry.mutation(
        description="Set a team's doctors, replacing the list (its managers; nobody puts "
        "themself on a team). Each holds DOCTOR in the team's district: grant it first with "
        "grantRole. The team's doctors read its patients' consultation records.",
        permission_classes=[IsAuthenticated],
    )
    async def set_medical_team_members(
        self, info: Info, team_id: strawberry.ID, version: int,
        members: list[MedicalTeamMemberInput],
    ) -> MedicalTeam:  # fmt: skip
        context: Context = info.context
        current = await _team(context, team_id)
        wanted = [
            teams.Member(key_of(m.person_id, "Person", what="person"), m.specialty, m.leader)
            for m in members
        ]
        row, grant = await teams.set_members(context.viewer, current["id"], version, wanted)
        context.note.used(grant)
        context.note.about(team_id, row["district_id"], members=len(wanted))
        return await _team_done(context, row["id"])

    @strawberry.mutation(
        description="Schedule a free clinic or health-training session of a team at a school, "
        "community or factory of its district (the team's doctors and managers). Residents "
        "register with registerForMedicalSession.",
        permission_classes=[IsAuthenticated],
    )
    async def schedule_medical_session(
        self, info: Info, input: ScheduleMedicalSessionInput
    ) -> MedicalSession:
        context: Context = info.context
        team = await _team(context, input.team_id)
        place = await place_row(input.place_id, ("Community", "Compound"))
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        settings = await settings_at(
            context.activation, place.district_id, place.street_id, place.community_id
        )
        plan = SessionPlan(
            kind=input.kind, place_type=input.place_type, place_name=input.place_name,
            starts_at=input.starts_at, ends_at=input.ends_at, specialties=input.specialties,
            capacity=input.capacity, title=input.title,
        )  # fmt: skip
        session, grant = await sessions.schedule(
            context.viewer, team["id"], place, plan, settings, places.now()
        )
        context.note.used(grant)
        context.note.about(
            global_id("MedicalSession", session.id), session.district_id, kind=session.kind,
            placeType=session.place_type,
        )  # fmt: skip
        return await _session_done(context, session.id)

    @strawberry.mutation(
        description="Cancel a planned session before it starts, and every registration for it "
        "(the team's doctors and managers).",
        permission_classes=[IsAuthenticated],
    )
    async def cancel_medical_session(
        self, info: Info, session_id: strawberry.ID, version: int
    ) -> MedicalSession:
        context: Context = info.context
        current = await _session(context, session_id)
        session, grant, cancelled = await sessions.cancel(
            context.viewer, current, version, places.engine(), places.now()
        )
        context.note.used(grant)
        context.note.about(session_id, session.district_id, registrationsCancelled=cancelled)
        return await _session_done(context, session.id)

    @strawberry.mutation(
        description="Mark a session held once it started, with the people served who had not "
        "registered (`walkIns`); may be sent again to correct them (the team's doctors and "
        "managers).",
        permission_classes=[IsAuthenticated],
    )
    async def close_medical_session(
        self, info: Info, session_id: strawberry.ID, version: int, walk_ins: int = 0
    ) -> MedicalSession:
        context: Context = info.context
        current = await _session(context, session_id)
        session, grant = await sessions.close(
            context.viewer, current, version, walk_ins, places.now()
        )
        context.note.used(grant)
        context.note.about(session_id, session.district_id, walkIns=walk_ins)
        return await _session_done(context, session.id)

    @strawberry.mutation(
        description="Register for a session (anyone signed in): CONFIRMED, or WAITLISTED when "
        "it is full and keeps a waitlist (CONFLICT when it keeps none). `myBookings` lists it "
        "and `cancelBooking` cancels it before the cut-off.",
        permission_classes=[IsAuthenticated],
    )
    async def register_for_medical_session(self, info: Info, session_id: strawberry.ID) -> Booking:
        context: Context = info.context
        session = await _session(context, session_id)
        assert context.viewer is not None
        booking = await sessions.register(context.viewer.person_id, session, places.engine())
        context.note.about(
            global_id("Booking", booking.id), session.district_id, status=booking.status
        )
        found: Booking = await by_id(context, BOOKING).load(booking.id)
        return found

    @strawberry.mutation(
        description="Check a registered resident in at the desk, from two hours before the "
        "session starts (the doctors of its team).",
        permission_classes=[IsAuthenticated],
    )
    async def check_in_medical_attendee(
        self, info: Info, booking_id: strawberry.ID
    ) -> MedicalAttendee:
        context: Context = info.context
        key, _ = await _registration(context, booking_id)
        booking, session, grant = await sessions.check_in(
            context.viewer, key, places.engine(), places.now()
        )
        context.note.used(grant)
        context.note.about(booking_id, session.district_id)
        name = await names(context).load(booking.person_id)
        return MedicalAttendee(
            booking_id=booking_id, name=name or "", status=BookingStatus(booking.status),
            session_id=session.id, district_id=session.district_id, street_id=session.street_id,
            community_id=session.community_id,
        )  # fmt: skip

    @strawberry.mutation(
        description="Record a consultation of a resident checked in at a session (the doctors "
        "of its team; to anyone else the registration is NOT_FOUND). The record is seen only "
        "by the resident and the team's doctors.",
        permission_classes=[IsAuthenticated],
    )
    async def record_medical_consultation(
        self, info: Info, input: RecordMedicalConsultationInput
    ) -> MedicalConsultation:
        context: Context = info.context
        key, session = await _registration(context, input.booking_id)
        settings = await settings_at(
            context.activation, session.district_id, session.street_id, session.community_id
        )
        details = Details(
            specialty=input.specialty, notes=input.notes, referral=input.referral,
            follow_up_on=input.follow_up_on,
        )  # fmt: skip
        today = local_day(places.now(), zone(context))
        record, grant = await consultations.record(context.viewer, key, details, settings, today)
        context.note.used(grant)
        context.note.about(global_id("MedicalConsultation", record.id), record.district_id)
        found: MedicalConsultation = await by_id(context, CONSULTATION).load(record.id)
        return found

    @strawberry.mutation(
        description="Turn a consultation's referral into a core case at the resident's home "
        "(the doctors of the treating team): category medical_follow_up, routed to the health "
        "commission (卫健委) at DEPARTMENT level. The case carries the need and no health data.",
        permission_classes=[IsAuthenticated],
    )
    async def open_medical_follow_up_case(
        self, info: Info, consultation_id: strawberry.ID, need: FollowUpNeed
    ) -> MedicalConsultation:
        context: Context = info.context
        key = key_of(consultation_id, "MedicalConsultation", what="consultation")
        row = await consultations.consultation_row(key)
        await ensure_on(context, row["district_id"], row["street_id"], row["community_id"])
        cases = CaseService(context.activation.config.cases, context.categories)
        record, _, grant = await consultations.open_case(context.viewer, cases, key, need)
        context.note.used(grant)
        context.note.about(consultation_id, record["district_id"])
        context.forget_loaders()
        found: MedicalConsultation = await by_id(context, CONSULTATION).load(key)
        return found

    @strawberry.mutation(
        description="Record a visiting expert hosted by a team (its doctors and managers): "
        "counts and categories only.",
        permission_classes=[IsAuthenticated],
    )
    async def record_medical_expert_visit(
        self, info: Info, input: RecordMedicalExpertVisitInput
    ) -> MedicalExpertVisit:
        context: Context = info.context
        team = await _team(context, input.team_id)
        details = VisitDetails(
            expert_name=input.expert_name, expert_title=input.expert_title,
            home_hospital=input.home_hospital, specialty=input.specialty,
            starts_on=input.starts_on, ends_on=input.ends_on, consultations=input.consultations,
            surgeries=_surgeries(input.surgeries),
        )  # fmt: skip
        visit, grant = await experts.record_visit(context.viewer, team["id"], details)
        context.note.used(grant)
        context.note.about(
            global_id("MedicalExpertVisit", visit.id), visit.district_id,
            consultations=visit.consultations, surgeries=visit.surgeries,
        )  # fmt: skip
        found: MedicalExpertVisit = await by_id(context, VISIT).load(visit.id)
        return found

    @strawberry.mutation(
        description="Change an expert visit's last day and counts (the hosting team's doctors "
        "and managers). A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def update_medical_expert_visit(
        self, info: Info, input: UpdateMedicalExpertVisitInput
    ) -> MedicalExpertVisit:
        context: Context = info.context
        current = await experts.visit_row(key_of(input.visit_id, "MedicalExpertVisit",
                                                 what="expert visit"))  # fmt: skip
        await ensure_on(context, current.district_id)
        details = VisitDetails(
            ends_on=input.ends_on, consultations=input.consultations,
            surgeries=_surgeries(input.surgeries),
        )  # fmt: skip
        visit, grant = await experts.update_visit(context.viewer, current, input.version, details)
        context.note.used(grant)
        context.note.about(
            input.visit_id, visit.district_id, consultations=visit.consultations,
            surgeries=visit.surgeries,
        )  # fmt: skip
        context.forget_loaders()
        found: MedicalExpertVisit = await by_id(context, VISIT).load(visit.id)
        return found
