"""Dashboard figures are dropped when their district changes: in the process that saw the
change, and through Redis in every other one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from core.cases.models import Case
from core.cluster import invalidate_on_events
from core.cluster.redis import FigureSync, RedisBroker
from core.events.broker import DomainEvent
from core.regions.models import District, Grid
from core.stats.dashboard import CACHE, FigureCache

PERIOD = "2023-08"  # no other test reports cases then
IN_PERIOD = datetime(2023, 8, 10, 4, 0, tzinfo=UTC)
RECEIVED = """query($c: String!) { district(code: $c) {
  stats(period: "2023-08", keys: ["cases.received"]) { value } } }"""


async def _eventually(condition: Callable[[], bool]) -> None:
    async def wait() -> None:
        while not condition():  # noqa: ASYNC110  # the change arrives from Redis, not an Event
            await asyncio.sleep(0.02)

    await asyncio.wait_for(wait(), timeout=5)


def _cached(cache: FigureCache, key: str) -> bool:
    return cache.get(key)[0]


async def test_an_invalidation_reaches_every_process(redis_url):
    caches = [FigureCache(), FigureCache()]
    brokers = [RedisBroker(redis_url), RedisBroker(redis_url)]
    for cache, broker in zip(caches, brokers, strict=True):
        FigureSync(cache, broker)
        invalidate_on_events(broker, cache)
        await broker.start()
    try:
        await asyncio.wait_for(asyncio.gather(*(b.ready.wait() for b in brokers)), timeout=5)
        a, b = caches

        def fill() -> None:
            for cache in caches:
                cache.put("district 1", 1.0, frozenset({1}))
                cache.put("district 2", 2.0, frozenset({2}))
                cache.put("city", 3.0, None)

        fill()
        await a.invalidate(frozenset({1}))
        await _eventually(lambda: not _cached(b, "district 1"))
        for cache in caches:
            assert not _cached(cache, "district 1") and not _cached(cache, "city")
            assert cache.get("district 2") == (True, 2.0), "another district's figures stay"

        # A case event delivered through one process drops its district's figures everywhere.
        fill()
        event = DomainEvent(1, 1, 2, "ACCEPT", {}, datetime.now(UTC))
        await brokers[1].publish(event)
        await _eventually(lambda: not _cached(a, "district 2") and not _cached(b, "district 2"))
        assert all(cache.get("district 1") == (True, 1.0) for cache in caches)
    finally:
        for broker in brokers:
            await broker.close()


async def test_a_value_computed_across_an_invalidation_is_not_kept():
    cache = FigureCache()
    since = cache.drops
    cache.drop(frozenset({1}))  # the change lands while the figure is being computed
    cache.put("district 1", 1.0, frozenset({1}), since)
    assert not _cached(cache, "district 1")


async def test_the_dashboard_shows_a_change_once_its_district_is_invalidated(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    grid = await Grid.get(code="xinhong-g1")
    code = (await District.get(id=grid.district_id)).code
    other = await District.exclude(id=grid.district_id).first()
    assert other is not None

    async def received(district: str) -> float:
        data = await admin.data(RECEIVED, {"c": district})
        return float(data["district"]["stats"][0]["value"])

    before, elsewhere = await received(code), await received(other.code)
    case = await Case.create(
        title="缓存样本", category="sanitation", source="RESIDENT", grid_id=grid.id,
        district_id=grid.district_id, street_id=grid.street_id, community_id=grid.community_id,
        status="REPORTED", level="GRID",
    )  # fmt: skip
    await Case.filter(id=case.id).update(created_at=IN_PERIOD)
    try:
        assert await received(code) == before, "figures are cached"
        await CACHE.invalidate(frozenset({grid.district_id}))
        assert await received(code) == before + 1
        assert await received(other.code) == elsewhere
        assert any(
            (key[1].level, key[1].id) == ("district", other.id) and CACHE.get(key)[0]
            for key in list(CACHE._values)
        ), "the other district's figure was kept"
    finally:
        await case.delete()
        await CACHE.invalidate(frozenset({grid.district_id}))
