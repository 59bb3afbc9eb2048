"""The module's part of the schema: root fields, fields on districts, streets and communities,
node types, where each type's objects sit (for the module gate) and the authorization matrix."""

from __future__ import annotations

from pathlib import Path

from plugins.four_thirty_classroom.care_types import (
    ALERT,
    ATTENDANCE,
    CHILD,
    ClassroomAttendance,
    ClassroomChild,
    ClassroomPickupAlert,
)
from plugins.four_thirty_classroom.mutations import ClassroomMutation
from plugins.four_thirty_classroom.queries import (
    ClassroomQuery,
    CommunityClassroomFields,
    DistrictClassroomFields,
    StreetClassroomFields,
)
from plugins.four_thirty_classroom.types import (
    CLASSROOM,
    LECTURE,
    SESSION,
    TERM,
    TUTOR,
    Classroom,
    ClassroomLecture,
    ClassroomSession,
    ClassroomTerm,
    ClassroomTutor,
)
from schema import PlaceOf, SchemaContribution


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=ClassroomQuery,
        mutation=ClassroomMutation,
        type_fields={
            "District": DistrictClassroomFields,
            "Street": StreetClassroomFields,
            "Community": CommunityClassroomFields,
        },
        places={
            Classroom: PlaceOf(),
            ClassroomTerm: PlaceOf(),
            ClassroomSession: PlaceOf(),
            ClassroomTutor: PlaceOf(),
            ClassroomChild: PlaceOf(),
            ClassroomAttendance: PlaceOf(),
            ClassroomPickupAlert: PlaceOf(),
            ClassroomLecture: PlaceOf(),
        },
        nodes=[CLASSROOM, TERM, SESSION, TUTOR, CHILD, ATTENDANCE, ALERT, LECTURE],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
