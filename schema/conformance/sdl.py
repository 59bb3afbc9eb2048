"""A plugin's own schema file, and the breaking changes since the committed one.

The file holds only what the plugin adds: its types, and ``extend type`` blocks for the fields
it adds to the roots and to core types. To compare, the committed file is laid over the schema
of core as it is now, so a change in core is never blamed on the plugin.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    extend_schema,
    find_breaking_changes,
    find_dangerous_changes,
    parse,
    print_type,
)

from schema.conformance.inventory import PluginFields

SCHEMA_FILE = "schema.graphql"


def plugin_sdl(found: PluginFields) -> str:
    """The plugin's part of the schema as SDL, in a stable order."""
    parts = [print_type(found.schema.type_map[name]) for name in sorted(found.shared_scalars)]
    parts += [print_type(found.types[name]) for name in sorted(found.types)]
    by_type: dict[str, list[str]] = {}
    for type_name, field_name in found.added:
        by_type.setdefault(type_name, []).append(field_name)
    for type_name in sorted(by_type):
        parent = found.schema.type_map[type_name]
        assert isinstance(parent, GraphQLObjectType)
        names = sorted(by_type[type_name])
        only = GraphQLObjectType(type_name, {n: parent.fields[n] for n in names})
        parts.append("extend " + print_type(only))
    return "\n\n".join(parts) + "\n"


def default_schema_file(found: PluginFields) -> Path | None:
    """``schema.graphql`` beside the plugin's entry-point module (None for a plugin that is
    not a module, such as a class)."""
    module = found.host.plugins[found.plugin].module
    path = getattr(module, "__file__", None)
    return Path(path).parent / SCHEMA_FILE if path else None


@dataclass(frozen=True)
class SchemaChanges:
    """What changed since the committed file: ``breaking`` ones and ``safe`` differences."""

    breaking: list[str]
    dangerous: list[str]
    drifted: bool


def changes_since(found: PluginFields, committed: str) -> SchemaChanges:
    """Compare the plugin's schema now with the ``committed`` SDL (raises ``GraphQLError``
    when that file no longer fits core's schema)."""
    old = _over_core(found.core, committed)
    new = found.schema
    return SchemaChanges(
        breaking=[c.description for c in find_breaking_changes(old, new)],
        dangerous=[c.description for c in find_dangerous_changes(old, new)],
        drifted=committed.strip() != plugin_sdl(found).strip(),
    )


def _over_core(core: GraphQLSchema, sdl: str) -> GraphQLSchema:
    document = parse(sdl)
    try:
        return extend_schema(core, document)
    except TypeError as exc:  # graphql-core reports some bad extensions this way
        raise GraphQLError(str(exc)) from exc
