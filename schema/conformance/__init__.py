"""The conformance check any plugin can run: ``hemei plugin check NAME``, or
:func:`check_plugin` from a test (``schema.testing`` wraps it as a fixture).

Rules (see :class:`Check`): every field of the module answers ``MODULE_DISABLED`` where the
module is off; no list field without a ``first`` cap or a declared size; list fields without
N+1 (the same number of SQL statements for 10 and for 100 rows); every root query and mutation
has a table in the plugin's authorization matrix; every type and field has a description;
every setting has a default and a description; no breaking change against the plugin's
committed schema file; migrations that match the models.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from core.db.setup import close_orm, init_orm, upgrade
from core.plugins.host import build_plugin_host
from schema.conformance.inventory import PluginFields, plugin_fields
from schema.conformance.report import Check, Finding, Report, Status
from schema.conformance.sdl import default_schema_file, plugin_sdl
from schema.conformance.static import check_static

__all__ = [
    "Check",
    "Finding",
    "PluginFields",
    "Report",
    "Status",
    "check_plugin",
    "check_plugin_on_scratch_database",
    "default_schema_file",
    "plugin_fields",
    "plugin_sdl",
]


async def check_plugin(
    plugin: str,
    *,
    live: bool = True,
    schema_file: Path | None = None,
    folder: Path | None = None,
) -> Report:
    """Check ``plugin``. With ``live`` the ORM must be started on a database with core's and
    the plugin's tables, the demo region tree and the demo people (the test kit's
    ``hemei_database`` is one); rows it makes are removed afterwards."""
    found = plugin_fields(plugin)
    report = Report(plugin)
    check_static(found, report, schema_file)
    if live:
        from schema.conformance.live import check_live

        with tempfile.TemporaryDirectory() as scratch:
            await check_live(found, report, folder or Path(scratch))
    return report


async def check_plugin_on_scratch_database(
    plugin: str,
    *,
    database_url: str | None = None,
    schema_file: Path | None = None,
) -> Report:
    """Check ``plugin`` on a new database: a SQLite file in a temporary folder, or
    ``database_url`` (which must be empty), migrated and seeded with the demo region tree."""
    from core.demo.people import create_demo_people
    from core.demo.regions import create_demo_regions

    apps = build_plugin_host([plugin]).model_apps()
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url or f"sqlite://{Path(scratch) / 'conformance.sqlite3'}"
        await upgrade(url, apps)
        await init_orm(url, apps)
        try:
            rng = random.Random(721)
            await create_demo_people(await create_demo_regions(rng), rng)
            return await check_plugin(plugin, schema_file=schema_file, folder=Path(scratch))
        finally:
            await close_orm()
