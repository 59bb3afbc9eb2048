"""Test set-up: one database per test run (SQLite by default, PostgreSQL with
``HEMEI_TEST_DATABASE=postgres``), migrated with the real migrations and seeded with the demo
region tree; the ``kernel_test`` plugin installed through an entry point; and an ``api``
factory that serves a config file through the real ASGI app.

Tortoise caches dialect SQL on model classes, so one pytest process tests one database:
``tests/run.sh`` runs the suite once per database.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import hypothesis  # noqa: F401 - early, while the stack is shallow (see the note below)
import pytest
import pytest_asyncio

from core.db.setup import close_orm, init_orm, upgrade
from core.plugins.host import build_plugin_host
from core.runtime import start_runtime
from schema.app import create_app
from tests.support.api import Api
from tests.support.configs import TEST_CONFIG
from tests.support.distributions import write_distribution

# hypothesis is imported above because its pytest plugin would otherwise import it at the end
# of a run, and pytest's assertion rewriting then parses it with ``ast.parse``, which CPython
# 3.11.7 can fail at that depth with a spurious "AST constructor recursion depth mismatch"
# (fixed in 3.11.8): a run of files that do not use hypothesis crashed at its summary.
DATABASE_ENV = "HEMEI_TEST_DATABASE"
POSTGRES_URL_ENV = "HEMEI_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ALL_TEST_PLUGINS = [
    "elderly_canteen",
    "four_thirty_classroom",
    "new_employment_stations",
    "medical_teams",
    "kernel_test",
]


def database_kind() -> str:
    kind = os.environ.get(DATABASE_ENV, "sqlite")
    if kind not in ("sqlite", "postgres"):
        raise pytest.UsageError(f"{DATABASE_ENV} must be sqlite or postgres, not {kind!r}")
    return kind


def pytest_report_header() -> str:
    return f"hemei test database: {database_kind()}"


@pytest.fixture(scope="session")
def kernel_plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A site folder where the ``kernel_test`` plugin is installed as a distribution, on
    ``sys.path`` for the whole run."""
    folder = write_distribution(
        tmp_path_factory.mktemp("site"),
        "hemei-kernel-test",
        "1.0.0",
        {"kernel_test": "tests.kernel_plugin"},
    )
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


@pytest.fixture(scope="session")
def kernel_plugin(kernel_plugin_site: Path) -> str:
    """The name of the installed test plugin."""
    return "kernel_test"


async def _postgres_admin() -> tuple[str, Any]:
    import asyncpg

    admin_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    try:
        conn = await asyncpg.connect(
            admin_url.replace("postgres://", "postgresql://", 1), timeout=5
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        pytest.skip(f"PostgreSQL not reachable at {admin_url}: {type(exc).__name__}: {exc}")
    return admin_url, conn


@asynccontextmanager
async def fresh_database(folder: Path) -> AsyncIterator[str]:
    """A new, empty database: a SQLite file in ``folder``, or a PostgreSQL database that is
    dropped afterwards (PostgreSQL unreachable: the test is skipped, saying why)."""
    if database_kind() == "sqlite":
        yield f"sqlite://{folder / 'hemei.sqlite3'}"
        return
    admin_url, conn = await _postgres_admin()
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


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The run's database, shared by the tests that use ``orm``."""
    async with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest_asyncio.fixture(loop_scope="session")
async def scratch_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database of the run's kind for one test (for servers started in a subprocess)."""
    async with fresh_database(tmp_path) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def orm(database_url: str, kernel_plugin: str) -> AsyncIterator[str]:
    """The ORM on the test database, migrated and seeded with the demo region tree."""
    from core.demo.people import create_demo_people
    from core.demo.regions import create_demo_regions

    apps = build_plugin_host(ALL_TEST_PLUGINS).model_apps()
    await upgrade(database_url, apps)
    await init_orm(database_url, apps)
    rng = random.Random(721)
    await create_demo_people(await create_demo_regions(rng), rng)
    yield database_url
    await close_orm()


ApiFactory = Callable[..., Awaitable[Api]]


@pytest_asyncio.fixture(loop_scope="session")
async def api(orm: str, tmp_path: Path) -> AsyncIterator[ApiFactory]:
    """``await api(config_text)`` serves that config (default: the test config) over HTTP.
    Failed logins of earlier tests are forgotten, so lockouts never leak between tests."""
    from core.access.models import SecurityEvent

    await SecurityEvent.filter(action="login").delete()
    clients: list[httpx.AsyncClient] = []

    async def make(config_text: str = TEST_CONFIG) -> Api:
        path = tmp_path / f"hemei-{len(clients)}.toml"
        path.write_text(config_text, encoding="utf-8")
        runtime = start_runtime(path)
        app = create_app(runtime, manage_database=False, watch_config=False)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://hemei.test"
        )
        clients.append(client)
        return Api(client=client, runtime=runtime)

    yield make
    for client in clients:
        await client.aclose()
