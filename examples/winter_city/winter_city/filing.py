"""Filing a winter problem: a core case on the ladder, and the winter report beside it. Used by
the GraphQL mutation and by the Open311 endpoint alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from core import (
    BadUserInput,
    CaseReport,
    CaseService,
    ModuleDisabled,
    PlaceRow,
    Viewer,
)

from winter_city.models import WinterReport
from winter_city.names import CATEGORIES, NAME
from winter_city.settings import WinterSettings

TITLES = {"SNOW": "积雪结冰未清理", "HEATING": "停暖"}


@dataclass(frozen=True)
class Problem:
    """What a resident reports: snow or a heating outage, at a compound or a point."""

    kind: str
    description: str = ""
    compound_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    households: int = 0
    source: str = "GRAPHQL"


async def file_problem(
    viewer: Viewer | None,
    cases: CaseService,
    problem: Problem,
    *,
    module_on: Callable[[PlaceRow], Awaitable[bool]],
    settings_at: Callable[[PlaceRow], Awaitable[WinterSettings]],
    today: date,
) -> WinterReport:
    """Report ``problem`` as a core case and keep the winter report beside it.

    Core places the case (in the compound, or the grid whose boundary holds the point); the
    module must be on there, or MODULE_DISABLED. Call it inside a transaction (a mutation, or
    ``RouteContext.change``): a refusal after the case was written rolls the case back too.
    """
    if problem.kind not in CATEGORIES:
        raise BadUserInput("A winter problem is SNOW or HEATING.", argument="kind")
    if problem.compound_id is None and (problem.lon is None or problem.lat is None):
        raise BadUserInput("Say where: a compound, or a point (lon, lat).", argument="lon")
    case, _ = await cases.report(
        viewer,
        CaseReport(
            title=TITLES[problem.kind],
            category=CATEGORIES[problem.kind],
            description=problem.description[:2000],
            source="RESIDENT",
            compound_id=problem.compound_id,
            lon=problem.lon,
            lat=problem.lat,
        ),
    )
    place = PlaceRow(
        "Grid",
        case.grid_id,
        case.district_id,
        case.street_id,
        case.community_id,
        grid_id=case.grid_id,
        compound_id=case.compound_id,
    )
    if not await module_on(place):
        raise ModuleDisabled(NAME, f"the place of this report (district {case.district_id})")
    settings = await settings_at(place)
    if problem.kind == "HEATING":
        if not settings.in_heating_season(today):
            raise BadUserInput(
                f"Outside the heating season ({settings.heating_season_start} to "
                f"{settings.heating_season_end}): report it as a core heating case.",
                argument="kind",
            )
        if not 1 <= problem.households <= settings.max_households:
            raise BadUserInput(
                f"households is 1–{settings.max_households} for a heating outage.",
                argument="households",
            )
    return await WinterReport.create(
        kind=problem.kind,
        district_id=case.district_id,
        street_id=case.street_id,
        community_id=case.community_id,
        grid_id=case.grid_id,
        compound_id=case.compound_id,
        lon=problem.lon,
        lat=problem.lat,
        description=problem.description[:2000],
        households=problem.households if problem.kind == "HEATING" else 0,
        case_id=case.id,
        source=problem.source,
        reporter_id=viewer.person_id if viewer else None,
    )
