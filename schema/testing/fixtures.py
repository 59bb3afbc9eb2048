"""The test kit's fixtures (registered by :mod:`schema.testing.plugin`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from schema.testing.plugin import INI_PLUGINS

if TYPE_CHECKING:
    from schema.conformance import Report
    from schema.testing import Client, Config, Database, Places, Statements, Users


@pytest.fixture(scope="session")
def hemei_plugins(pytestconfig: pytest.Config) -> list[str]:
    """The plugins to load: the ``hemei_plugins`` ini option (override this fixture to
    choose in code)."""
    names = [str(n) for n in pytestconfig.getini(INI_PLUGINS)]
    if not names:
        pytest.fail(
            f'set `{INI_PLUGINS} = ["your_plugin"]` in [tool.pytest.ini_options], or define '
            "a `hemei_plugins` fixture"
        )
    return names


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def hemei_database(
    hemei_plugins: list[str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """The run's database with core's and the plugins' migrations applied, the demo region
    tree and the demo people; the ORM is started for the session."""
    from core.plugins.host import build_plugin_host
    from schema.testing.database import DatabaseUnavailable, seeded_database

    apps = build_plugin_host(hemei_plugins).model_apps()
    try:
        async with seeded_database(tmp_path_factory.mktemp("hemei-db"), apps) as database:
            yield database
    except DatabaseUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture
def hemei_config(hemei_plugins: list[str]) -> Config:
    """This test's config: the plugins on in 工农区 and 南山区, off in 兴山区. Change it
    (``hemei_config.off("nanshan").settings("gongnong", "my_plugin", limit=3)``) before
    ``hemei_app`` or ``hemei_client`` serves it."""
    from schema.testing import Config

    return Config(list(hemei_plugins))


@pytest_asyncio.fixture(loop_scope="session")
async def hemei_app(
    hemei_database: Database, hemei_config: Config, tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[Client]]]:
    """``await hemei_app(config=None)``: the real ASGI app serving ``config`` (a
    :class:`Config` or TOML text; default ``hemei_config``), and an anonymous client of it."""
    import httpx

    from core.runtime import start_runtime
    from schema.app import create_app
    from schema.testing import Client, Config

    opened: list[httpx.AsyncClient] = []

    async def serve(config: Config | str | None = None) -> Client:
        chosen = hemei_config if config is None else config
        text = chosen.text() if isinstance(chosen, Config) else chosen
        path = tmp_path / f"hemei-{len(opened)}.toml"
        path.write_text(text, encoding="utf-8")
        runtime = start_runtime(path)
        app = create_app(runtime, manage_database=False, watch_config=False)
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://hemei.test"
        )
        opened.append(http)
        return Client(http, runtime)

    yield serve
    for http in opened:
        await http.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def hemei_client(hemei_app: Callable[..., Awaitable[Client]]) -> Client:
    """An anonymous client of the app serving ``hemei_config``."""
    return await hemei_app()


@pytest.fixture
def hemei_users(hemei_client: Client) -> Users:
    """People with roles at places, signed in to ``hemei_client``'s app."""
    from schema.testing import Users

    return Users(hemei_client)


@pytest.fixture
def hemei_places(hemei_database: Database) -> Places:
    """The demo region tree: districts, streets, communities, grids and compounds by code."""
    from schema.testing import Places

    return Places()


@pytest.fixture
def hemei_statements() -> Statements:
    """Counts SQL statements; ``assert_flat`` proves a list has no N+1."""
    from schema.testing import Statements

    return Statements()


@pytest_asyncio.fixture(loop_scope="session")
async def hemei_conformance(
    hemei_database: Database, hemei_plugins: list[str]
) -> Callable[..., Awaitable[Report]]:
    """``await hemei_conformance(plugin=None, schema_file=None)``: ``hemei plugin check`` on
    the test database (default: the first of ``hemei_plugins``); ``assert report.ok,
    report.text()``."""
    from schema.conformance import check_plugin

    async def check(plugin: str | None = None, schema_file: Path | None = None) -> Report:
        return await check_plugin(plugin or hemei_plugins[0], schema_file=schema_file)

    return check
