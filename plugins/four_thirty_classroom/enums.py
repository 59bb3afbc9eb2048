"""The module's GraphQL enums: kinds and states of classrooms, sessions, tutors and lectures."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(name="ClassroomKind", description="Where a classroom is run.")
class ClassroomKind(Enum):
    COMMUNITY = "COMMUNITY"
    SCHOOL = "SCHOOL"


@strawberry.enum(name="ClassroomSessionStatus", description="Where a session stands.")
class SessionStatus(Enum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"


@strawberry.enum(name="ClassroomTutorKind", description="Who a volunteer tutor is.")
class TutorKind(Enum):
    TEACHER = "TEACHER"
    PARTY_MEMBER = "PARTY_MEMBER"
    UNIVERSITY_STUDENT = "UNIVERSITY_STUDENT"
    OTHER = "OTHER"


@strawberry.enum(
    name="ClassroomCheckStatus",
    description="A tutor's background check: PENDING until the district's admins record it.",
)
class CheckStatus(Enum):
    PENDING = "PENDING"
    PASSED = "PASSED"
    FAILED = "FAILED"


@strawberry.enum(name="ClassroomLectureKind", description="A lecture (讲座) or an activity (活动).")
class LectureKind(Enum):
    LECTURE = "LECTURE"
    ACTIVITY = "ACTIVITY"


@strawberry.enum(
    name="ClassroomLectureProgram",
    description="PARTY_CLASS 精品党课进校园, SAFE_GROWTH 护航成长, LITTLE_HANDS 小手拉大手, OTHER.",
)
class LectureProgram(Enum):
    PARTY_CLASS = "PARTY_CLASS"
    SAFE_GROWTH = "SAFE_GROWTH"
    LITTLE_HANDS = "LITTLE_HANDS"
    OTHER = "OTHER"


@strawberry.enum(name="ClassroomVenueKind", description="A school or a community venue.")
class VenueKind(Enum):
    SCHOOL = "SCHOOL"
    COMMUNITY = "COMMUNITY"


@strawberry.enum(name="ClassroomLectureStatus", description="Where a lecture stands.")
class LectureStatus(Enum):
    PLANNED = "PLANNED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"
