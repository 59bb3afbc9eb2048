"""The module's figures on the core dashboards (``register_figures``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core import FigureSpec, PlaceScope, Unit
from plugins.elderly_canteen.figures import Figures, figures

NAME = "elderly_canteen"


def _figure(pick: Callable[[Figures], float | None]) -> Callable[..., Awaitable[float | None]]:
    async def compute(place: PlaceScope, start: datetime, end: datetime) -> float | None:
        where = place.q(grid=None)  # canteens serve a community: no grid figure
        if where is None:
            return None
        zone = ZoneInfo(place.time_zone)
        found = await figures(
            where, start.astimezone(zone).date(), end.astimezone(zone).date(), start, end
        )
        return pick(found)

    return compute


FIGURES = [
    FigureSpec(f"{NAME}.meals_served", "助餐服务人次", "Meals served",
               "Meals served (checked in) in the period, dine-in and delivered.", Unit.COUNT,
               _figure(lambda f: f.meals_served)),
    FigureSpec(f"{NAME}.meals_delivered", "送餐上门", "Meals delivered",
               "Of those, meals delivered to the elder's home.", Unit.COUNT,
               _figure(lambda f: f.delivered)),
    FigureSpec(f"{NAME}.elders_served", "服务老人", "Elders served",
               "Distinct elders who had a meal served in the period.", Unit.COUNT,
               _figure(lambda f: f.elders_served)),
    FigureSpec(f"{NAME}.subsidy_paid", "助餐补贴", "Meal subsidy paid",
               "Subsidy on the meals served in the period, yuan.", Unit.YUAN,
               _figure(lambda f: float(f.subsidy_paid))),
    FigureSpec(f"{NAME}.satisfaction", "助餐满意度", "Meal satisfaction",
               "Mean rating (1–5) of the meals served in the period that elders rated.",
               Unit.RATING, _figure(lambda f: f.satisfaction)),
]  # fmt: skip
