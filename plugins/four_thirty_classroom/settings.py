"""Per-district settings of the four-thirty classroom."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field


class ClassroomSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session_start: time = Field(
        default=time(16, 30), description="Local time at which after-school sessions start."
    )
    session_end: time = Field(default=time(18, 30), description="Local time sessions end.")
    children_per_tutor: int = Field(
        default=8, ge=1, le=30, description="Most children one tutor may look after."
    )
