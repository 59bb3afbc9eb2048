"""The PostgreSQL pool skips asyncpg's session reset (core/db/postgres.py): what that keeps,
what is still undone, and the URL switch that puts the reset back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from tortoise import connections
from tortoise.backends.base.config_generator import expand_db_url

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
