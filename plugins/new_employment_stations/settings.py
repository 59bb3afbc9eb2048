"""Per-district settings of the stations for couriers and riders."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    points_per_valid_report: int = Field(
        default=10, ge=0, description="Points a worker earns when a report is confirmed valid."
    )
    points_per_resolved_report: int = Field(
        default=20, ge=0, description="Further points when the reported case is resolved."
    )
    leaderboard_size: int = Field(
        default=20, ge=1, le=100, description="How many workers the monthly leaderboard shows."
    )
