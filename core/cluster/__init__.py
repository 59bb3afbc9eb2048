"""What several Hemei processes share beyond the database: events and config reloads through
Redis, and scheduled jobs that run once per due time whichever process gets there first."""

from __future__ import annotations

from core.events.broker import Broker
from core.runtime import Runtime


def broker_for(runtime: Runtime) -> Broker:
    """The broker the config asks for: Redis with ``[cluster] redis_url``, else in memory.
    With Redis, config reloads are shared between processes too."""
    url = runtime.config.cluster.redis_url
    if url is None:
        return Broker()
    from core.cluster.redis import ConfigSync, RedisBroker

    broker = RedisBroker(url)
    ConfigSync(runtime, broker)
    return broker
