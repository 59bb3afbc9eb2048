"""What a plugin hands the schema builder from its ``register_graphql`` hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schema.nodes import NodeSource


@dataclass(frozen=True)
class PlaceOf:
    """How an object of a type finds its place in the region tree: the names of its attributes
    holding region ids. The module gate reads these to decide whether the object's module is on
    where the object is; the planned read path compiles the same declaration into SQL."""

    district: str = "district_id"
    street: str | None = "street_id"
    community: str | None = "community_id"


@dataclass(frozen=True)
class SchemaContribution:
    """A plugin's part of the GraphQL schema.

    ``query`` / ``mutation`` / ``subscription``: strawberry types whose fields are added to the
    root types. ``type_fields``: fields added to core types, by core type name (e.g.
    ``{"Community": CommunityCanteenFields}``). ``types``: further types to include.
    ``places``: for each of the plugin's types whose objects belong to a place, how they find
    it (without an entry a type is not tied to a place). ``nodes``: node types that
    ``node(id:)`` resolves. ``authorization``: the plugin's authorization matrix file. Every
    name is checked against core and every other plugin.
    """

    query: type | None = None
    mutation: type | None = None
    subscription: type | None = None
    type_fields: dict[str, type] = field(default_factory=dict)
    types: list[type] = field(default_factory=list)
    places: dict[type, PlaceOf] = field(default_factory=dict)
    nodes: list[NodeSource] = field(default_factory=list)
    authorization: Path | None = None
    """The plugin's rows of the authorization matrix (``schema/access/authorization.toml``
    shows the format): one table per root query and mutation it adds."""
