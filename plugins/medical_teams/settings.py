"""Per-district settings of the medical teams, `[districts.D.settings.medical_teams]` (a street
or community may override them where the session takes place)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MedicalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinic_capacity: int = Field(
        default=50,
        ge=1,
        le=2000,
        description="Default number of places at a free clinic or health-training session "
        "(when the team scheduling it gives none).",
    )
    follow_up_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days after a consultation a follow-up is due, when the doctor records a "
        "referral without a follow-up date.",
    )
    registration_cutoff_minutes: int = Field(
        default=60,
        ge=0,
        le=7 * 24 * 60,
        description="Minutes before a session starts when registering and cancelling close.",
    )
    waitlist: bool = Field(
        default=True,
        description="Whether a full session keeps a waitlist (a cancelled place goes to the "
        "first waiting resident) or refuses further registrations.",
    )
