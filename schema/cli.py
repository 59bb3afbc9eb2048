"""The ``hemei`` command: serve, demo, db, schema, plugins and documents."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.config.errors import ConfigError
from core.config.loader import CONFIG_ENV, config_path
from core.db import setup as db
from core.plugins.discovery import installed_plugins
from core.plugins.errors import PluginError
from core.runtime import Runtime, start_runtime

if TYPE_CHECKING:
    from core.imports import ImportReport

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "core" / "demo" / "hemei.demo.toml"
DEMO_CONFIG_COPY = Path("data") / "hemei.toml"
SCHEMA_FILE = Path("schema") / "schema.graphql"
BUILTIN_DISTRIBUTION = "hemei"

config_option = click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (default: $HEMEI_CONFIG, else ./hemei.toml).",
)
host_option = click.option("--host", default=None, help="Address to listen on ([server] host).")
port_option = click.option("--port", type=int, default=None, help="Port ([server] port).")


def _setup_logging(log_format: str | None = None) -> None:
    """Log lines with the request id and without personal data: as text, or as JSON with
    ``[observability] log_format = "json"`` (``HEMEI_LOG_FORMAT`` overrides both)."""
    from schema.observability.logs import handler

    chosen = os.environ.get("HEMEI_LOG_FORMAT") or log_format or "text"
    logging.basicConfig(level=logging.INFO, handlers=[handler(chosen)], force=True)
    # Nothing Hemei writes shows the caller's source line, thread or process: the standard
    # library's own switches (its logging HOWTO, "Optimization") skip finding them for every
    # record, about a tenth of the cost of each request's access line.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    # watchfiles reports every change it sees at INFO; Hemei logs the reloads that matter.
    logging.getLogger("watchfiles").setLevel(logging.WARNING)
    # Tortoise's debug log prints SQL with its values, which hold personal data (ID and phone
    # numbers): it stays off even when the root logger is turned up. Its INFO lines (connections
    # opened and closed) are noise for an operator.
    logging.getLogger("tortoise").setLevel(logging.WARNING)


def _runtime(path: Path | None) -> Runtime:
    try:
        return start_runtime(config_path(path))
    except (ConfigError, PluginError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """Hemei (和美): a plugin-based GraphQL platform for city grassroots governance."""


def _serve(runtime: Runtime, host: str | None, port: int | None, workers: int = 1) -> None:
    import uvicorn

    from schema.app import create_app

    if workers > 1 and runtime.config.cluster.redis_url is None:
        raise click.ClickException(
            "--workers above 1 needs [cluster] redis_url (or HEMEI_REDIS_URL): without it a "
            "subscription on one worker would miss the changes made through another."
        )
    if workers > 1 and runtime.config.security.secret_key is None:
        raise click.ClickException(
            "--workers above 1 needs [security] secret_key (or HEMEI_SECRET_KEY): each worker "
            "must accept the tokens the others sign."
        )
    try:
        app = create_app(runtime)
        asyncio.run(db.require_migrated(runtime.config.database.url, runtime.host.model_apps()))
    except (PluginError, db.DatabaseNotMigrated) as exc:
        raise click.ClickException(str(exc)) from None
    server = runtime.config.server
    host, port = host or server.host, port or server.port
    click.echo(f"Hemei on http://{host}:{port}/graphql  (config: {runtime.path})")
    # Hemei writes its own access line (schema/observability/metrics.py: the route template,
    # the request id, no query string); uvicorn's would repeat it with the full path, whose
    # query string can carry a GET request's document and variables, at twice the cost.
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_config=None, lifespan="on", access_log=False)
        return
    # Each worker process builds its own app from the same config file.
    os.environ[CONFIG_ENV] = str(runtime.path.resolve())
    uvicorn.run(
        "schema.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
        log_config=None, lifespan="on", access_log=False,
    )  # fmt: skip


@main.command()
@config_option
@host_option
@port_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (more than one needs [cluster] redis_url and a secret key).",
)
def serve(config: Path | None, host: str | None, port: int | None, workers: int) -> None:
    """Serve the GraphQL API. Run `hemei db upgrade` first after an update."""
    _setup_logging()
    runtime = _runtime(config)
    _setup_logging(runtime.config.observability.log_format)
    _serve(runtime, host, port, workers)


@main.command()
@config_option
@host_option
@port_option
@click.option(
    "--scale",
    type=click.Choice(["town", "city"]),
    default="town",
    show_default=True,
    help="town: a quick small demo; city: Hegang at the article's scale (721 grids, 7,300 "
    "cadres, 19,000 riders, a year of cases; a few minutes, with a progress bar).",
)
@click.option("--seed", type=int, default=None, help="Seed of the demo data (default: 721).")
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
def demo(
    config: Path | None,
    host: str | None,
    port: int | None,
    scale: str,
    seed: int | None,
    no_serve: bool,
) -> None:
    """Create (once) a demo database with Hegang's districts and every module's demo data, and
    serve it. Without --config it uses data/hemei.toml, copied from the demo config."""
    _setup_logging()
    if config is None:
        if not DEMO_CONFIG_COPY.exists():
            DEMO_CONFIG_COPY.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(DEMO_CONFIG, DEMO_CONFIG_COPY)
            click.echo(f"Wrote {DEMO_CONFIG_COPY} from the demo config: edit it while serving.")
        config = DEMO_CONFIG_COPY
    runtime = _runtime(config)
    _setup_logging(runtime.config.observability.log_format)
    from core.demo.loader import DEMO_SEED, load_demo

    if scale == "city":
        from schema.console import ProgressBar

        started = time.perf_counter()
        with ProgressBar() as bar:
            created = asyncio.run(
                load_demo(runtime, DEMO_SEED if seed is None else seed, scale="city", progress=bar)
            )
        if created:
            click.echo(f"City-scale demo data loaded in {time.perf_counter() - started:.0f} s.")
    else:
        created = asyncio.run(load_demo(runtime, DEMO_SEED if seed is None else seed))
    if not created or scale != "city":
        click.echo("Demo data loaded." if created else "Demo database already present.")
    if not no_serve:
        _serve(runtime, host, port)


@main.group(name="db")
def db_group() -> None:
    """Database migrations."""


@db_group.command()
@config_option
def upgrade(config: Path | None) -> None:
    """Apply every pending migration of core and the loaded plugins."""
    runtime = _runtime(config)
    asyncio.run(db.upgrade(runtime.config.database.url, runtime.host.model_apps()))
    click.echo("Database is up to date.")


@db_group.command()
@config_option
@click.argument("apps", nargs=-1)
def makemigrations(config: Path | None, apps: tuple[str, ...]) -> None:
    """Write migrations for model changes (in APPS, or all). For developers of Hemei and of
    plugins: run against a database that has every existing migration applied."""
    runtime = _runtime(config)
    written = asyncio.run(
        db.make_migrations(runtime.config.database.url, runtime.host.model_apps(), apps)
    )
    for path in written:
        click.echo(f"Wrote {path}")
    if not written:
        click.echo("No changes.")


@main.group(name="catalogue")
def catalogue_group() -> None:
    """The city's one-stop service catalogue."""


@catalogue_group.command(name="load")
@config_option
@click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="A catalogue file in the format of the standard one (default: the standard 57 items).",
)
def catalogue_load(config: Path | None, path: Path | None) -> None:
    """Add or update the catalogue's items by code from a file (safe to run again: items that
    match are left alone; items admins added, and whether an item is active, are kept)."""
    from core.stations.catalogue import (
        STANDARD_CATALOGUE,
        CatalogueError,
        read_standard_catalogue,
        seed_catalogue,
    )

    runtime = _runtime(config)
    try:
        entries = read_standard_catalogue(path or STANDARD_CATALOGUE)
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None

    async def load() -> int:
        url, apps = runtime.config.database.url, runtime.host.model_apps()
        await db.require_migrated(url, apps)
        await db.init_orm(url, apps)
        try:
            return await seed_catalogue(entries)
        finally:
            await db.close_orm()

    try:
        created = asyncio.run(load())
    except db.DatabaseNotMigrated as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Catalogue: {len(entries)} items read, {created} new.")


@main.command(name="import")
@config_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--kind",
    type=click.Choice(["districts", "streets", "communities", "grids", "compounds",
                       "departments", "residents", "cadres"]),
    default=None,
    help="The register a CSV file holds (default: from its name or headers).",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option(
    "--valid-rows-only",
    is_flag=True,
    help="Write the rows without problems even when other rows have some.",
)
def import_(
    config: Path | None, file: Path, kind: str | None, dry_run: bool, valid_rows_only: bool
) -> None:
    """Import registers from a workbook (.xlsx, one sheet per register: 区县 街道 社区 网格 小区
    单位 居民 干部) or a CSV file of one register. Every row is checked first; nothing is written
    unless all are valid (or --valid-rows-only). Safe to run again: rows are matched by their
    codes and ID-card numbers and updated, never duplicated."""
    from core.errors import BadUserInput
    from core.imports import import_registers
    from schema.console import ProgressBar

    runtime = _runtime(config)
    data = file.read_bytes()

    async def run(bar: ProgressBar) -> ImportReport:
        url, apps = runtime.config.database.url, runtime.host.model_apps()
        await db.require_migrated(url, apps)
        await db.init_orm(url, apps)
        try:
            return await import_registers(
                data, file.name, kind=kind, dry_run=dry_run,
                valid_rows_only=valid_rows_only, progress=bar,
            )  # fmt: skip
        finally:
            await db.close_orm()

    try:
        with ProgressBar() as bar:
            report = asyncio.run(run(bar))
    except (db.DatabaseNotMigrated, BadUserInput) as exc:
        raise click.ClickException(str(exc)) from None
    _print_report(report)
    if report.problems and not valid_rows_only:
        raise SystemExit(1)


def _print_report(report: ImportReport) -> None:
    for problem in report.problems:
        column = f" {problem.column}:" if problem.column else ""
        click.echo(f"{problem.sheet} row {problem.row}:{column} {problem.message}", err=True)
    for skipped in report.skipped:
        click.echo(f"{skipped.sheet} row {skipped.row}: skipped, {skipped.message}", err=True)
    for sheet in report.sheets:
        click.echo(
            f"{sheet.sheet} ({sheet.kind}): {sheet.rows} rows, {sheet.created} new, "
            f"{sheet.updated} changed, {sheet.unchanged} unchanged"
            + (f", {sheet.skipped} skipped" if sheet.skipped else "")
        )
    if report.ignored_sheets:
        click.echo(f"Ignored sheets: {', '.join(report.ignored_sheets)}")
    if report.written:
        click.echo("Written.")
    elif report.dry_run:
        click.echo("Dry run: nothing written.")
    else:
        click.echo(f"{len(report.problems)} row(s) with problems: nothing written.")


@main.group(name="schema")
def schema_group() -> None:
    """The GraphQL schema."""


@schema_group.command()
@config_option
@click.option(
    "--builtin", is_flag=True, help="Load every built-in plugin (for the committed file)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SCHEMA_FILE,
    show_default=True,
    help="Where to write the SDL; '-' for standard output.",
)
def export(config: Path | None, builtin: bool, output: Path) -> None:
    """Write the composed schema as SDL."""
    from core.plugins.host import build_plugin_host
    from schema.builder import build_schema

    try:
        names = builtin_plugin_names() if builtin else _runtime(config).host.names
        sdl = build_schema(build_plugin_host(names)).schema.as_str() + "\n"
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None
    if str(output) == "-":
        sys.stdout.write(sdl)
    else:
        output.write_text(sdl, encoding="utf-8")
        click.echo(f"Wrote {output}")


def builtin_plugin_names() -> list[str]:
    """The plugins shipped with Hemei itself, in name order."""
    return sorted(
        p.name for p in installed_plugins().values() if p.distribution == BUILTIN_DISTRIBUTION
    )


@main.command()
@config_option
def plugins(config: Path | None) -> None:
    """List installed plugins: version, whether this config loads them, where they are on."""
    path = config_path(config)
    runtime = _runtime(config) if path.exists() else None
    rows = [("PLUGIN", "VERSION", "DISTRIBUTION", "LOADED", "ON IN DISTRICTS")]
    for name, plugin in sorted(installed_plugins().items()):
        loaded = runtime is not None and name in runtime.host.plugins
        districts = ""
        if runtime is not None and loaded:
            switches = runtime.activation.switches(name)
            partly = {d for d, _ in switches.streets_on | switches.communities_on}
            on = [d for d in runtime.config.districts if d in switches.districts_on]
            partial = [d for d in runtime.config.districts if d in partly and d not in on]
            districts = ", ".join(on + [f"{d} (part)" for d in partial]) or "-"
        rows.append(
            (
                name,
                plugin.version or "?",
                plugin.distribution or "?",
                "yes" if loaded else "no",
                districts,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if runtime is None:
        click.echo(f"(no config at {path}: showing installed plugins only)")


def _add_plugin_tools() -> None:
    from schema.plugin_cli import plugin_group

    main.add_command(plugin_group)


_add_plugin_tools()


def _add_documents_commands() -> None:
    from schema.limits.commands import documents_group

    main.add_command(documents_group)


_add_documents_commands()
