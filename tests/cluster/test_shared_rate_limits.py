"""Rate limits across processes: two apps sharing one Redis give a client its configured rate
once, not once per app; without Redis each app still limits on its own."""

from __future__ import annotations

import logging

import pytest

from schema.limits.rate import Rate
from schema.limits.rate_redis import RedisRateLimiter
from tests.support.api import codes
from tests.support.configs import with_limits

PREFIX = "hemei:rate:"


@pytest.fixture
async def shared_redis(redis_url):
    """The test Redis, with no rate buckets left over before or after."""
    import redis.asyncio as aioredis

    client = aioredis.from_url(redis_url)

    async def clear() -> None:
        keys = [key async for key in client.scan_iter(match=f"{PREFIX}*")]
        if keys:
            await client.delete(*keys)

    await clear()
    yield redis_url
    await clear()
    await client.aclose()


def _config(redis_url: str, **limits: int) -> str:
    # One secret key, as in a deployment: a token signed by one app is accepted by the other.
    return (
        with_limits(**limits)
        + f"""
[cluster]
redis_url = "{redis_url}"
[security]
secret_key = "shared-rate-limit-test-key-0123456789abcdef"
"""
    )


async def test_two_apps_on_one_redis_give_a_client_its_rate_once(api, shared_redis):
    # One token a minute after a burst of 3: nothing refills while the test runs.
    config = _config(shared_redis, anonymous_rate_per_minute=1, rate_per_minute=1, rate_burst=3)
    a, b = await api(config), await api(config)
    answers = [codes(await app.post("{ __typename }")) for app in (a, b, a, b, a)]
    assert answers == [[], [], [], ["RATE_LIMITED"], ["RATE_LIMITED"]]


async def test_an_accounts_bucket_is_shared_by_the_apps(api, shared_redis):
    config = _config(shared_redis, rate_per_minute=1, rate_burst=3)
    a, b = await api(config), await api(config)
    admin_a = await a.signed_in("city_admin")  # charged to the client address, not the account
    admin_b = b.as_token(admin_a.token)
    me = "{ me { username } }"
    answers = [codes(await app.post(me)) for app in (admin_b, admin_a, admin_b, admin_a)]
    assert answers == [[], [], [], ["RATE_LIMITED"]]
    # Anonymous clients keep their own bucket.
    assert codes(await b.post("{ __typename }")) == []


async def test_without_redis_each_app_limits_on_its_own(api, caplog):
    # Nothing listens on port 1: every app falls back to its own buckets, and says so.
    config = _config("redis://127.0.0.1:1/0", anonymous_rate_per_minute=1, rate_burst=2)
    a, b = await api(config), await api(config)
    with caplog.at_level(logging.WARNING, logger="hemei.limits"):
        answers = [codes(await app.post("{ __typename }")) for app in (a, a, a, b, b, b)]
    assert answers == [[], [], ["RATE_LIMITED"]] * 2
    assert "fall back to this process's buckets" in caplog.text


async def test_the_shared_bucket_refuses_with_the_time_until_a_token_is_back(shared_redis):
    limiter = RedisRateLimiter(shared_redis)
    try:
        rate = Rate(per_minute=60, burst=1)
        assert (await limiter.take("account:1", rate)).allowed
        refused = await limiter.take("account:1", rate, cost=2)
        assert not refused.allowed and 0 < refused.retry_after <= 2
        assert refused.retry_after_seconds in (1, 2)
        assert (await limiter.take("account:2", rate)).allowed  # buckets are per key
        assert (await limiter.take("account:1", Rate(per_minute=0, burst=1))).allowed
    finally:
        await limiter.close()
