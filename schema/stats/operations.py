"""``stats`` and ``series`` on the city and on every district, street, community and grid;
``statsCatalogue`` lists every figure with its definition."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from core.access.scope import ScopeRule
from core.access.viewer import Viewer
from core.errors import BadUserInput, Forbidden
from core.regions.places import find_place
from core.stats.dashboard import applicable, compute
from core.stats.periods import Interval, buckets, period_bounds
from core.stats.scope import PlaceScope
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.stats.types import SeriesPoint, Stat, StatDefinition, definition_fields

DASHBOARD_VIEWERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER",
                     "GRID_WORKER"}),
)  # fmt: skip
"""A place's dashboard is for the roles at that place or above it; the city's for city admins."""

PERIOD = strawberry.argument(
    description="A year (2026), a quarter (2026Q3), a month (2026-07) or a week (2026-W27), "
    "in city time."
)
KEYS = strawberry.argument(description="Only these figures (default: every one that applies).")


async def check_viewer(context: Context, scope: PlaceScope) -> None:
    """FORBIDDEN unless the viewer's roles cover the dashboard's place."""
    await check_viewer_of(context.viewer, scope)


async def check_viewer_of(viewer: Viewer | None, scope: PlaceScope) -> None:
    """The same check for a download route, which has a viewer but no GraphQL context."""
    if scope.level == "city":
        if viewer is None or not viewer.with_role("CITY_ADMIN"):
            raise Forbidden("The city's dashboard is for city admins.")
        return
    kind = scope.level.capitalize()
    assert scope.id is not None
    place = await find_place(kind, scope.id)
    if DASHBOARD_VIEWERS.covering_grant(viewer, place.row()) is None:
        raise Forbidden("A dashboard is for the roles at its place or above it.")


async def stats_of(
    context: Context, scope: PlaceScope, period: str, keys: list[str] | None
) -> list[Stat]:
    await check_viewer(context, scope)
    start, end = period_bounds(period, context.activation.config.city.time_zone)
    figures = _selected(context, keys)
    shown = await applicable(figures, scope, context.activation)
    return [
        Stat(**definition_fields(v.spec), value=v.value)  # type: ignore[arg-type]
        for v in await compute(shown, start, end)
    ]


async def series_of(
    context: Context, scope: PlaceScope, key: str, start: datetime, end: datetime,
    interval: Interval,
) -> list[SeriesPoint]:  # fmt: skip
    await check_viewer(context, scope)
    shown = await applicable(_selected(context, [key]), scope, context.activation)
    if not shown:
        return []
    points = []
    for a, b in buckets(start, end, interval, context.activation.config.city.time_zone):
        [value] = await compute(shown, a, b)
        points.append(SeriesPoint(start=a, end=b, value=value.value))
    return points


def _selected(context: Context, keys: list[str] | None) -> list[Any]:
    if keys is None:
        return list(context.figures)
    known = {spec.key: spec for spec in context.figures}
    if unknown := [k for k in keys if k not in known]:
        raise BadUserInput(
            f"No such figure: {', '.join(unknown[:3])} (see statsCatalogue).", argument="keys"
        )
    return [known[k] for k in dict.fromkeys(keys)]


FROM = Annotated[datetime, strawberry.argument(name="from", description="Start (inclusive).")]
TO = Annotated[datetime, strawberry.argument(name="to", description="End (exclusive).")]
INTERVAL = strawberry.argument(description="WEEK (from Monday) or MONTH, in city time.")


def _scope_of(obj: Any, level: str, context: Context) -> PlaceScope:
    return PlaceScope(level, obj.id, time_zone=context.activation.config.city.time_zone)


def _mixin(level: str) -> type:
    """``stats`` and ``series`` for one kind of place."""

    @strawberry.type(name=f"{level.capitalize()}Stats")
    class PlaceStats:
        @strawberry.field(
            description="The place's dashboard figures over a period (null when you may not see "
            "them: a dashboard is for the roles at the place or above it)."
        )
        async def stats(
            self, info: Info, period: Annotated[str, PERIOD],
            keys: Annotated[list[str] | None, KEYS] = None,
        ) -> list[Stat] | None:  # fmt: skip
            return await stats_of(info.context, _scope_of(self, level, info.context), period, keys)

        @strawberry.field(description="One figure per week or month over [from, to): a trend.")
        async def series(
            self, info: Info, key: str, start: FROM, end: TO,
            interval: Annotated[Interval, INTERVAL] = Interval.MONTH,
        ) -> list[SeriesPoint] | None:  # fmt: skip
            scope = _scope_of(self, level, info.context)
            return await series_of(info.context, scope, key, start, end, interval)

    return PlaceStats


STATS_FIELDS: dict[str, type] = {
    "District": _mixin("district"),
    "Street": _mixin("street"),
    "Community": _mixin("community"),
    "Grid": _mixin("grid"),
}


def _city(context: Context) -> PlaceScope:
    return PlaceScope("city", time_zone=context.activation.config.city.time_zone)


@strawberry.type(description="The city as a whole: its name and its dashboard (city admins).")
class City:
    name: str = strawberry.field(description="The city's name, e.g. 鹤岗市.")

    @strawberry.field(description="The city's dashboard figures over a period.")
    async def stats(
        self, info: Info, period: Annotated[str, PERIOD],
        keys: Annotated[list[str] | None, KEYS] = None,
    ) -> list[Stat]:  # fmt: skip
        return await stats_of(info.context, _city(info.context), period, keys)

    @strawberry.field(description="One city figure per week or month over [from, to).")
    async def series(
        self, info: Info, key: str, start: FROM, end: TO,
        interval: Annotated[Interval, INTERVAL] = Interval.MONTH,
    ) -> list[SeriesPoint]:  # fmt: skip
        return await series_of(info.context, _city(info.context), key, start, end, interval)


@strawberry.type
class StatsQuery:
    @strawberry.field(
        description="The city: its name for everyone signed in; its dashboard for city admins.",
        permission_classes=[IsAuthenticated],
    )
    def city(self, info: Info) -> City:
        return City(name=info.context.activation.config.city.name)

    @strawberry.field(description="Every dashboard figure there is: keys, labels, definitions.")
    def stats_catalogue(self, info: Info) -> list[StatDefinition]:
        return [StatDefinition(**definition_fields(s)) for s in info.context.figures]  # type: ignore[arg-type]
