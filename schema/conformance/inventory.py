"""What one plugin adds to the schema, found by comparing the schema built with it to the one
built with core alone: its types, its root fields and the fields it adds to core types."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_specified_scalar_type,
)
from strawberry.types.field import StrawberryField

from core.plugins.host import PluginHost, build_plugin_host
from schema.builder import ComposedSchema, build_schema
from schema.contribution import PlaceOf, SchemaContribution
from schema.limits.declare import COST_KEY, Cost
from schema.nodes import NodeSource

ROOTS = ("Query", "Mutation", "Subscription")
REGION_TYPES = ("District", "Street", "Community", "Grid", "Compound")
# Scalars strawberry defines for everyone: a plugin that uses one does not own it.
SHARED_SCALARS = frozenset({"Date", "DateTime", "Time", "Decimal", "UUID", "Upload", "JSON"})


@dataclass
class PluginFields:
    """One plugin's part of a composed schema, in graphql-core terms."""

    plugin: str
    host: PluginHost
    composed: ComposedSchema
    core: GraphQLSchema
    contribution: SchemaContribution | None
    types: dict[str, GraphQLNamedType] = field(default_factory=dict)
    """The plugin's own named types (connections and edges of its types included)."""
    added: dict[tuple[str, str], GraphQLField] = field(default_factory=dict)
    """``(type, field)`` of every field the plugin adds to a root or core type."""
    shared_scalars: list[str] = field(default_factory=list)
    """Strawberry's scalars (``Date``...) the plugin uses and core does not."""

    @property
    def schema(self) -> GraphQLSchema:
        return self.composed.schema._schema

    def root_fields(self, root: str) -> dict[str, GraphQLField]:
        return {f: d for (t, f), d in self.added.items() if t == root}

    def type_fields(self) -> dict[tuple[str, str], GraphQLField]:
        """Fields the plugin adds to core's object types (not to the roots)."""
        return {k: d for k, d in self.added.items() if k[0] not in ROOTS}

    def own_fields(self) -> dict[tuple[str, str], GraphQLField]:
        """Every field the plugin answers for: added ones and those of its object types."""
        found = dict(self.added)
        for name, type_ in self.types.items():
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                found.update({(name, f): d for f, d in type_.fields.items()})
        return found

    @cached_property
    def node_sources(self) -> dict[str, NodeSource]:
        """The plugin's node types that ``node(id:)`` resolves, by GraphQL name."""
        return {n: s for n, s in self.composed.node_sources.items() if n in self.types}

    def place_of(self, type_name: str) -> PlaceOf | None:
        source = self.node_sources.get(type_name)
        return self.composed.gate.places.get(source.graphql_type) if source else None


def plugin_fields(plugin: str, host: PluginHost | None = None) -> PluginFields:
    """Build the schema with core alone and with ``plugin``, and tell their difference."""
    host = host or build_plugin_host([plugin])
    composed = build_schema(host)
    core = build_schema(build_plugin_host([])).schema._schema
    contributions = dict(host.call_each("register_graphql"))
    found = PluginFields(plugin, host, composed, core, contributions.get(plugin))
    schema = found.schema
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or is_specified_scalar_type(type_):
            continue
        if name in SHARED_SCALARS:
            if name not in core.type_map:
                found.shared_scalars.append(name)
            continue
        if name not in core.type_map:
            found.types[name] = type_
        elif isinstance(type_, GraphQLObjectType):
            core_type = core.type_map[name]
            assert isinstance(core_type, GraphQLObjectType)
            for field_name, definition in type_.fields.items():
                if field_name not in core_type.fields:
                    found.added[(name, field_name)] = definition
    return found


def strawberry_field(definition: GraphQLField) -> StrawberryField | None:
    found: Any = (definition.extensions or {}).get("strawberry-definition")
    return found if isinstance(found, StrawberryField) else None


def declared_size(definition: GraphQLField) -> int | None:
    """The most items a list field declares it holds (``metadata=cost(size=N)``)."""
    f = strawberry_field(definition)
    metadata: dict[str, Any] = dict(f.metadata or {}) if f else {}
    declared = metadata.get(COST_KEY)
    return declared.size if isinstance(declared, Cost) else None


def is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def is_composite(type_: Any) -> bool:
    return isinstance(
        get_named_type(type_), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
    )


def is_connection(type_: Any) -> bool:
    named = get_named_type(type_)
    return (
        isinstance(named, GraphQLObjectType)
        and not is_list(type_)
        and {"edges", "pageInfo"} <= set(named.fields)
    )


def node_type_of(type_: Any) -> str | None:
    """The object type a list or connection field hands out (``KernelNotice``)."""
    named = get_named_type(type_)
    if is_connection(type_):
        assert isinstance(named, GraphQLObjectType)
        edge = get_named_type(named.fields["edges"].type)
        assert isinstance(edge, GraphQLObjectType)
        named = get_named_type(edge.fields["node"].type)
    return named.name if isinstance(named, GraphQLObjectType) else None


def is_input(type_: GraphQLNamedType) -> bool:
    return isinstance(type_, GraphQLInputObjectType)
