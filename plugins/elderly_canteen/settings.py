"""Per-district settings of the elderly canteen, `[districts.D.settings.elderly_canteen]`.

Amounts are yuan with at most two decimals (exact to the fen), e.g. ``"80+" = "5.50"``.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

AGE_TIERS = ("60-69", "70-79", "80+")
"""The age tiers, by age on the day of the meal."""
FLAGS = ("living_alone", "disability", "special_diet")
"""The flags an elder may carry (personal data: see the module README)."""

Yuan = Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)]


class CanteenSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    booking_cutoff: time = Field(
        default=time(9, 0),
        description="Local time (city time zone) after which a meal of the same day can no "
        'longer be booked or cancelled by the elder, e.g. "09:30".',
    )
    delivery: bool = Field(
        default=True,
        description="Whether meals can be delivered home (to elders living in a canteen's "
        "delivery area, up to its delivery places per sitting).",
    )
    subsidy_by_age_tier: dict[str, Yuan] = Field(
        default_factory=lambda: {"60-69": Decimal("2"), "70-79": Decimal("3"), "80+": Decimal("5")},
        description="Subsidy per meal in yuan, by age tier (60-69, 70-79, 80+); a tier left "
        "out gets no tier subsidy.",
    )
    subsidy_by_flag: dict[str, Yuan] = Field(
        default_factory=lambda: {
            "living_alone": Decimal("1"),
            "disability": Decimal("1"),
            "special_diet": Decimal("0"),
        },
        description="Extra subsidy per meal in yuan for each flag the elder carries "
        "(living_alone, disability, special_diet); a flag left out adds nothing.",
    )
    monthly_subsidy_cap: Yuan = Field(
        default=Decimal("300"),
        description="Most subsidy one elder gets per calendar month (city time), yuan. A meal "
        "booked once the cap is reached is subsidised only up to what is left.",
    )

    @field_validator("subsidy_by_age_tier")
    @classmethod
    def _known_tiers(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        unknown = sorted(set(value) - set(AGE_TIERS))
        if unknown:
            raise ValueError(f"unknown age tiers {unknown} (known: {', '.join(AGE_TIERS)})")
        return value

    @field_validator("subsidy_by_flag")
    @classmethod
    def _known_flags(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        unknown = sorted(set(value) - set(FLAGS))
        if unknown:
            raise ValueError(f"unknown flags {unknown} (known: {', '.join(FLAGS)})")
        return value
