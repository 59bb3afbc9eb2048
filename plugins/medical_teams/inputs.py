"""Input types of the module's mutations."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

# From types, not sessions: types names these enums (MedicalSessionKind, MedicalPlaceType), and
# an input that met them first would give the schema a second, unnamed copy of each.
from plugins.medical_teams.types import PlaceType, SessionKind


@strawberry.input(description="A new medical team.")
class CreateMedicalTeamInput:
    district_id: strawberry.ID = strawberry.field(description="The district it serves.")
    name: str = strawberry.field(description="Name, unique in the district.")
    hospital: str = strawberry.field(description="The hospital it comes from.")


@strawberry.input(description="Changes to a team; omitted fields stay as they are.")
class UpdateMedicalTeamInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    version: int = strawberry.field(description="The team's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="New name.")
    hospital: str | None = strawberry.field(default=None, description="New hospital.")
    active: bool | None = strawberry.field(
        default=None, description="False: the team no longer serves (its records stay)."
    )


@strawberry.input(description="A doctor on a team.")
class MedicalTeamMemberInput:
    person_id: strawberry.ID = strawberry.field(
        description="A person holding DOCTOR in the team's district."
    )
    specialty: str = strawberry.field(description="The specialty they practise on the team.")
    leader: bool = strawberry.field(default=False, description="Whether they lead the team.")


@strawberry.input(description="A free clinic or health-training session.")
class ScheduleMedicalSessionInput:
    team_id: strawberry.ID = strawberry.field(description="The team holding it.")
    kind: SessionKind = strawberry.field(description="FREE_CLINIC or HEALTH_TRAINING.")
    place_type: PlaceType = strawberry.field(description="SCHOOL, COMMUNITY or FACTORY.")
    place_name: str = strawberry.field(description="The school, community centre or factory.")
    place_id: strawberry.ID = strawberry.field(
        description="The community (or compound) it is in, in the team's district."
    )
    starts_at: datetime = strawberry.field(description="Start, with a time zone.")
    ends_at: datetime = strawberry.field(description="End, with a time zone.")
    specialties: list[str] = strawberry.field(
        default_factory=list, description="Specialties offered (a free clinic needs one)."
    )
    capacity: int | None = strawberry.field(
        default=None, description="Places; default: the district's `clinic_capacity`."
    )
    title: str | None = strawberry.field(
        default=None, description="What it is; default: the place name and the kind."
    )


@strawberry.input(description="A consultation of a resident checked in at a session.")
class RecordMedicalConsultationInput:
    booking_id: strawberry.ID = strawberry.field(description="The resident's registration.")
    specialty: str = strawberry.field(description="The specialty consulted.")
    notes: str = strawberry.field(
        default="", description="What the resident needs to know (医嘱), at most 2000 characters."
    )
    referral: str = strawberry.field(
        default="", description="Where the resident is referred, and for what (500 characters)."
    )
    follow_up_on: date | None = strawberry.field(
        default=None,
        description="When a follow-up is due; with a referral, default: the district's "
        "`follow_up_days` from today.",
    )


@strawberry.input(name="MedicalSurgeryCountInput", description="Surgeries of one category.")
class SurgeryCountInput:
    category: str = strawberry.field(description="The category, e.g. 白内障手术.")
    count: int = strawberry.field(description="How many (1 or more).")


@strawberry.input(description="A visiting expert hosted by a team.")
class RecordMedicalExpertVisitInput:
    team_id: strawberry.ID = strawberry.field(description="The hosting team.")
    expert_name: str = strawberry.field(description="The visiting expert.")
    home_hospital: str = strawberry.field(description="The hospital they come from.")
    specialty: str = strawberry.field(description="Their specialty.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    expert_title: str = strawberry.field(default="", description="Their title, e.g. 主任医师.")
    consultations: int = strawberry.field(default=0, description="Consultations held so far.")
    surgeries: list[SurgeryCountInput] = strawberry.field(
        default_factory=list, description="Surgeries performed so far, by category."
    )


@strawberry.input(description="Changes to an expert visit; omitted fields stay as they are.")
class UpdateMedicalExpertVisitInput:
    visit_id: strawberry.ID = strawberry.field(description="The visit.")
    version: int = strawberry.field(description="The visit's `version` when you read it.")
    ends_on: date | None = strawberry.field(default=None, description="New last day.")
    consultations: int | None = strawberry.field(
        default=None, description="Consultations held in all."
    )
    surgeries: list[SurgeryCountInput] | None = strawberry.field(
        default=None, description="Surgeries performed in all, by category (replacing the old)."
    )
