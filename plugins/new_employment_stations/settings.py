"""Per-district settings of the stations for couriers, riders and drivers,
`[districts.D.settings.new_employment_stations]` (a street or community may override them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    points_per_valid_report: int = Field(
        default=10,
        ge=0,
        le=1000,
        description="Points a worker earns when a handler accepts their snap-and-report "
        "(the report is confirmed valid). Read at the place of the case when it is accepted.",
    )
    points_per_resolved_report: int = Field(
        default=20,
        ge=0,
        le=1000,
        description="Further points when the reported case is resolved (once per case, even "
        "if it is reopened and resolved again).",
    )
    leaderboard_size: int = Field(
        default=20, ge=1, le=100, description="How many workers the monthly leaderboard shows."
    )
    visit_expires_hours: int = Field(
        default=4,
        ge=1,
        le=24,
        description="A check-in nobody checked out of stops counting towards a station's "
        "occupancy and its chargers in use after this many hours (riders forget to check out).",
    )
    activity_booking_cutoff_minutes: int = Field(
        default=60,
        ge=0,
        le=7 * 24 * 60,
        description="Minutes before a care activity starts when booking and cancelling close.",
    )
    activity_waitlist: bool = Field(
        default=True,
        description="Whether a full care activity keeps a waitlist (a cancelled seat goes to "
        "the first waiting worker) or refuses further bookings.",
    )
