"""A place's dashboard: the figures that apply there, each computed once per short while.

Module figures show only where their module is on: at a district, street, community or grid
when the module is on there; city-wide when it is on in some district, computed over those
districts only. Values are cached for ``CACHE_SECONDS`` per place, period and figure (one
process; a figure a minute old is fine on a dashboard, and a city dashboard runs dozens of
aggregations)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.activation import Activation, Place
from core.regions.models import Community, District, Grid, Street
from core.stats.figures import FigureSpec
from core.stats.scope import PlaceScope

CACHE_SECONDS = 60.0
_CACHE_LIMIT = 20_000


@dataclass(frozen=True)
class Value:
    spec: FigureSpec
    value: float | None


@dataclass
class FigureCache:
    """A small time-bounded cache of computed figures (per process)."""

    seconds: float = CACHE_SECONDS
    _values: dict[Any, tuple[float, float | None]] = field(default_factory=dict)

    def get(self, key: Any) -> tuple[bool, float | None]:
        found = self._values.get(key)
        if found is None or found[0] < time.monotonic():
            return False, None
        return True, found[1]

    def put(self, key: Any, value: float | None) -> None:
        if len(self._values) >= _CACHE_LIMIT:
            now = time.monotonic()
            self._values = {k: v for k, v in self._values.items() if v[0] >= now}
            if len(self._values) >= _CACHE_LIMIT:
                self._values.clear()
        self._values[key] = (time.monotonic() + self.seconds, value)


CACHE = FigureCache()


async def place_of(level: str, key: int | None) -> Place | None:
    """The config place (codes) of a dashboard place, for module switches (None: the city)."""
    if level == "city" or key is None:
        return None
    if level == "grid":
        grid = await Grid.get(id=key)
        level, key = "community", grid.community_id
    if level == "community":
        community = await Community.get(id=key)
        street = await Street.get(id=community.street_id)
        district = await District.get(id=community.district_id)
        return Place(district.code, street.code, community.code)
    if level == "street":
        street = await Street.get(id=key)
        return Place((await District.get(id=street.district_id)).code, street.code)
    return Place((await District.get(id=key)).code)


async def applicable(
    figures: Iterable[FigureSpec], scope: PlaceScope, activation: Activation
) -> list[tuple[FigureSpec, PlaceScope]]:
    """The figures that show at ``scope``, each with the scope to compute it over."""
    place = await place_of(scope.level, scope.id)
    districts = dict(await District.all().values_list("id", "code")) if place is None else {}
    shown = []
    for spec in figures:
        if spec.module is None:
            shown.append((spec, scope))
        elif place is not None:
            if activation.state(spec.module, place).enabled:
                shown.append((spec, scope))
        else:
            on = [
                i
                for i, code in districts.items()
                if activation.state(spec.module, Place(code)).enabled
            ]
            if on:
                shown.append((spec, scope.within(on)))
    return shown


async def compute(
    shown: Sequence[tuple[FigureSpec, PlaceScope]], start: datetime, end: datetime,
    cache: FigureCache = CACHE,
) -> list[Value]:  # fmt: skip
    """The figures' values, from the cache where fresh, the rest computed concurrently."""

    async def one(spec: FigureSpec, scope: PlaceScope) -> Value:
        key = (spec.key, scope, start, end)
        hit, value = cache.get(key)
        if not hit:
            value = await spec.compute(scope, start, end)
            cache.put(key, value)
        return Value(spec, value)

    return list(await asyncio.gather(*(one(spec, scope) for spec, scope in shown)))
