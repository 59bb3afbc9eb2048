"""GraphQL types of the module. Objects are built from plain rows (``NodeSource``), and every
relation is read through a per-request loader (one statement per batch).

The health fields of ``MedicalConsultation`` carry ``Masked(HEALTH, ...)``: in full for the
resident and for the treating team's doctors (each such read recorded in core's
personal-data reads), null for anyone else; the type itself is ``@scoped(RECORD_SCOPE)``, so a
record out of your scope answers like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from tortoise.functions import Count

from core import Booking as BookingRow
from core import BookingStatus, CaseStatus, Slot, names_of
from plugins.medical_teams import models, rules
from plugins.medical_teams.consultations import FollowUpNeed
from plugins.medical_teams.experts import MAX_CATEGORIES
from plugins.medical_teams.places import NAME
from plugins.medical_teams.sessions import PlaceType, SessionKind, SessionStatus
from plugins.medical_teams.teams import MAX_MEMBERS
from schema import (
    CASE,
    Case,
    Community,
    Context,
    District,
    Masked,
    NodeSource,
    by_id,
    cost,
    global_id,
    scoped,
)

strawberry.enum(
    SessionKind,
    name="MedicalSessionKind",
    description="FREE_CLINIC (义诊) or HEALTH_TRAINING (健康培训).",
)
strawberry.enum(
    PlaceType,
    name="MedicalPlaceType",
    description="Where a session is held: a SCHOOL, a COMMUNITY or a FACTORY.",
)
strawberry.enum(
    SessionStatus,
    name="MedicalSessionStatus",
    description="PLANNED, HELD (closed by the team) or CANCELLED.",
)
strawberry.enum(
    FollowUpNeed,
    name="MedicalFollowUpNeed",
    description="What a referral asks the case ladder for: HOME_VISIT (居家上门随访), "
    "FAMILY_DOCTOR (家庭医生签约随访) or TRANSPORT (就医出行协助).",
)


@strawberry.type(description="A doctor on a team.")
class MedicalTeamMember:
    person_id: strawberry.ID = strawberry.field(description="Their Person id.")
    name: str = strawberry.field(description="Their name.")
    specialty: str = strawberry.field(description="The specialty they practise on the team.")
    leader: bool = strawberry.field(description="Whether they lead the team (队长).")


@strawberry.type(description="党员医疗服务队: a party-member medical team of a hospital. Public.")
class MedicalTeam(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Name, unique in its district.")
    hospital: str = strawberry.field(description="The hospital it comes from.")
    active: bool = strawberry.field(description="False once it no longer serves.")
    version: int = strawberry.field(description="Send it back to change the team.")
    district_id: strawberry.Private[int]

    @strawberry.field(description="Its doctors, the leader first.", metadata=cost(size=MAX_MEMBERS))
    async def members(self, info: Info) -> list[MedicalTeamMember]:
        return await members_by_team(info.context).load(self.id)

    @strawberry.field(description="The specialties its doctors practise.")
    async def specialties(self, info: Info) -> list[str]:
        found = await members_by_team(info.context).load(self.id)
        return sorted({m.specialty for m in found})

    @strawberry.field(description="The district it serves.")
    async def district(self, info: Info) -> District:
        source = info.context.node_sources["District"]
        found: District = await by_id(info.context, source).load(self.district_id)
        return found


@strawberry.type(description="A free clinic (义诊) or health-training session of a team. Public.")
class MedicalSession(relay.Node):
    id: relay.NodeID[int]
    kind: SessionKind = strawberry.field(description="FREE_CLINIC or HEALTH_TRAINING.")
    place_type: PlaceType = strawberry.field(description="SCHOOL, COMMUNITY or FACTORY.")
    place_name: str = strawberry.field(description="The school, community centre or factory.")
    title: str = strawberry.field(description="What it is, e.g. 欣虹社区义诊.")
    specialties: list[str] = strawberry.field(description="Specialties offered.")
    starts_at: datetime = strawberry.field(description="Start (UTC).")
    ends_at: datetime = strawberry.field(description="End (UTC).")
    status: SessionStatus = strawberry.field(description="PLANNED, HELD or CANCELLED.")
    walk_ins: int = strawberry.field(description="People served who had not registered.")
    version: int = strawberry.field(description="Send it back to close or cancel the session.")
    team_id: strawberry.Private[int]
    slot_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="Places in all.")
    async def capacity(self, info: Info) -> int:
        return (await slots(info.context).load(self.slot_id))[0]

    @strawberry.field(description="Places still free.")
    async def free(self, info: Info) -> int:
        capacity, confirmed = await slots(info.context).load(self.slot_id)
        return max(capacity - confirmed, 0)

    @strawberry.field(description="People served: residents checked in, plus the walk-ins.")
    async def people_served(self, info: Info) -> int:
        return await checked_in(info.context).load(self.slot_id) + self.walk_ins

    @strawberry.field(description="The team holding it.")
    async def team(self, info: Info) -> MedicalTeam:
        found: MedicalTeam = await by_id(info.context, TEAM).load(self.team_id)
        return found

    @strawberry.field(description="The community it is held in.")
    async def community(self, info: Info) -> Community:
        source = info.context.node_sources["Community"]
        found: Community = await by_id(info.context, source).load(self.community_id)
        return found


@strawberry.type(description="A resident registered for a session, as the team's desk sees them.")
class MedicalAttendee:
    booking_id: strawberry.ID = strawberry.field(
        description="Their registration (a Booking id): check them in with it."
    )
    name: str = strawberry.field(description="Their name.")
    status: BookingStatus = strawberry.field(
        description="CONFIRMED, WAITLISTED, CHECKED_IN, NO_SHOW or CANCELLED."
    )
    session_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]


def _health(column: str, text: str) -> Any:
    return strawberry.field(description=text, extensions=[Masked(rules.HEALTH, column)])


@scoped(rules.RECORD_SCOPE)
@strawberry.type(
    description="A consultation record: what a resident seen at a session needs to know "
    "afterwards. Health data: only the resident and the doctors of the treating team see it "
    "(to anyone else it does not exist), and each read by a doctor is recorded."
)
class MedicalConsultation(relay.Node):
    id: relay.NodeID[int]
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    version: int = strawberry.field(description="Changes whenever the record does.")
    specialty: str | None = _health("medical_specialty", "The specialty consulted.")
    notes: str | None = _health("medical_notes", "What the resident needs to know (医嘱).")
    referral: str | None = _health(
        "medical_referral", "Where the resident is referred, and for what (null: nowhere)."
    )
    follow_up_on: date | None = _health("medical_follow_up_on", "When a follow-up is due.")
    follow_up_need: FollowUpNeed | None = _health(
        "medical_follow_up_need", "What the follow-up case asks for, once the referral is one."
    )
    case_status: CaseStatus | None = strawberry.field(
        name="followUpStatus",
        description="Where the follow-up case stands (null: no case).",
        extensions=[Masked(rules.HEALTH, "medical_follow_up_status")],
    )
    team_id: strawberry.Private[int]
    session_id: strawberry.Private[int]
    person_id: strawberry.Private[int]
    doctor_id: strawberry.Private[int]
    case_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    doctor_ids: strawberry.Private[frozenset[int]] = frozenset()

    @strawberry.field(description="The resident it is about.")
    async def resident_name(self, info: Info) -> str | None:
        return await names(info.context).load(self.person_id)

    @strawberry.field(description="The doctor who recorded it.")
    async def doctor_name(self, info: Info) -> str | None:
        return await names(info.context).load(self.doctor_id)

    @strawberry.field(description="The session where the resident was seen.")
    async def session(self, info: Info) -> MedicalSession:
        found: MedicalSession = await by_id(info.context, SESSION).load(self.session_id)
        return found

    @strawberry.field(description="The treating team.")
    async def team(self, info: Info) -> MedicalTeam:
        found: MedicalTeam = await by_id(info.context, TEAM).load(self.team_id)
        return found

    @strawberry.field(
        description="The follow-up case the referral became, for those who may see the case "
        "(its reporting doctor and the case's handlers; the resident follows followUpStatus)."
    )
    async def follow_up_case(self, info: Info) -> Case | None:
        if self.case_id is None:
            return None
        found: Case | None = await by_id(info.context, CASE).load(self.case_id)
        return found


@strawberry.type(description="Surgeries of one category.")
class MedicalSurgeryCount:
    category: str = strawberry.field(description="The category, e.g. 白内障手术.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="A visiting expert hosted by a team: counts and categories only.")
class MedicalExpertVisit(relay.Node):
    id: relay.NodeID[int]
    expert_name: str = strawberry.field(description="The visiting expert.")
    expert_title: str = strawberry.field(description="Their title, e.g. 主任医师.")
    home_hospital: str = strawberry.field(description="The hospital they come from.")
    specialty: str = strawberry.field(description="Their specialty.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    consultations: int = strawberry.field(description="Consultations held.")
    surgeries: int = strawberry.field(description="Surgeries performed.")
    version: int = strawberry.field(description="Send it back to change the visit.")
    surgery_categories: strawberry.Private[Any]
    team_id: strawberry.Private[int]
    district_id: strawberry.Private[int]

    @strawberry.field(
        description="Surgeries performed, by category.", metadata=cost(size=MAX_CATEGORIES)
    )
    def surgeries_by_category(self) -> list[MedicalSurgeryCount]:
        return [
            MedicalSurgeryCount(category=c["category"], count=c["count"])
            for c in self.surgery_categories or []
        ]

    @strawberry.field(description="The hosting team.")
    async def team(self, info: Info) -> MedicalTeam:
        found: MedicalTeam = await by_id(info.context, TEAM).load(self.team_id)
        return found


@strawberry.type(description="Sessions of one kind at one type of place.")
class MedicalSessionCount:
    kind: SessionKind = strawberry.field(description="FREE_CLINIC or HEALTH_TRAINING.")
    place_type: PlaceType = strawberry.field(description="SCHOOL, COMMUNITY or FACTORY.")
    sessions: int = strawberry.field(description="Sessions (not cancelled).")
    people_served: int = strawberry.field(description="People served at them.")


@strawberry.type(description="Visiting experts' figures of a district.")
class MedicalExpertFigures:
    visits: int = strawberry.field(description="Expert visits starting in the period.")
    experts: int = strawberry.field(description="Distinct experts.")
    consultations: int = strawberry.field(description="Consultations they held.")
    surgeries: int = strawberry.field(description="Surgeries they performed.")
    surgeries_by_category: list[MedicalSurgeryCount] = strawberry.field(
        description="Surgeries by category, most first.",
        # Each visit has at most MAX_CATEGORIES; a district's visits share most of them.
        metadata=cost(size=100),
    )


@strawberry.type(description="The medical teams' figures for a place and a period: counts only.")
class MedicalFigures:
    sessions: int = strawberry.field(description="Sessions held or planned (not cancelled).")
    sessions_by_kind: list[MedicalSessionCount] = strawberry.field(
        description="Sessions and people served by kind and place type.",
        metadata=cost(size=len(SessionKind) * len(PlaceType)),
    )
    people_served: int = strawberry.field(description="Residents checked in, plus walk-ins.")
    teams_active: int = strawberry.field(description="Teams with a session there.")
    consultations: int = strawberry.field(description="Consultation records made.")
    referrals: int = strawberry.field(description="Of those, records with a referral.")
    follow_up_cases: int = strawberry.field(description="Referrals that became cases.")
    follow_ups_resolved: int = strawberry.field(description="Of those, resolved or closed.")
    experts: MedicalExpertFigures | None = strawberry.field(
        description="Visiting experts (of a district; null for a street or community)."
    )
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int | None]
    community_id: strawberry.Private[int | None]


# -- loaders ----------------------------------------------------------------------------------


def names(context: Context) -> DataLoader[int, str | None]:
    async def load(ids: Sequence[int]) -> list[str | None]:
        found = await names_of(ids)
        return [found.get(i) for i in ids]

    return context.loader((NAME, "names"), lambda: DataLoader(load))


def members_by_team(context: Context) -> DataLoader[int, list[MedicalTeamMember]]:
    async def load(ids: Sequence[int]) -> list[list[MedicalTeamMember]]:
        rows = (
            await models.TeamMember.filter(team_id__in=list(ids))
            .order_by("-leader", "id")
            .values("team_id", "person_id", "specialty", "leader", "person__name")
        )
        found: dict[int, list[MedicalTeamMember]] = {i: [] for i in ids}
        for row in rows:
            found[row["team_id"]].append(
                MedicalTeamMember(
                    person_id=strawberry.ID(global_id("Person", row["person_id"])),
                    name=row["person__name"],
                    specialty=row["specialty"],
                    leader=row["leader"],
                )
            )
        return [found[i] for i in ids]

    return context.loader((NAME, "members"), lambda: DataLoader(load))


def slots(context: Context) -> DataLoader[int, tuple[int, int]]:
    """(capacity, confirmed) of booking slots."""

    async def load(ids: Sequence[int]) -> list[tuple[int, int]]:
        rows = await Slot.filter(id__in=list(ids)).values_list("id", "capacity", "confirmed")
        found = {i: (capacity, confirmed) for i, capacity, confirmed in rows}
        return [found.get(i, (0, 0)) for i in ids]

    return context.loader((NAME, "slots"), lambda: DataLoader(load))


def checked_in(context: Context) -> DataLoader[int, int]:
    """Checked-in registrations of booking slots."""

    async def load(ids: Sequence[int]) -> list[int]:
        rows = (
            await BookingRow.filter(slot_id__in=list(ids), status=BookingStatus.CHECKED_IN.value)
            .annotate(n=Count("id"))
            .group_by("slot_id")
            .values_list("slot_id", "n")
        )
        found = {slot_id: int(n) for slot_id, n in rows}
        return [found.get(i, 0) for i in ids]

    return context.loader((NAME, "checked_in"), lambda: DataLoader(load))


async def _with_doctors(records: Sequence[MedicalConsultation]) -> None:
    """Each record's treating team's members, for the scope and mask rules (one statement)."""
    rows = await models.TeamMember.filter(team_id__in={r.team_id for r in records}).values_list(
        "team_id", "person_id"
    )
    found: dict[int, set[int]] = {}
    for team_id, person_id in rows:
        found.setdefault(team_id, set()).add(person_id)
    for record in records:
        record.doctor_ids = frozenset(found.get(record.team_id, ()))


TEAM = NodeSource(MedicalTeam, models.Team)
SESSION = NodeSource(MedicalSession, models.Session)
CONSULTATION = NodeSource(MedicalConsultation, models.Consultation, enrich=_with_doctors)
VISIT = NodeSource(MedicalExpertVisit, models.ExpertVisit)
