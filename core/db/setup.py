"""Tortoise configuration, start-up and migrations for core and every loaded plugin.

Each plugin is one Tortoise app (label = plugin name). Tortoise's default table names ignore the
app, so two plugins' ``Item`` would collide with a misleading "cyclic fk" error: plugin tables are
prefixed with the app label unless the model names its table explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.executor import MigrationExecutor
from tortoise.models import Model

from core.db import postgres

CORE_APP = "core"


@dataclass(frozen=True)
class ModelApp:
    """The models one part of Hemei contributes: one Tortoise app with its migrations package.

    ``label`` is the app label used in relations (``"elderly_canteen.Canteen"``) and the table
    prefix; ``modules`` are importable module paths holding the models; ``migrations`` is the
    package holding the app's migration files.
    """

    label: str
    modules: tuple[str, ...]
    migrations: str
    depends_on: tuple[str, ...] = field(default=(CORE_APP,))


CORE_MODELS = ModelApp(
    label=CORE_APP,
    modules=(
        "core.regions.models",
        "core.people.models",
        "core.access.models",
        "core.cases.models",
        "core.booking.models",
        "core.stations.models",
        "core.volunteers.models",
        "core.outreach.models",
        "core.deliberation.models",
        "core.assessment.models",
        "core.cluster.models",
        "core.webhooks.models",
    ),
    migrations="core.migrations",
    depends_on=(),
)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def table_name(model: type[Model]) -> str:
    """Table name for a model without an explicit ``Meta.table``: ``<app>_<model_in_snake>``."""
    return f"{model._meta.app}_{_snake(model.__name__)}"


SQLITE_BUSY_TIMEOUT_MS = 5000


def prepare_url(url: str) -> str:
    """Make a SQLite URL usable: create its folder and set a busy timeout so that a second
    process (``hemei db upgrade`` beside a server) waits for a lock instead of failing."""
    if not url.startswith("sqlite://") or url == "sqlite://:memory:":
        return url
    path, _, query = url.removeprefix("sqlite://").partition("?")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if "busy_timeout" not in query:
        query = "&".join(filter(None, [query, f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}"]))
    return f"sqlite://{path}?{query}"


def _connection(url: str) -> str | dict[str, Any]:
    """SQLite as Tortoise reads the URL; PostgreSQL through Hemei's asyncpg engine."""
    if urlsplit(url).scheme not in ("postgres", "postgresql", "asyncpg"):
        return url
    return {**expand_db_url(url), "engine": postgres.ENGINE}


def tortoise_config(url: str, apps: Iterable[ModelApp]) -> dict[str, Any]:
    """The Tortoise config dict for ``url`` and the given apps (core first, then plugins)."""
    return {
        "connections": {"default": _connection(prepare_url(url))},
        "apps": {
            app.label: {
                "models": list(app.modules),
                "migrations": app.migrations,
                "default_connection": "default",
            }
            for app in apps
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_orm(
    url: str, apps: Sequence[ModelApp], *, create_db: bool = False
) -> TortoiseContext:
    """Start Tortoise for the process. The global fallback lets request tasks find the context."""
    return await Tortoise.init(
        config=tortoise_config(url, apps),
        table_name_generator=table_name,
        _create_db=create_db,
        _enable_global_fallback=True,
    )


async def close_orm() -> None:
    await Tortoise.close_connections()


async def upgrade(url: str, apps: Sequence[ModelApp]) -> None:
    """Apply every pending migration of core and the given plugin apps, in dependency order."""
    await init_orm(url, apps)
    try:
        await tortoise_migrate(config=tortoise_config(url, apps))
    finally:
        await close_orm()


async def pending_migrations(url: str, apps: Sequence[ModelApp]) -> list[str]:
    """Migrations not yet applied, as ``app.name`` (the ORM must be started)."""
    config = tortoise_config(url, apps)["apps"]
    steps = await MigrationExecutor(connections.get("default"), config).plan()
    return [f"{s.migration.app_label}.{s.migration.name}" for s in steps if not s.backward]


class DatabaseNotMigrated(Exception):
    """The server refuses to start on a database that lacks migrations it needs."""

    def __init__(self, pending: Sequence[str]) -> None:
        super().__init__(
            f"the database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
            "run `hemei db upgrade` first"
        )


async def require_migrated(url: str, apps: Sequence[ModelApp]) -> None:
    """Raise :class:`DatabaseNotMigrated` unless every migration is applied (own connection)."""
    await init_orm(url, apps)
    try:
        if pending := await pending_migrations(url, apps):
            raise DatabaseNotMigrated(pending)
    finally:
        await close_orm()


async def make_migrations(url: str, apps: Sequence[ModelApp], labels: Sequence[str]) -> list[str]:
    """Write migration files for model changes in the given apps; returns the written paths."""
    ctx = await init_orm(url, apps)
    try:
        config = tortoise_config(url, apps)["apps"]
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config).changes()
        return [str(w.write()) for w in writers if not labels or w.app_label in labels]
    finally:
        await close_orm()
