"""Fan-out of delivered events to the subscriptions of this process.

In one process this in-memory broker is enough; several processes share events through
:class:`core.cluster.redis.RedisBroker`, which has the same interface.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """A delivered outbox row: what happened to which case, in which district."""

    id: int
    case_id: int
    district_id: int
    kind: str
    payload: dict[str, Any]
    created_at: datetime


@dataclass
class Broker:
    """Publishes each event to every open subscription's queue (bounded: a subscriber that
    stops reading loses the oldest events rather than growing the process without limit)."""

    queue_size: int = 1000
    watchers: list[Callable[[DomainEvent], None]] = field(default_factory=list)
    """Called with every event this process fans out, whichever process delivered it (the
    dashboard cache drops the figures of the event's district)."""
    _queues: set[asyncio.Queue[DomainEvent]] = field(default_factory=set)

    async def start(self) -> None:
        """Begin receiving events published elsewhere (nothing to do in memory)."""

    async def close(self) -> None:
        """Stop receiving."""

    async def publish(self, event: DomainEvent) -> None:
        """Hand ``event`` to every subscription (of every process, for a shared broker)."""
        self.fan_out(event)

    def fan_out(self, event: DomainEvent) -> None:
        """Put ``event`` on this process's subscription queues."""
        for watch in self.watchers:
            watch(event)
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @property
    def subscriptions(self) -> int:
        """Open subscriptions of this process (a gauge for operators)."""
        return len(self._queues)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[DomainEvent]]:
        queue: asyncio.Queue[DomainEvent] = asyncio.Queue(self.queue_size)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)
