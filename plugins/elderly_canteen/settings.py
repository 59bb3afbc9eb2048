"""Per-district settings of the elderly canteen, `[districts.D.settings.elderly_canteen]`."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class CanteenSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    booking_cutoff: time = Field(
        default=time(9, 0),
        description="Local time (city time zone) after which a meal of the same day can no "
        'longer be booked or cancelled, e.g. "09:30".',
    )
    delivery: bool = Field(default=True, description="Whether meals can be delivered home.")
    subsidy_by_age_tier: dict[str, Decimal] = Field(
        default_factory=lambda: {"60-69": Decimal("2"), "70-79": Decimal("3"), "80+": Decimal("5")},
        description="Subsidy per meal in yuan, by age tier (60-69, 70-79, 80+).",
    )
    monthly_subsidy_cap: Decimal = Field(
        default=Decimal("300"), ge=0, description="Most subsidy one elder gets per month, yuan."
    )
