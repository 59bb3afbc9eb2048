"""The module's figures on the core dashboards (``register_figures``): counts only, never a
record's text. Sessions and people served belong to the community a session is in (no grid
figure); expert visits to a district (no street, community or grid figure)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core import FigureSpec, PlaceScope, Unit
from plugins.medical_teams.figures import (
    ExpertFigures,
    SessionCount,
    expert_figures,
    session_figures,
)
from plugins.medical_teams.places import NAME


def _sessions(
    pick: Callable[[list[SessionCount]], float],
) -> Callable[..., Awaitable[float | None]]:
    async def compute(place: PlaceScope, start: datetime, end: datetime) -> float | None:
        where = place.q(grid=None)
        return None if where is None else pick(await session_figures(where, start, end))

    return compute


def _experts(pick: Callable[[ExpertFigures], float]) -> Callable[..., Awaitable[float | None]]:
    async def compute(place: PlaceScope, start: datetime, end: datetime) -> float | None:
        where = place.q(street=None, community=None, grid=None)
        if where is None:
            return None
        zone = ZoneInfo(place.time_zone)
        found = await expert_figures(
            where, start.astimezone(zone).date(), end.astimezone(zone).date()
        )
        return pick(found)

    return compute


FIGURES = [
    FigureSpec(f"{NAME}.sessions", "义诊与健康培训场次", "Free clinics and health training",
               "Free clinics and health-training sessions (not cancelled) starting in the period.",
               Unit.COUNT, _sessions(lambda found: sum(c.sessions for c in found))),
    FigureSpec(f"{NAME}.people_served", "医疗服务群众", "People served by medical teams",
               "Residents checked in at those sessions, plus the walk-ins the teams counted.",
               Unit.COUNT, _sessions(lambda found: sum(c.people_served for c in found))),
    FigureSpec(f"{NAME}.expert_visits", "专家坐诊", "Expert visits",
               "Visits of outside experts (省级专家) starting in the period.", Unit.COUNT,
               _experts(lambda found: found.visits)),
    FigureSpec(f"{NAME}.surgeries", "专家手术", "Surgeries by visiting experts",
               "Surgeries the visiting experts of the period performed.", Unit.COUNT,
               _experts(lambda found: found.surgeries)),
]  # fmt: skip
