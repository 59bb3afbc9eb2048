"""Age tiers and subsidies: the rules of what a meal costs an elder, in exact yuan.

A meal's subsidy is the district's amount for the elder's age tier on the meal's day plus the
amount of each flag the elder carries, never more than the meal's price, and never more than
what is left of the elder's monthly cap (the subsidies of the month's other meals that are
booked or served count against it; cancelled meals and no-shows give theirs back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from plugins.elderly_canteen.settings import AGE_TIERS, FLAGS, CanteenSettings
from plugins.elderly_canteen.timing import age_on

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MIN_AGE = 60


def yuan(value: Decimal | int | str) -> Decimal:
    """An amount exact to the fen."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    return yuan(sum(amounts, ZERO))


def age_tier(birth: date, day: date) -> str:
    """60-69, 70-79 or 80+ on ``day`` (below 60: not an elder of the canteen)."""
    age = age_on(birth, day)
    if age < MIN_AGE:
        raise ValueError("younger than 60")
    if age < 70:
        return AGE_TIERS[0]
    return AGE_TIERS[1] if age < 80 else AGE_TIERS[2]


@dataclass(frozen=True)
class Subsidy:
    """What one meal costs: its price, the subsidy, what the elder pays, and how the subsidy
    was made up (``parts``: the tier and each flag, before the price and the cap cut it)."""

    price: Decimal
    subsidy: Decimal
    pay: Decimal
    parts: dict[str, str]
    capped: bool


def subsidy_for(
    settings: CanteenSettings,
    price: Decimal,
    tier: str,
    flags: Mapping[str, bool],
    used_this_month: Decimal,
) -> Subsidy:
    price = yuan(price)
    parts = {f"tier:{tier}": yuan(settings.subsidy_by_age_tier.get(tier, ZERO))}
    for flag in FLAGS:
        if flags.get(flag):
            parts[f"flag:{flag}"] = yuan(settings.subsidy_by_flag.get(flag, ZERO))
    wanted = total(parts.values())
    left = max(yuan(settings.monthly_subsidy_cap) - yuan(used_this_month), ZERO)
    subsidy = min(wanted, price, left)
    return Subsidy(
        price=price,
        subsidy=subsidy,
        pay=price - subsidy,
        parts={k: str(v) for k, v in parts.items()},
        capped=subsidy < min(wanted, price),
    )
