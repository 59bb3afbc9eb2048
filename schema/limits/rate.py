"""Per-viewer rate limits: a token bucket per signed-in account, and per client address for
anonymous clients.

:class:`RateLimiter` is what the HTTP view asks; :class:`MemoryRateLimiter` keeps the buckets in
this process (the default for one process). Several processes behind one address share
:class:`schema.limits.rate_redis.RedisRateLimiter` (``[cluster] redis_url``): the same buckets,
keyed like here, in Redis.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from core.config.model import LimitsConfig


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0
    """Seconds until ``cost`` tokens are back (0 when allowed)."""

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after))


@dataclass(frozen=True)
class Rate:
    per_minute: int
    burst: int

    @property
    def unlimited(self) -> bool:
        return self.per_minute <= 0


class RateLimiter(Protocol):
    """Takes ``cost`` tokens from the bucket ``key`` (``account:7``, ``client:10.0.0.3``)."""

    async def take(self, key: str, rate: Rate, cost: int = 1) -> Decision: ...


def rate_for(limits: LimitsConfig, signed_in: bool) -> Rate:
    per_minute = limits.rate_per_minute if signed_in else limits.anonymous_rate_per_minute
    return Rate(per_minute=per_minute, burst=limits.rate_burst)


class MemoryRateLimiter:
    """Token buckets in memory, at most ``max_keys`` of them (the least recently used go
    first: a flood of new addresses cannot exhaust memory, and a forgotten bucket was full)."""

    def __init__(
        self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def take(self, key: str, rate: Rate, cost: int = 1) -> Decision:
        if rate.unlimited:
            return Decision(True)
        now = self.clock()
        per_second = rate.per_minute / 60.0
        tokens, at = self._buckets.get(key, (float(rate.burst), now))
        tokens = min(float(rate.burst), tokens + (now - at) * per_second)
        if tokens >= cost:
            self._store(key, tokens - cost, now)
            return Decision(True)
        self._store(key, tokens, now)
        return Decision(False, retry_after=(cost - tokens) / per_second)

    def _store(self, key: str, tokens: float, at: float) -> None:
        self._buckets[key] = (tokens, at)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


def limiter_for(redis_url: str | None) -> RateLimiter:
    """Buckets in Redis when processes share one (``[cluster] redis_url``), else in memory.
    The Redis client (~22 MB imported) is loaded only when one is configured."""
    if redis_url is None:
        return MemoryRateLimiter()
    from schema.limits.rate_redis import RedisRateLimiter

    return RedisRateLimiter(redis_url)
