"""Rate limits shared by every process: the token buckets of :mod:`schema.limits.rate` in Redis.

One ``EVAL`` per charge refills and takes in one step on the Redis server, so processes that
charge one bucket at once cannot both spend its last token, and Redis's clock is the only clock
(processes' clocks may disagree). A bucket expires once it would be full again: an idle client
costs no memory.

When Redis cannot be reached the limiter falls back to the per-process buckets rather than
letting everything through (fail open would lift the limit exactly when something is wrong) or
refusing everything (an outage of Redis is not the clients' fault): each process then limits on
its own, so a client gets at most the rate times the number of processes. The fallback is
logged once per outage and Redis is tried again after ``retry_seconds``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from schema.limits.rate import Decision, MemoryRateLimiter, Rate

log = logging.getLogger("hemei.limits")

PREFIX = "hemei:rate:"

# KEYS[1] the bucket; ARGV: burst, tokens per second, cost. Returns {allowed, retry_after} as
# strings (Lua numbers would reach the client truncated to integers).
TOKEN_BUCKET = """
local burst = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_second)
local allowed = 0
local retry_after = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry_after = (cost - tokens) / per_second
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_second * 1000) + 1000)
return {tostring(allowed), tostring(retry_after)}
"""


class RedisRateLimiter:
    """Token buckets in Redis, one hash per key (``hemei:rate:account:7``)."""

    def __init__(
        self,
        url: str,
        prefix: str = PREFIX,
        retry_seconds: float = 5.0,
        timeout: float = 1.0,
        max_connections: int = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self.clock = clock
        # A short socket timeout: a request waits at most this long for Redis before the
        # fallback. A bounded pool that makes requests queue for a connection: an unbounded one
        # opens a connection per concurrent request, and a capped one that does not wait
        # fails a burst over to the fallback.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=2.0, decode_responses=True,
            socket_timeout=timeout, socket_connect_timeout=timeout,
        )  # fmt: skip
        self.redis = aioredis.Redis.from_pool(pool)
        self.script = self.redis.register_script(TOKEN_BUCKET)
        self.fallback = MemoryRateLimiter()
        self._down_until: float | None = None

    async def take(self, key: str, rate: Rate, cost: int = 1) -> Decision:
        if rate.unlimited:
            return Decision(True)
        if self._down_until is not None and self.clock() < self._down_until:
            return await self.fallback.take(key, rate, cost)
        try:
            answer: Any = await self.script(
                keys=[self.prefix + key], args=[rate.burst, rate.per_minute / 60.0, cost]
            )
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                log.warning(
                    "rate limits fall back to this process's buckets (Redis: %s: %s)",
                    type(exc).__name__, exc,
                )  # fmt: skip
            self._down_until = self.clock() + self.retry_seconds
            return await self.fallback.take(key, rate, cost)
        if self._down_until is not None:
            log.warning("rate limits are shared through Redis again")
            self._down_until = None
        allowed, retry_after = answer
        return Decision(allowed == "1", retry_after=float(retry_after))

    async def close(self) -> None:
        await self.redis.aclose()
