"""The module's part of the schema: root fields, node types, where each type's objects sit (for
the module gate) and the authorization matrix."""

from __future__ import annotations

from pathlib import Path

from plugins.medical_teams.mutations import MedicalMutation
from plugins.medical_teams.queries import DISTRICT_LEVEL, MedicalQuery
from plugins.medical_teams.types import (
    CONSULTATION,
    SESSION,
    TEAM,
    VISIT,
    MedicalAttendee,
    MedicalConsultation,
    MedicalExpertVisit,
    MedicalFigures,
    MedicalSession,
    MedicalTeam,
)
from schema import PlaceOf, SchemaContribution


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=MedicalQuery,
        mutation=MedicalMutation,
        places={
            MedicalTeam: DISTRICT_LEVEL,
            MedicalExpertVisit: DISTRICT_LEVEL,
            MedicalSession: PlaceOf(),
            MedicalAttendee: PlaceOf(),
            MedicalConsultation: PlaceOf(),
            MedicalFigures: PlaceOf(),
        },
        nodes=[TEAM, SESSION, CONSULTATION, VISIT],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
