"""A mutation that may change who can do what makes every process read its viewers afresh."""

from __future__ import annotations

import asyncio

from core.access.models import Account
from core.access.viewer_cache import ViewerCache
from core.cluster.redis import RedisBroker, ViewerSync


async def test_forgetting_the_viewers_in_one_process_reaches_the_others(orm, redis_url):
    caches = [ViewerCache(), ViewerCache()]
    brokers = [RedisBroker(redis_url), RedisBroker(redis_url)]
    for cache, broker in zip(caches, brokers, strict=True):
        ViewerSync(cache, broker)
        await broker.start()
    try:
        await asyncio.wait_for(asyncio.gather(*(b.ready.wait() for b in brokers)), timeout=5)
        account = await Account.get(username="city_admin")
        for cache in caches:
            assert (await cache.viewer(account.id, seconds=60)) is not None
            assert len(cache) == 1
        await caches[0].forget_everywhere()
        assert len(caches[0]) == 0, "at once in the process that wrote"

        async def forgotten_elsewhere() -> None:
            while len(caches[1]):  # noqa: ASYNC110  # the notice arrives from Redis
                await asyncio.sleep(0.02)

        await asyncio.wait_for(forgotten_elsewhere(), timeout=5)
    finally:
        for broker in brokers:
            await broker.close()


async def test_without_peers_forgetting_stays_in_the_process(orm):
    alone, other = ViewerCache(), ViewerCache()
    account = await Account.get(username="city_admin")
    for cache in (alone, other):
        await cache.viewer(account.id, seconds=60)
    await alone.forget_everywhere()
    assert (len(alone), len(other)) == (0, 1)
