"""``hemei plugin ...``: tools for plugin authors (reference docs, schema files, conformance
checks, a new plugin's scaffold)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="plugin")
def plugin_group() -> None:
    """Tools for plugin authors: docs, schema, check, new."""


@plugin_group.command(name="docs")
@click.option("--check", is_flag=True, help="Write nothing; fail if a page differs from the code.")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the pages go (default: docs/ of the Hemei checkout).",
)
def docs(check: bool, folder: Path | None) -> None:
    """Write docs/hooks.md (from the hook specs) and docs/api.md (from the public API), and
    refresh the code samples of docs/plugin-guide.md from the files they quote."""
    from schema.plugin_docs import DOCS, stale_pages, write_pages

    folder = folder or DOCS
    if check:
        stale = stale_pages(folder)
        if stale:
            raise click.ClickException(
                f"out of date in {folder}: {', '.join(stale)} (run `hemei plugin docs`)"
            )
        click.echo("The plugin reference is up to date.")
        return
    for path in write_pages(folder):
        click.echo(f"Wrote {path}")


@plugin_group.command(name="schema")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: schema.graphql beside the plugin's module; '-' for "
    "standard output).",
)
def schema_file(name: str, output: Path | None) -> None:
    """Write the part of the schema plugin NAME adds (its types, and its fields on the roots
    and on core types): commit it, and `hemei plugin check` reports breaking changes."""
    from core.plugins.errors import PluginError
    from schema.conformance import default_schema_file, plugin_fields, plugin_sdl

    try:
        found = plugin_fields(name)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None
    sdl = plugin_sdl(found)
    target = output or default_schema_file(found)
    if target is None:
        raise click.ClickException(f"plugin '{name}' is not a module: give -o FILE")
    if str(target) == "-":
        click.echo(sdl, nl=False)
        return
    target.write_text(sdl, encoding="utf-8")
    click.echo(f"Wrote {target}")


@plugin_group.command(name="check")
@click.argument("name")
@click.option(
    "--database-url",
    default=None,
    help="An empty database to check on (default: a SQLite file in a temporary folder).",
)
@click.option(
    "--schema-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The committed schema to compare with (default: schema.graphql beside the module).",
)
@click.option("--static", "static_only", is_flag=True, help="Only the rules needing no database.")
@click.option("-v", "--verbose", is_flag=True, help="List passes too.")
def check(
    name: str,
    database_url: str | None,
    schema_file: Path | None,
    static_only: bool,
    verbose: bool,
) -> None:
    """Check that plugin NAME conforms: the module gate, capped lists, no N+1, authorization
    tables, descriptions, settings, no breaking schema change, current migrations. Exits 1
    when a rule fails."""
    import asyncio
    import logging

    from core.plugins.errors import PluginError
    from schema.conformance import check_plugin, check_plugin_on_scratch_database

    logging.getLogger("tortoise").setLevel(logging.WARNING)
    logging.getLogger("hemei.config").setLevel(logging.ERROR)  # no secret key: irrelevant here
    try:
        if static_only:
            report = asyncio.run(check_plugin(name, live=False, schema_file=schema_file))
        else:
            report = asyncio.run(
                check_plugin_on_scratch_database(
                    name, database_url=database_url, schema_file=schema_file
                )
            )
    except PluginError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.text(verbose=verbose))
    if not report.ok:
        raise SystemExit(1)


@plugin_group.command(name="new")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to create the package's folder (NAME).",
)
def new(name: str, directory: Path) -> None:
    """Create plugin NAME as a package of its own (pyproject with the entry point, a model and
    its migration, settings, a role, a type, a query, a mutation, a figure, the authorization
    matrix, the committed schema and tests): `pip install -e 'NAME[test]'`, then `pytest` in
    it passes."""
    from schema.scaffold import ScaffoldError, create

    try:
        root = create(name, directory)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {root}. Next:")
    click.echo(f"  pip install -e '{root}[test]'")
    click.echo(f"  cd {root} && pytest")
