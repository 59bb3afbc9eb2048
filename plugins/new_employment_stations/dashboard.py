"""The module's figures on the core dashboards (``register_figures``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from core import FigureSpec, PlaceScope, Unit
from plugins.new_employment_stations.figures import Figures, figures

NAME = "new_employment_stations"


def _figure(pick: Callable[[Figures], float | None]) -> Callable[..., Awaitable[float | None]]:
    async def compute(place: PlaceScope, start: datetime, end: datetime) -> float | None:
        where = place.q(grid=None)  # stations serve a community: no grid figure
        return None if where is None else pick(await figures(where, start, end))

    return compute


FIGURES = [
    FigureSpec(f"{NAME}.workers_served", "服务新就业群体", "Gig workers served",
               "Distinct couriers, riders and drivers who checked in at a station.", Unit.COUNT,
               _figure(lambda f: f.workers_served)),
    FigureSpec(f"{NAME}.check_ins", "驿站签到", "Station check-ins",
               "Check-ins at stations in the period.", Unit.COUNT, _figure(lambda f: f.check_ins)),
    FigureSpec(f"{NAME}.reports_made", "移动哨兵上报", "Sentinel reports",
               "Snap reports made by registered workers in the period.", Unit.COUNT,
               _figure(lambda f: f.reports_made)),
    FigureSpec(f"{NAME}.problems_solved", "哨兵问题解决", "Sentinel problems solved",
               "Workers' reports whose case was resolved in the period.", Unit.COUNT,
               _figure(lambda f: f.problems_solved)),
]  # fmt: skip
