"""Compose one strawberry schema from core's types and what every loaded plugin contributes.

Strawberry's ``merge_types`` only warns on a duplicate field and lets the first win; this
builder refuses every clash of a type name, root field or added field at start-up, naming both
owners. It also puts the module gate on every field a plugin contributes and records which
module owns which type, so the gate is data the planned read path can use too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import (
    StrawberryContainer,
    StrawberryObjectDefinition,
    StrawberryOptional,
    get_object_definition,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.union import StrawberryUnion

from core.plugins.errors import PluginCollision, PluginError
from core.plugins.host import CORE, PluginHost
from schema import (
    assessment,
    deliberation,
    imports,
    outreach,
    stations,
    stats,
    volunteers,
    webhooks,
)
from schema.access.matrix import CORE_MATRICES
from schema.access.mutations import AccessMutation
from schema.access.posts import PIONEER_POST, CompoundPosts, PostMutation
from schema.access.queries import AccessQuery
from schema.access.reads import PersonalDataReads
from schema.access.rules import AccessRules, ScopeFilter
from schema.access.types import AUDIT_RECORD, DEPARTMENT, PERSON, ROLE_GRANT
from schema.cases.grid_cases import GridCases
from schema.cases.metrics import CaseMetricsQuery
from schema.cases.operations import CaseMutation, CaseQuery
from schema.cases.photos import PhotoMutation
from schema.cases.subscriptions import CaseSubscription
from schema.cases.types import CASE
from schema.contribution import SchemaContribution
from schema.errors import ErrorCodes, classify
from schema.fault_barrier import guard_plugin_fields
from schema.gate import GateRules, ModuleGateExtension
from schema.limits.extension import Authenticate, Limits
from schema.node_query import NodeQuery
from schema.nodes import NodeSource
from schema.planner.executor import PlanningExecutor
from schema.regions.queries import RegionQuery
from schema.regions.types import REGION_NODES, REGION_PLACES
from schema.relay import Connection
from schema.scalars import SCALARS
from schema.transactions import TransactionExtension

CORE_QUERIES: tuple[type, ...] = (
    RegionQuery,
    NodeQuery,
    AccessQuery,
    CaseQuery,
    CaseMetricsQuery,
    *stations.QUERIES,
    *volunteers.QUERIES,
    *outreach.QUERIES,
    *deliberation.QUERIES,
    *assessment.QUERIES,
    *stats.QUERIES,
    *webhooks.QUERIES,
)
CORE_MUTATIONS: tuple[type, ...] = (
    AccessMutation,
    PostMutation,
    CaseMutation,
    PhotoMutation,
    *stations.MUTATIONS,
    *volunteers.MUTATIONS,
    *outreach.MUTATIONS,
    *deliberation.MUTATIONS,
    *assessment.MUTATIONS,
    *imports.MUTATIONS,
    *webhooks.MUTATIONS,
)
CORE_SUBSCRIPTIONS: tuple[type, ...] = (CaseSubscription,)
CORE_NODES = (
    *REGION_NODES,
    DEPARTMENT,
    PERSON,
    ROLE_GRANT,
    AUDIT_RECORD,
    PIONEER_POST,
    CASE,
    *stations.NODES,
    *volunteers.NODES,
    *outreach.NODES,
    *deliberation.NODES,
    *assessment.NODES,
    *webhooks.NODES,
)
# Fields core adds to its own types from another of its domains (avoids an import cycle).
# A list of (type name, mixin): several domains add fields to one type (Grid gets stats and cases).
CORE_TYPE_FIELDS: list[tuple[str, type]] = [
    ("Compound", CompoundPosts),
    ("Grid", GridCases),
    *stations.TYPE_FIELDS.items(),
    *volunteers.TYPE_FIELDS.items(),
    *outreach.TYPE_FIELDS.items(),
    *deliberation.TYPE_FIELDS.items(),
    *assessment.TYPE_FIELDS.items(),
    *stats.TYPE_FIELDS.items(),
]

# Fields added to core types are spliced into their definitions while one schema is converted;
# the lock keeps two builds in one process (tests) from seeing each other's additions.
_build_lock = threading.Lock()


@dataclass
class ComposedSchema:
    """The built schema plus the data its resolvers need from the composition."""

    schema: strawberry.Schema
    gate: GateRules
    access: AccessRules
    authorization: list[tuple[str, Path]]
    node_sources: dict[str, NodeSource] = field(default_factory=dict)


def build_schema(host: PluginHost, *, production: bool = False) -> ComposedSchema:
    """Build the schema for the plugins ``host`` loaded, or raise a ``PluginError``.
    In production introspection is off."""
    composer = _Composer()
    for plugin, contribution in host.call_each("register_graphql"):
        composer.add(plugin, _checked(plugin, contribution))
    return composer.build(production=production)


class _Composer:
    """Collects core's and the plugins' parts, refusing every clash as it goes."""

    def __init__(self) -> None:
        self.gate = GateRules(places=dict(REGION_PLACES))
        self.node_sources = {_type_name(s.graphql_type): s for s in CORE_NODES}

        self.contributions: list[SchemaContribution] = []
        self.authorization: list[tuple[str, Path]] = [(CORE, m) for m in CORE_MATRICES]
        self.type_owner: dict[str, tuple[str, type]] = {}
        self.field_owner: dict[tuple[str, str], str] = {}
        self.added: dict[type, list[StrawberryField]] = {}
        core_roots = [
            *CORE_QUERIES,
            *CORE_MUTATIONS,
            *CORE_SUBSCRIPTIONS,
            *(mixin for _, mixin in CORE_TYPE_FIELDS),
        ]
        nodes = [s.graphql_type for s in CORE_NODES]
        # Strawberry may specialise one generic twice (two ``CompoundConnection`` classes for
        # one ``Connection[Compound]``): every class core reaches is core's, so a plugin type
        # that leads to a core type through either of them claims nothing.
        self.core_classes: set[type] = set()
        for cls in _walk_types([*core_roots, *nodes], skip=set(core_roots)):
            self.type_owner[_type_name(cls)] = (CORE, cls)
            self.core_classes.add(cls)
        for query in CORE_QUERIES:
            self._claim_fields("Query", query, CORE)
        for mutation in CORE_MUTATIONS:
            self._claim_fields("Mutation", mutation, CORE)
        for subscription in CORE_SUBSCRIPTIONS:
            self._claim_fields("Subscription", subscription, CORE)
        for name, (_, cls) in list(self.type_owner.items()):
            if get_object_definition(cls) is not None:
                self._claim_fields(name, cls, CORE)
        for type_name, mixin in CORE_TYPE_FIELDS:
            target = self.type_owner[type_name][1]
            self.added.setdefault(target, []).extend(self._claim_fields(type_name, mixin, CORE))

    def add(self, plugin: str, contribution: SchemaContribution) -> None:
        roots = {
            "Query": contribution.query,
            "Mutation": contribution.mutation,
            "Subscription": contribution.subscription,
        }
        for root, root_type in roots.items():
            if root_type is not None:
                for f in self._claim_fields(root, root_type, plugin):
                    if root == "Query" and _is_single_object(f.type):
                        _require_nullable(plugin, f"{root}.{_NAMES.get_graphql_name(f)}", f)
                    _gate(f, plugin)
        mixins = {t for t in roots.values() if t} | set(contribution.type_fields.values())
        declared = [*mixins, *contribution.types, *contribution.places]
        declared += [s.graphql_type for s in contribution.nodes]
        for cls in _walk_types(declared, skip=mixins):
            self._claim_type(plugin, cls)
        for type_name, mixin in contribution.type_fields.items():
            target = self.type_owner.get(type_name)
            if target is None or target[0] != CORE:
                raise PluginError(
                    plugin, f"type_fields names '{type_name}', which is not a core type"
                )
            for f in self._claim_fields(type_name, mixin, plugin):
                _require_nullable(plugin, f"{type_name}.{_NAMES.get_graphql_name(f)}", f)
                _gate(f, plugin)
                self.added.setdefault(target[1], []).append(f)
        self.gate.places.update(contribution.places)
        for source in contribution.nodes:
            self.node_sources[_type_name(source.graphql_type)] = source
        if contribution.authorization is not None:
            self.authorization.append((plugin, contribution.authorization))
        self.contributions.append(contribution)

    def build(self, *, production: bool) -> ComposedSchema:
        parts = self.contributions
        extra_types = [t for c in parts for t in c.types]
        extra_types += [s.graphql_type for s in self.node_sources.values()]
        access = AccessRules.of([*(owner[1] for owner in self.type_owner.values()), *extra_types])
        for f in self._every_field():
            _filter_scope(f, access)
        query = _merge("Query", [*CORE_QUERIES, *(c.query for c in parts if c.query)])
        assert query is not None  # core always contributes queries
        mutation = _merge("Mutation", [*CORE_MUTATIONS, *(c.mutation for c in parts if c.mutation)])
        for f in _fields(mutation) if mutation else ():
            _outermost(f, TransactionExtension)
        subscription = _merge(
            "Subscription",
            [*CORE_SUBSCRIPTIONS, *(c.subscription for c in parts if c.subscription)],
        )
        with _build_lock, _spliced(self.added):
            schema = HemeiSchema(
                query=query,
                mutation=mutation,
                subscription=subscription,
                types=extra_types,
                config=StrawberryConfig(scalar_map=SCALARS, name_converter=RememberingNames()),
                execution_context_class=PlanningExecutor,
                # Limits parses, measures and validates (introspection off in production);
                # Authenticate loads the viewer only once the document passed.
                extensions=[Limits, Authenticate, ErrorCodes, PersonalDataReads],
            )
            schema.production = production
        guard_plugin_fields(schema._schema, self._plugin_of)
        return ComposedSchema(schema, self.gate, access, self.authorization, self.node_sources)

    def _every_field(self) -> Iterator[StrawberryField]:
        holders = [cls for _, cls in self.type_owner.values() if get_object_definition(cls)]
        holders += [*CORE_QUERIES, *CORE_MUTATIONS, *CORE_SUBSCRIPTIONS]
        holders += [mixin for _, mixin in CORE_TYPE_FIELDS]
        for c in self.contributions:
            holders += [t for t in (c.query, c.mutation, c.subscription) if t is not None]
            holders += list(c.type_fields.values())
        for cls in holders:
            yield from _fields(cls)

    def _plugin_of(self, type_name: str, field_name: str) -> str | None:
        """The plugin that contributed a field of the schema, None for core's."""
        owner = self.field_owner.get((type_name, field_name))
        if owner is None:
            owner = self.type_owner.get(type_name, (CORE, object))[0]
        return None if owner == CORE else owner

    def _claim_fields(self, type_name: str, cls: type, owner: str) -> list[StrawberryField]:
        fields = _fields(cls)
        # A relay node lists ``id`` twice (the interface's and its own): claim each name once.
        keys = dict.fromkeys((type_name, _NAMES.get_graphql_name(f)) for f in fields)
        for key in keys:
            if key in self.field_owner:
                raise PluginCollision("GraphQL field", ".".join(key), self.field_owner[key], owner)
            self.field_owner[key] = owner
        return fields

    def _claim_type(self, plugin: str, cls: type) -> None:
        if cls in self.core_classes:
            return
        name = _type_name(cls)
        owner = self.type_owner.get(name)
        if owner is None:
            self.type_owner[name] = (plugin, cls)
            self.gate.type_module[cls] = plugin
        elif owner[1] is not cls:
            raise PluginCollision("GraphQL type", name, owner[0], plugin)


class HemeiSchema(strawberry.Schema):
    """Strawberry's schema, with errors classified instead of logged by strawberry: parse and
    validation errors skip the extensions' result hook, so they are classified here; only
    unexpected errors are logged (once, with the request id)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            classify(error)

    production: bool = False
    """In production no error suggests names ("Did you mean ...?")."""

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        if self.production:
            kwargs["hide_suggestions"] = True
        return kwargs


def _checked(plugin: str, contribution: Any) -> SchemaContribution:
    if not isinstance(contribution, SchemaContribution):
        raise PluginError(
            plugin, f"register_graphql must return a SchemaContribution, got {contribution!r}"
        )
    return contribution


def _gate(f: StrawberryField, module: str) -> None:
    if not any(isinstance(e, ModuleGateExtension) for e in f.extensions):
        f.extensions.append(ModuleGateExtension(module))


def _require_nullable(plugin: str, name: str, f: StrawberryField) -> None:
    """A field the gate may refuse must be nullable, or its MODULE_DISABLED error would null
    out its parent too (a whole district for one community's canteen)."""
    if not isinstance(f.type, StrawberryOptional):
        raise PluginError(
            plugin,
            f"field {name} must be nullable: where the module is off it answers null "
            "with a MODULE_DISABLED error",
        )


def _is_single_object(type_: Any) -> bool:
    """An object that is not a list or a connection: the gate refuses it rather than filters."""
    inner = type_.of_type if isinstance(type_, StrawberryOptional) else type_
    return (
        isinstance(inner, type)
        and has_object_definition(inner)
        and not issubclass(inner, Connection)
    )


def _filter_scope(f: StrawberryField, access: AccessRules) -> None:
    """Put the scope filter on a field that returns objects of a ``@scoped`` type."""
    target = _node_type(f.type)
    if target in access.scopes and not any(isinstance(e, ScopeFilter) for e in f.extensions):
        f.extensions.append(ScopeFilter(nullable=isinstance(f.type, StrawberryOptional)))


def _node_type(type_: Any) -> Any:
    """The object type a field hands out: unwraps null, lists, connections and edges."""
    while True:
        if isinstance(type_, StrawberryContainer):
            type_ = type_.of_type
        elif isinstance(type_, type) and issubclass(type_, Connection | relay.Edge):
            inner = {f.name: f for f in _fields(type_)}
            type_ = inner["edges"].type if "edges" in inner else inner["node"].type
        else:
            return type_


def _outermost(f: StrawberryField, extension: type[FieldExtension]) -> None:
    """Make ``extension`` the outermost of the field's extensions (strawberry runs the last
    one in the list first)."""
    f.extensions[:] = [e for e in f.extensions if not isinstance(e, extension)] + [extension()]


def _fields(cls: type) -> list[StrawberryField]:
    definition = get_object_definition(cls, strict=True)
    return list(definition.fields)


class RememberingNames(NameConverter):
    """Strawberry's name converter, remembering each Python name's GraphQL name: the resolver
    wrapper converts every argument's name on every call (``to_camel_case`` a regular
    expression each), a twentieth of a small request with a few arguments. The names are the
    code's own, a bounded set."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


_NAMES = NameConverter()


def _type_name(cls: type) -> str:
    """The name the type will have in the schema (``StreetConnection`` for
    ``Connection[Street]``)."""
    definition = get_object_definition(cls)
    if definition is not None:
        return _NAMES.from_object(definition)
    enum = getattr(cls, "__strawberry_definition__", None)
    if isinstance(enum, StrawberryEnumDefinition):
        return _NAMES.from_enum(enum)
    return cls.__name__


def _walk_types(roots: list[type], skip: set[type] | None = None) -> Iterator[type]:
    """Every object, enum and union type reachable from ``roots`` (``skip``: walked into but
    not yielded, for root and mixin classes whose own name never reaches the schema)."""
    seen: set[int] = set()
    stack: list[Any] = list(roots)
    skip = skip or set()
    while stack:
        item = stack.pop()
        while isinstance(item, StrawberryContainer):
            item = item.of_type
        if isinstance(item, StrawberryUnion):
            stack.extend(item.types)
            continue
        if id(item) in seen or not isinstance(item, type):
            continue
        seen.add(id(item))
        if has_object_definition(item):
            definition: StrawberryObjectDefinition = item.__strawberry_definition__
            if item not in skip and not definition.is_graphql_generic:
                yield item
            for f in definition.fields:
                stack.append(f.type)
                stack.extend(arg.type for arg in f.arguments)
        elif isinstance(getattr(item, "__strawberry_definition__", None), StrawberryEnumDefinition):
            yield item


def _merge(name: str, types: list[type]) -> type | None:
    if not types:
        return None
    return strawberry.type(type(name, tuple(types), {}))


class _spliced:
    """Add plugin fields to core type definitions for the duration of one schema conversion."""

    def __init__(self, added: dict[type, list[StrawberryField]]) -> None:
        self.added = added
        self.saved: dict[type, list[StrawberryField]] = {}

    def __enter__(self) -> None:
        for cls, fields in self.added.items():
            definition = get_object_definition(cls, strict=True)
            self.saved[cls] = definition.fields
            definition.fields = [*definition.fields, *fields]

    def __exit__(self, *exc: object) -> None:
        for cls, fields in self.saved.items():
            get_object_definition(cls, strict=True).fields = fields
