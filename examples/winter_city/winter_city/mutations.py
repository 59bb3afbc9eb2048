"""Root mutations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import strawberry
from core import CaseService, PlaceRow
from schema import (
    Context,
    IsAuthenticated,
    global_id,
    key_of,
    module_settings,
    require_module,
)
from strawberry.types import Info

from winter_city.filing import Problem, file_problem
from winter_city.names import NAME
from winter_city.settings import WinterSettings
from winter_city.types import REPORT, ProblemKind, WinterReport


@strawberry.input(description="A winter problem: at a compound, or at a point.")
class ReportWinterProblemInput:
    kind: ProblemKind = strawberry.field(description="SNOW or HEATING.")
    compound_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Compound (or give lon and lat)."
    )
    lon: float | None = strawberry.field(default=None, description="Longitude (WGS84).")
    lat: float | None = strawberry.field(default=None, description="Latitude (WGS84).")
    description: str = strawberry.field(default="", description="What is wrong.")
    households: int = strawberry.field(
        default=0, description="Households without heating (HEATING only)."
    )


@strawberry.type
class WinterMutation:
    @strawberry.mutation(
        description="Report uncleared snow or a heating outage: files a core case (winter_snow "
        "or heating) on the ladder, where the module is on.",
        permission_classes=[IsAuthenticated],
    )
    async def report_winter_problem(
        self, info: Info, input: ReportWinterProblemInput
    ) -> WinterReport:
        context: Context = info.context

        async def on(place: PlaceRow) -> bool:
            await require_module(info, NAME, place)
            return True

        async def settings(place: PlaceRow) -> WinterSettings:
            return await module_settings(info, NAME, place, WinterSettings)

        zone = ZoneInfo(context.activation.config.city.time_zone)
        row = await file_problem(
            context.viewer,
            CaseService(context.activation.config.cases, context.categories),
            Problem(
                kind=input.kind.value,
                description=input.description,
                compound_id=key_of(input.compound_id, "Compound") if input.compound_id else None,
                lon=input.lon,
                lat=input.lat,
                households=input.households,
            ),
            module_on=on,
            settings_at=settings,
            today=datetime.now(zone).date(),
        )
        context.note.about(global_id("WinterReport", row.id), row.district_id, kind=row.kind)
        return REPORT.build({c: getattr(row, c) for c in REPORT.columns})
