"""Per-district settings of the four-thirty classroom,
`[districts.D.settings.four_thirty_classroom]`.

Times are city time (``[city] time_zone``). A term's sessions take ``session_start``,
``session_end`` and ``weekdays`` from the settings in force when the term is scheduled (a term
may name its own), so a later change applies to the terms scheduled after it.
"""

from __future__ import annotations

from datetime import date, time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# The ceiling of `max_pickup_adults`, which also bounds `ClassroomChild.pickupAdults`.
MAX_PICKUP_ADULTS = 10


class ClassroomSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session_start: time = Field(
        default=time(16, 30), description="Local time at which after-school sessions start."
    )
    session_end: time = Field(default=time(18, 30), description="Local time sessions end.")
    children_per_tutor: int = Field(
        default=8,
        ge=1,
        le=30,
        description="Most children one tutor may look after: a session with more children "
        "enrolled than its tutors can look after shows as understaffed (`tutorsNeeded`).",
    )
    weekdays: list[int] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5],
        description="The weekly pattern of a term's sessions when the term names none: "
        "weekdays 1 (Monday) to 7 (Sunday).",
    )
    public_holidays: list[date] = Field(
        default_factory=list,
        description="Days without sessions in every classroom of the district (public "
        'holidays), besides each term\'s own holidays, e.g. ["2026-10-01", "2026-10-02"].',
    )
    enrol_cutoff_minutes: int = Field(
        default=60,
        ge=0,
        le=24 * 60,
        description="Minutes before a session starts when guardians can no longer enrol a "
        "child or cancel the enrolment (the classroom's staff can cancel until it starts).",
    )
    waitlist: bool = Field(
        default=True,
        description="Whether a full session keeps a waitlist (a cancelled seat goes to the "
        "first child waiting) or refuses further enrolments with CONFLICT.",
    )
    min_grade: int = Field(default=1, ge=1, le=12, description="Lowest school grade taken in.")
    max_grade: int = Field(default=6, ge=1, le=12, description="Highest school grade taken in.")
    max_pickup_adults: int = Field(
        default=5,
        ge=1,
        le=MAX_PICKUP_ADULTS,
        description="Most adults a guardian may authorise to pick a child up, besides themself.",
    )
    background_check_valid_days: int = Field(
        default=365,
        ge=1,
        le=5 * 366,
        description="Days a passed background check of a tutor stays valid: after that the "
        "tutor cannot be scheduled until the check is passed again.",
    )

    @field_validator("weekdays")
    @classmethod
    def _known_weekdays(cls, value: list[int]) -> list[int]:
        if not value or any(d not in range(1, 8) for d in value):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), at least one")
        return sorted(set(value))

    @model_validator(mode="after")
    def _ordered(self) -> ClassroomSettings:
        if self.session_end <= self.session_start:
            raise ValueError("session_end must be after session_start")
        if self.max_grade < self.min_grade:
            raise ValueError("max_grade must not be below min_grade")
        return self
