"""A place's dashboard: the figures that apply there, each computed once per short while.

Module figures show only where their module is on: at a district, street, community or grid
when the module is on there; city-wide when it is on in some district, computed over those
districts only. Values are cached for ``CACHE_SECONDS`` per place, period and figure (a figure
a minute old is fine on a dashboard, and a city dashboard runs dozens of aggregations).

A change to a district's records drops that district's figures (and the city's) sooner:
:meth:`FigureCache.invalidate` drops them here and, when processes share Redis, in every process
(:class:`core.cluster.redis.FigureSync`); every case event a process's broker fans out does the
same for the event's district. The TTL still bounds what an invalidation can miss (a message
lost while Redis reconnects, a computation that read just before the change)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
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


Districts = frozenset[int] | None
"""The districts an entry depends on, or that changed (None: all of them)."""


@dataclass
class FigureCache:
    """A small time-bounded cache of computed figures, each tagged with the districts it
    counts so that a change in one district drops only the figures that include it."""

    seconds: float = CACHE_SECONDS
    peers: Callable[[Districts], Awaitable[None]] | None = None
    """Tells the other processes of an invalidation (set by ``FigureSync``; None: alone)."""
    _values: dict[Any, tuple[float, float | None]] = field(default_factory=dict)
    # Keys by the district they count (None: every district), so that a burst of case events
    # drops entries without scanning the whole cache for each. May name keys already gone.
    _keys: dict[int | None, set[Any]] = field(default_factory=dict)
    _district_of: dict[tuple[str, int], int] = field(default_factory=dict)
    drops: int = 0
    """How many invalidations this cache has seen: a value computed while one happened may
    predate the change, and is not stored (see :meth:`put`)."""

    def get(self, key: Any) -> tuple[bool, float | None]:
        found = self._values.get(key)
        if found is None or found[0] < time.monotonic():
            return False, None
        return True, found[1]

    def put(
        self, key: Any, value: float | None, districts: Districts = None, since: int | None = None
    ) -> None:
        """Store ``value`` as counting ``districts``, unless an invalidation came after
        ``since`` (:attr:`drops` read before computing it)."""
        if since is not None and since != self.drops:
            return
        if len(self._values) >= _CACHE_LIMIT:
            now = time.monotonic()
            self._values = {k: v for k, v in self._values.items() if v[0] >= now}
            if len(self._values) >= _CACHE_LIMIT:
                self._values.clear()
            live = set(self._values)
            self._keys = {d: keys & live for d, keys in self._keys.items() if keys & live}
        self._values[key] = (time.monotonic() + self.seconds, value)
        for district in districts if districts is not None else (None,):
            self._keys.setdefault(district, set()).add(key)

    def drop(self, districts: Districts = None) -> int:
        """Forget the figures that count any of ``districts`` (None: every figure), in this
        process only; returns how many were dropped."""
        self.drops += 1
        if districts is None:
            dropped = len(self._values)
            self._values.clear()
            self._keys.clear()
            return dropped
        stale = self._keys.pop(None, set())
        for district in districts:
            stale |= self._keys.pop(district, set())
        return sum(self._values.pop(key, None) is not None for key in stale)

    async def invalidate(self, districts: Districts = None) -> None:
        """Forget the figures that count any of ``districts`` in every process: call it after
        a write that changes figures and is not a case event."""
        self.drop(districts)
        if self.peers is not None:
            await self.peers(districts)

    async def districts_of(self, scope: PlaceScope) -> Districts:
        """The districts a figure at ``scope`` counts (a place never moves between
        districts, so the lookup below district level is remembered)."""
        if scope.level == "city":
            return scope.districts
        assert scope.id is not None
        if scope.level == "district":
            return frozenset({scope.id})
        place = (scope.level, scope.id)
        if place not in self._district_of:
            model = {"street": Street, "community": Community, "grid": Grid}[scope.level]
            found: list[Any] = list(
                await model.filter(id=scope.id).values_list("district_id", flat=True)
            )
            if not found:
                return None
            if len(self._district_of) >= _CACHE_LIMIT:
                self._district_of.clear()
            self._district_of[place] = int(found[0])
        return frozenset({self._district_of[place]})


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
            since = cache.drops
            districts = await cache.districts_of(scope)
            value = await spec.compute(scope, start, end)
            cache.put(key, value, districts, since)
        return Value(spec, value)

    return list(await asyncio.gather(*(one(spec, scope) for spec, scope in shown)))
