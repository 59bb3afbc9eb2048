"""Fan-out of delivered events to the subscriptions of this process.

In one process an in-memory broker is enough; several processes need a shared broker (the
scale-out issue puts Redis behind this same interface).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
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
    _queues: set[asyncio.Queue[DomainEvent]] = field(default_factory=set)

    def publish(self, event: DomainEvent) -> None:
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[DomainEvent]]:
        queue: asyncio.Queue[DomainEvent] = asyncio.Queue(self.queue_size)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)
