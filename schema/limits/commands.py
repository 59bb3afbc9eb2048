"""``hemei documents``: register the first-party apps' operations as trusted documents."""

from __future__ import annotations

from pathlib import Path

import click
from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

from core.config.errors import ConfigError
from core.config.loader import config_path
from core.plugins.errors import PluginError
from core.runtime import Runtime, start_runtime
from schema.limits.analysis import check_limits
from schema.limits.documents import DocumentStore
from schema.limits.extension import ValidationCache, cost_map


def _runtime(path: Path | None) -> Runtime:
    try:
        return start_runtime(config_path(path))
    except (ConfigError, PluginError) as exc:
        raise click.ClickException(str(exc)) from None


config_option = click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (default: $HEMEI_CONFIG, else ./hemei.toml).",
)


@click.group(name="documents")
def documents_group() -> None:
    """Trusted documents: operations registered by hash ([documents] in the config)."""


@documents_group.command(name="add")
@config_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--name", default=None, help="Name of the document (default: its first operation's).")
def add(config: Path | None, files: tuple[Path, ...], name: str | None) -> None:
    """Register each FILE (one GraphQL document each, exactly as the app sends it): checked
    against the schema of this config and its [limits], then added by its SHA-256."""
    from schema.builder import build_schema

    runtime = _runtime(config)
    schema = build_schema(runtime.host, production=False).schema
    validation = ValidationCache(schema._schema, production=False)
    store = DocumentStore(runtime.config.documents.path)
    problems: list[str] = []
    checked: list[tuple[Path, str, str]] = []
    for file in files:
        body = file.read_text(encoding="utf-8")
        try:
            document = parse(body, max_tokens=runtime.config.limits.max_tokens)
        except GraphQLSyntaxError as exc:
            problems.append(f"{file}: {exc.message}")
            continue
        errors = check_limits(
            schema._schema, cost_map(schema), document, None, runtime.config.limits
        ) or validation.errors(None, document)
        if errors:
            problems += [f"{file}: {e.message}" for e in errors]
            continue
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        first = next((o.name.value for o in operations if o.name), None)
        checked.append((file, body, name or first or file.stem))
    if problems:
        raise click.ClickException("nothing registered:\n" + "\n".join(problems))
    for file, body, document_name in checked:
        added = store.add(body, document_name)
        click.echo(f"{added.hash}  {added.name}  ({file})")
    click.echo(f"{len(checked)} document(s) in {store.path}")


@documents_group.command(name="list")
@config_option
def list_(config: Path | None) -> None:
    """List the registered documents: hash and name."""
    runtime = _runtime(config)
    for document in DocumentStore(runtime.config.documents.path).all():
        click.echo(f"{document.hash}  {document.name}")
