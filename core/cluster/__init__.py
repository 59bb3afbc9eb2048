"""What several Hemei processes share beyond the database: events, config reloads, dashboard
cache invalidations and "read the viewers afresh" notices through Redis, and scheduled jobs
that run once per due time whichever process gets there first. (Rate limits are shared by
:mod:`schema.limits.rate_redis`.)"""

from __future__ import annotations

from core.events.broker import Broker, DomainEvent
from core.runtime import Runtime
from core.stats.dashboard import CACHE, FigureCache


def invalidate_on_events(broker: Broker, cache: FigureCache = CACHE) -> None:
    """Each case event the broker fans out drops the dashboard figures of its district: with
    Redis every process fans out every event, so every process drops them."""

    def drop(event: DomainEvent) -> None:
        cache.drop(frozenset({event.district_id}))

    broker.watchers.append(drop)


def broker_for(runtime: Runtime, cache: FigureCache = CACHE) -> Broker:
    """The broker the config asks for: Redis with ``[cluster] redis_url``, else in memory.
    With Redis, config reloads, ``cache``'s invalidations and the forgetting of remembered
    viewers are shared between processes too."""
    url = runtime.config.cluster.redis_url
    if url is None:
        broker = Broker()
    else:
        from core.cluster.redis import ConfigSync, FigureSync, RedisBroker, ViewerSync

        broker = RedisBroker(url)
        ConfigSync(runtime, broker)
        FigureSync(cache, broker)
        ViewerSync(runtime.viewers, broker)
    invalidate_on_events(broker, cache)
    return broker
