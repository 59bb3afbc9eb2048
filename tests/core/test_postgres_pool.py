"""The PostgreSQL pool skips asyncpg's session reset (core/db/postgres.py): what that keeps,
what is still undone, and the URL switch that puts the reset back; and it takes and gives
back idle connections inline (core/db/pool.py), leaving every other case to asyncpg."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from tortoise import connections
from tortoise.backends.base.config_generator import expand_db_url

from core.db.pool import LeanPool, create_lean_pool
from core.db.postgres import HemeiAsyncpgClient


@pytest.fixture
def postgres_url(orm: str) -> str:
    if connections.get("default").capabilities.dialect != "postgres":
        pytest.skip("the pool reset is a PostgreSQL matter (HEMEI_TEST_DATABASE=postgres)")
    return orm


@asynccontextmanager
async def one_connection_pool(url: str, query: str = "") -> AsyncIterator[HemeiAsyncpgClient]:
    """A pool of exactly one connection, so that each acquire gets the same session back."""
    credentials = expand_db_url(f"{url}?minsize=1&maxsize=1{query}")["credentials"]
    client = HemeiAsyncpgClient(connection_name="pool-test", **credentials)
    await client.create_connection(with_db=True)
    try:
        yield client
    finally:
        await client.close()


async def test_the_app_pool_is_hemeis_and_keeps_sessions(postgres_url):
    assert isinstance(connections.get("default"), HemeiAsyncpgClient)
    async with one_connection_pool(postgres_url) as client:
        async with client.acquire_connection() as connection:
            await connection.execute("SET application_name = 'hemei-kept'")
        async with client.acquire_connection() as connection:
            # No reset query ran: this is why Hemei sets no session state on pooled connections.
            assert await connection.fetchval("SHOW application_name") == "hemei-kept"


async def test_a_transaction_left_open_is_still_rolled_back(postgres_url):
    async with one_connection_pool(postgres_url) as client:
        async with client.acquire_connection() as connection:
            await connection.execute("BEGIN")
            await connection.execute("CREATE TEMP TABLE left_open (n int)")
        async with client.acquire_connection() as connection:
            assert not connection.is_in_transaction()
            exists = await connection.fetchval("SELECT to_regclass('pg_temp.left_open')")
            assert exists is None, "the open transaction was rolled back, its table with it"


async def test_reset_sessions_in_the_url_puts_the_reset_back(postgres_url):
    async with one_connection_pool(postgres_url, "&reset_sessions=true") as client:
        assert client.reset_sessions
        async with client.acquire_connection() as connection:
            await connection.execute("SET application_name = 'hemei-kept'")
        async with client.acquire_connection() as connection:
            assert await connection.fetchval("SHOW application_name") == ""


# The lean checkout and return (core/db/pool.py) --------------------------------------------


async def test_a_connection_is_taken_and_given_back_without_a_trip_through_the_loop(
    postgres_url,
):
    async with one_connection_pool(postgres_url) as client:
        assert isinstance(client._pool, LeanPool)
        acquires, releases = LeanPool.fast_acquires, LeanPool.fast_releases
        for _ in range(3):
            await client.execute_query("SELECT 1")
        assert LeanPool.fast_acquires - acquires == 3
        assert LeanPool.fast_releases - releases == 3
        assert client._pool.get_idle_size() == 1, "the one connection is back in the pool"


async def test_a_connection_in_a_transaction_goes_back_through_asyncpgs_own_release(
    postgres_url,
):
    async with one_connection_pool(postgres_url) as client:
        releases = LeanPool.fast_releases
        async with client.acquire_connection() as connection:
            await connection.execute("BEGIN")
        assert LeanPool.fast_releases == releases, "a rollback was owed: asyncpg's path"
        async with client.acquire_connection() as connection:
            assert not connection.is_in_transaction()
        assert LeanPool.fast_releases == releases + 1


async def test_a_closed_connection_is_replaced_on_the_next_checkout(postgres_url):
    async with one_connection_pool(postgres_url) as client:
        async with client.acquire_connection() as connection:
            first = await connection.fetchval("SELECT pg_backend_pid()")
            await connection.close()
        acquires = LeanPool.fast_acquires
        async with client.acquire_connection() as connection:
            second = await connection.fetchval("SELECT pg_backend_pid()")
        assert LeanPool.fast_acquires == acquires, "a new connection: asyncpg's path"
        assert second != first


async def test_expired_connections_are_replaced(postgres_url):
    async with one_connection_pool(postgres_url) as client:
        async with client.acquire_connection() as connection:
            first = await connection.fetchval("SELECT pg_backend_pid()")
        pool = client._pool
        assert pool is not None
        await pool.expire_connections()
        async with client.acquire_connection() as connection:
            assert await connection.fetchval("SELECT pg_backend_pid()") != first


async def test_a_statement_cancelled_midway_leaves_a_usable_connection(postgres_url):
    async with one_connection_pool(postgres_url) as client:
        sleeping = asyncio.create_task(client.execute_query("SELECT pg_sleep(30)"))
        await asyncio.sleep(0.2)
        sleeping.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sleeping
        async with asyncio.timeout(10):  # the one connection came back, and works
            _, rows = await client.execute_query("SELECT 1 AS one")
        assert rows[0]["one"] == 1


async def test_a_lean_pool_takes_no_reset_of_its_own():
    async def reset(connection: object) -> None: ...

    with pytest.raises(ValueError, match="resets nothing"):
        await create_lean_pool(None, reset=reset)
