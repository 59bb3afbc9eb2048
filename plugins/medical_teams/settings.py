"""Per-district settings of the medical teams."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MedicalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinic_capacity: int = Field(
        default=50, ge=1, description="Default number of places at a free clinic."
    )
    follow_up_days: int = Field(
        default=30, ge=1, le=365, description="Days after a consultation a follow-up is due."
    )
