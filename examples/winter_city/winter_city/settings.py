"""Per-district settings (``[districts.CODE.settings.winter_city]``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WinterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heating_season_start: str = Field(
        default="10-20",
        description="First day of the heating season, MM-DD: heating outages are taken from "
        "then (Hegang heats from 20 October).",
    )
    heating_season_end: str = Field(
        default="04-20", description="Last day of the heating season, MM-DD."
    )
    open311_enabled: bool = Field(
        default=True,
        description="Whether the Open311 endpoint takes reports for this district.",
    )
    max_households: int = Field(
        default=5000, ge=1, description="Most households one heating-outage report may name."
    )

    @field_validator("heating_season_start", "heating_season_end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        try:
            date.fromisoformat(f"2024-{value}")
        except ValueError as exc:
            raise ValueError(f"{value!r} is not MM-DD") from exc
        return value

    def in_heating_season(self, day: date) -> bool:
        """Whether ``day`` falls in the season (which may run over the new year)."""
        today = day.strftime("%m-%d")
        start, end = self.heating_season_start, self.heating_season_end
        if start <= end:
            return start <= today <= end
        return today >= start or today <= end
