"""Viewers remembered between requests: what a signed-in user sees when their grants change.

A grant or revocation through the API counts from the very next request; a change made behind
the API's back (another process, a command, a direct write) counts once
``[performance] viewer_cache_seconds`` have passed, and at once with 0.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.access import viewer_cache
from core.access.models import Account, RoleGrant
from core.access.viewer_cache import ViewerCache
from core.config.model import PerformanceConfig
from core.db.statements import count_statements
from tests.support.api import Api, codes
from tests.support.configs import with_performance

CREATE = """mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"""
GRANT = """mutation($p: ID!) { grantRole(personId: $p, role: "CITY_ADMIN") { id } }"""
REVOKE = """mutation($g: ID!) { revokeRole(grantId: $g) }"""
DEFAULT = PerformanceConfig().viewer_cache_seconds
CACHED = with_performance(viewer_cache_seconds=DEFAULT)
"""The suite's own config reads viewers on every request; these tests serve the default."""
SEEN = "{ people(first: 1) { totalCount } }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def new_user(admin: Api) -> tuple[Api, str, int]:
    """A fresh person with a login and no role: (their signed-in client, person id, account id)."""
    username = f"viewer_{uuid.uuid4().hex[:10]}"
    created = await admin.data(
        CREATE, {"i": {"username": username, "password": "long-enough-1", "name": "缓存测试"}}
    )
    account = await Account.get(username=username)
    user = await admin.signed_in(username, "long-enough-1")
    return user, created["createUser"]["id"], account.id


@asynccontextmanager
async def city_admin_behind_the_apis_back(account_id: int) -> AsyncIterator[None]:
    """Make the account's person a city admin by writing the database directly, for a while."""
    person_id = (await Account.get(id=account_id)).person_id
    await RoleGrant.create(person_id=person_id, role="CITY_ADMIN", level="city")
    try:
        yield
    finally:
        await RoleGrant.filter(person_id=person_id).delete()


async def seen(user: Api) -> int:
    """How many people the user may see: themself only, without a role (1)."""
    return (await user.data(SEEN))["people"]["totalCount"]


async def test_a_grant_and_a_revocation_through_the_api_count_at_once(api):
    client = await api(CACHED)
    admin = await client.signed_in("city_admin")
    user, person, _ = await new_user(admin)
    assert await seen(user) == 1  # remembered now, without a role

    grant = (await admin.data(GRANT, {"p": person}))["grantRole"]["id"]
    assert await seen(user) > 1
    await admin.data(REVOKE, {"g": grant})
    assert await seen(user) == 1


async def test_a_change_behind_the_apis_back_counts_once_the_time_is_up(api):
    client = await api(CACHED)
    clock = Clock()
    client.runtime.viewers = ViewerCache(clock=clock)
    admin = await client.signed_in("city_admin")
    user, _, account_id = await new_user(admin)
    assert await seen(user) == 1

    async with city_admin_behind_the_apis_back(account_id):
        clock.now += DEFAULT - 0.1
        assert await seen(user) == 1, "within viewer_cache_seconds the old grants serve"
        clock.now += 0.2
        assert await seen(user) > 1

        await Account.filter(id=account_id).update(is_active=False)
        assert await seen(user) > 1
        clock.now += DEFAULT + 0.1
        assert codes(await user.post(SEEN)) == ["UNAUTHENTICATED"]


async def test_with_0_seconds_every_request_reads_the_grants(api):
    client = await api(with_performance(viewer_cache_seconds=0))
    admin = await client.signed_in("city_admin")
    user, _, account_id = await new_user(admin)
    assert await seen(user) == 1
    async with city_admin_behind_the_apis_back(account_id):
        assert await seen(user) > 1


async def test_a_remembered_viewer_costs_no_statement(api):
    client = await api(CACHED)
    admin = await client.signed_in("city_admin")
    await admin.data("{ __typename }")
    with count_statements() as log:
        await admin.data("{ __typename }")
    assert log.count == 0


async def test_a_load_that_started_before_a_forget_is_not_remembered(monkeypatch):
    release, loads = asyncio.Event(), []

    async def slow_load(account_id: int) -> None:
        loads.append(account_id)
        await release.wait()
        return None

    monkeypatch.setattr(viewer_cache, "load_viewer", slow_load)
    cache = ViewerCache()
    first = asyncio.create_task(cache.viewer(7, seconds=60))
    await asyncio.sleep(0)
    cache.forget()  # a mutation committed while the old grants were being read
    release.set()
    await first
    assert len(cache) == 0
    await cache.viewer(7, seconds=60)
    await cache.viewer(7, seconds=60)
    assert loads == [7, 7], "the second load is remembered and serves the third request"
