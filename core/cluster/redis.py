"""Redis pub/sub between processes: case events for subscriptions, config reloads, dashboard
cache invalidations and notices to forget remembered viewers.

Every process publishes the events its outbox relay delivers to one channel and fans out what
it receives on that channel to its own subscriptions, so a subscription on one process sees a
change made through another. Live events are best effort (a process that is down misses them);
plugins get every event through the outbox whatever Redis does. A lost connection is retried
with back-off and logged; publishing while Redis is down logs and drops the live event.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from core.access.viewer_cache import ViewerCache
from core.events.broker import Broker, DomainEvent
from core.runtime import Runtime
from core.stats.dashboard import Districts, FigureCache

log = logging.getLogger("hemei.cluster")

EVENTS = "hemei:events"
CONFIG = "hemei:config"
FIGURES = "hemei:figures"
VIEWERS = "hemei:viewers"
MAX_BACKOFF = 10.0


def _encode(event: DomainEvent) -> str:
    return json.dumps({
        "id": event.id, "case_id": event.case_id, "district_id": event.district_id,
        "kind": event.kind, "payload": event.payload, "created_at": event.created_at.isoformat(),
    })  # fmt: skip


def _decode(data: str | bytes) -> DomainEvent:
    raw: dict[str, Any] = json.loads(data)
    return DomainEvent(
        raw["id"], raw["case_id"], raw["district_id"], raw["kind"], raw["payload"],
        datetime.fromisoformat(raw["created_at"]),
    )  # fmt: skip


class RedisBroker(Broker):
    """The broker of a process among several. Also carries config-reload notices for a
    :class:`ConfigSync` and cache invalidations for a :class:`FigureSync` (one connection, one
    listener)."""

    def __init__(self, url: str, queue_size: int = 1000) -> None:
        super().__init__(queue_size=queue_size)
        self.url = url
        self.redis = aioredis.from_url(url, decode_responses=True)
        self.on_config: list[Any] = []
        self.on_figures: list[Callable[[Districts], object]] = []
        self.on_viewers: list[Callable[[], object]] = []
        self._listener: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen())

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
        await self.redis.aclose()

    async def publish(self, event: DomainEvent) -> None:
        try:
            await self.redis.publish(EVENTS, _encode(event))
        except RedisError as exc:
            log.warning("live event %s not shared (Redis: %s); delivering locally", event.id, exc)
            self.fan_out(event)

    async def announce_config(self, digest: str) -> None:
        with suppress(RedisError):
            await self.redis.publish(CONFIG, digest)

    async def announce_figures(self, districts: Districts) -> None:
        try:
            await self.redis.publish(
                FIGURES, json.dumps(None if districts is None else sorted(districts))
            )
        except RedisError as exc:
            log.warning("cache invalidation not shared (Redis: %s); others catch up within "
                        "the cache's lifetime", exc)  # fmt: skip

    async def announce_viewers(self) -> None:
        try:
            await self.redis.publish(VIEWERS, "")
        except RedisError as exc:
            log.warning("viewer invalidation not shared (Redis: %s); others catch up within "
                        "[performance] viewer_cache_seconds", exc)  # fmt: skip

    async def _listen(self) -> None:
        backoff = 0.5
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(EVENTS, CONFIG, FIGURES, VIEWERS)
                self.ready.set()
                backoff = 0.5
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    if message["channel"] == EVENTS:
                        self.fan_out(_decode(message["data"]))
                    elif message["channel"] == VIEWERS:
                        for forget in self.on_viewers:
                            forget()
                    elif message["channel"] == FIGURES:
                        ids = json.loads(message["data"])
                        for drop in self.on_figures:
                            drop(None if ids is None else frozenset(ids))
                    else:
                        for callback in self.on_config:
                            callback(message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                self.ready.clear()
                log.warning("Redis listener lost (%s); retrying in %.1f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)


class ConfigSync:
    """Tells the other processes when this one reloaded its config, and reloads when they do
    (a SIGHUP to one process, or a file that only one host sees, reaches every process). The
    config digest stops the echo: a process that has the same file already does nothing."""

    def __init__(self, runtime: Runtime, broker: RedisBroker) -> None:
        self.runtime, self.broker = runtime, broker
        runtime.listeners.append(self._reloaded_here)
        broker.on_config.append(self._reloaded_elsewhere)

    def _reloaded_here(self, _activation: object) -> None:
        asyncio.get_running_loop().create_task(self.broker.announce_config(self.runtime.digest))

    def _reloaded_elsewhere(self, digest: str) -> None:
        if digest != self.runtime.digest:
            self.runtime.reload()


class ViewerSync:
    """Makes a mutation's "read the viewers afresh" reach every process: :meth:`ViewerCache.
    forget_everywhere` here publishes it, and those of other processes empty the cache here
    (a process also hears its own notice, and forgets once more: harmless)."""

    def __init__(self, viewers: ViewerCache, broker: RedisBroker) -> None:
        viewers.peers = broker.announce_viewers
        broker.on_viewers.append(viewers.forget)


class FigureSync:
    """Makes a dashboard cache's invalidations reach every process: :meth:`FigureCache.
    invalidate` here publishes them, and those of other processes drop entries here. (Case
    events need nothing of this: every process fans each one out, see
    :func:`core.cluster.invalidate_on_events`.)"""

    def __init__(self, cache: FigureCache, broker: RedisBroker) -> None:
        cache.peers = broker.announce_figures
        broker.on_figures.append(cache.drop)
