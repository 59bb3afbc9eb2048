"""The module's figures for a place's dashboard: meals served (dine-in and delivered), elders
served, subsidy paid, satisfaction and food-safety complaints, over a period of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from tortoise.expressions import Q
from tortoise.functions import Count

from plugins.elderly_canteen.models import Complaint, Elder, Meal
from plugins.elderly_canteen.money import total

SERVED = "CHECKED_IN"


@dataclass(frozen=True)
class Figures:
    meals_served: int
    dine_in: int
    delivered: int
    elders_served: int
    elders_registered: int
    subsidy_paid: Decimal
    paid_by_elders: Decimal
    ratings: int
    satisfaction: float | None
    complaints: int


async def figures(where: Q, start: date, end: date, since: datetime, until: datetime) -> Figures:
    """Served meals with ``start <= day < end`` at the places ``where`` selects; complaints
    made between ``since`` and ``until``."""
    served = Meal.filter(where, day__gte=start, day__lt=end, booking__status=SERVED)
    by_mode = dict(await served.annotate(n=Count("id")).group_by("mode").values_list("mode", "n"))
    elders = await served.distinct().values_list("elder_id", flat=True)
    money = await served.values_list("subsidy", "pay")
    ratings = cast(
        list[int], await served.filter(rating__not_isnull=True).values_list("rating", flat=True)
    )
    return Figures(
        meals_served=sum(by_mode.values()),
        dine_in=by_mode.get("DINE_IN", 0),
        delivered=by_mode.get("DELIVERY", 0),
        elders_served=len(set(elders)),
        elders_registered=await Elder.filter(where, active=True).count(),
        subsidy_paid=total(Decimal(s) for s, _ in money),
        paid_by_elders=total(Decimal(p) for _, p in money),
        ratings=len(ratings),
        satisfaction=round(sum(ratings) / len(ratings), 2) if ratings else None,
        complaints=await Complaint.filter(
            where, created_at__gte=since, created_at__lt=until
        ).count(),
    )
