"""Redis for the scale-out tests: reachable at $HEMEI_TEST_REDIS_URL (default
redis://127.0.0.1:6379/15), or the test is skipped saying why."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

REDIS_URL = os.environ.get("HEMEI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest_asyncio.fixture(loop_scope="session")
async def redis_url() -> AsyncIterator[str]:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError

    client = aioredis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}: {exc}")
    finally:
        await client.aclose()
    yield REDIS_URL
