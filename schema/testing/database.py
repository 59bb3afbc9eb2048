"""A new database for a test run: SQLite by default, PostgreSQL with
``HEMEI_TEST_DATABASE=postgres`` (server at ``HEMEI_TEST_POSTGRES_URL``, default
``postgres://postgres@127.0.0.1:5432/postgres``; the run is skipped, saying why, when none
answers). Tortoise caches dialect SQL on model classes: run one database per pytest process."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.db.setup import ModelApp, close_orm, init_orm, upgrade
from core.demo.people import DemoPeople, create_demo_people
from core.demo.regions import DemoRegions, create_demo_regions

DATABASE_ENV = "HEMEI_TEST_DATABASE"
POSTGRES_URL_ENV = "HEMEI_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


class DatabaseUnavailable(Exception):
    """The database the run asks for cannot be reached (the fixture skips, quoting this)."""


def database_kind() -> str:
    kind = os.environ.get(DATABASE_ENV, "sqlite")
    if kind not in ("sqlite", "postgres"):
        raise ValueError(f"{DATABASE_ENV} must be sqlite or postgres, not {kind!r}")
    return kind


@asynccontextmanager
async def fresh_database(folder: Path) -> AsyncIterator[str]:
    """The URL of a new, empty database: a SQLite file in ``folder``, or a PostgreSQL
    database that is dropped afterwards."""
    if database_kind() == "sqlite":
        yield f"sqlite://{folder / 'hemei-test.sqlite3'}"
        return
    import asyncpg

    admin_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    try:
        conn: Any = await asyncpg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), timeout=5
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseUnavailable(
            f"PostgreSQL not reachable at {admin_url}: {type(exc).__name__}: {exc}"
        ) from exc
    name = f"hemei_test_{uuid.uuid4().hex[:12]}"
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.close()


@dataclass(frozen=True)
class Database:
    """The run's database: migrated, seeded with the demo region tree and people (the demo
    logins included), with the ORM started."""

    url: str
    apps: tuple[ModelApp, ...]
    regions: DemoRegions
    people: DemoPeople


@asynccontextmanager
async def seeded_database(
    folder: Path, apps: Sequence[ModelApp], seed: int = 721
) -> AsyncIterator[Database]:
    """A new database with ``apps`` migrated and the demo tree; the ORM runs meanwhile."""
    async with fresh_database(folder) as url:
        await upgrade(url, apps)
        await init_orm(url, apps)
        try:
            rng = random.Random(seed)
            regions = await create_demo_regions(rng)
            people = await create_demo_people(regions, rng)
            yield Database(url, tuple(apps), regions, people)
        finally:
            await close_orm()
