"""What each field of the composed schema costs, for the query cost limit.

Most fields need no declaration: the cost follows from the field's kind.

| kind | cost |
|---|---|
| leaf (scalar or enum, or a list of them) | 0 |
| object | 1 + what it selects |
| connection (a ``Connection`` with ``first``) | 1 + ``first`` × what each node selects |
| list of objects with a ``first`` argument | 1 + ``first`` × what each item selects |
| list of objects without ``first`` | 1 + declared ``size`` (else 100) × what each item selects |
| root mutation or subscription field | 10 + what it selects |
| ``__schema`` / ``__type`` (introspection) | 1,000, whatever they select |

``first`` is read from the document or its variables, in ``[0, size]`` (``size`` defaults to the
API's cap, 100); absent, the argument's default counts (20 for connections).

Only a list without ``first`` whose items select further objects must declare how long it may be,
since nothing else bounds how its multiplier compounds (a list of flat objects counts as 100
items and costs at most 100 + what they select); a field whose resolver is expensive for what it
returns may declare a ``weight``::

    @strawberry.field(description="...", metadata=cost(size=10))
    async def sittings(self, info: Info) -> list[CanteenSitting]: ...

    dishes: list[Dish] = strawberry.field(description="...", metadata=cost(size=30))

A field without a declaration that needs one counts as ``size`` 100 and is named in a warning at
start-up; a test fails on it for the built-in modules (``tests/schema/test_limits.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from strawberry.types.field import StrawberryField

from schema.limits.declare import COST_KEY, Cost
from schema.relay import DEFAULT_FIRST, MAX_FIRST

log = logging.getLogger("hemei.limits")

MUTATION_WEIGHT = 10
INTROSPECTION_COST = 1000
FIRST_ARGUMENT = "first"


class Kind(StrEnum):
    LEAF = "leaf"
    OBJECT = "object"
    CONNECTION = "connection"
    EDGES = "edges"
    LIST = "list"


@dataclass(frozen=True)
class FieldCost:
    """How a field counts: ``weight`` plus ``multiplier`` × its selection, where the multiplier
    is the value of ``argument`` (``first`` unless declared; capped at ``size``,
    ``default_first`` when absent) or ``size``."""

    kind: Kind
    weight: int
    size: int = 1
    by_first: bool = False
    default_first: int = DEFAULT_FIRST
    declared: bool = False
    argument: str = FIRST_ARGUMENT

    nests: bool = False
    """Its items select further objects, so its multiplier compounds."""

    @property
    def needs_declaration(self) -> bool:
        """A list of objects that select further objects, which nothing bounds but a
        declaration (a list of flat objects costs at most ``size`` anyway)."""
        return self.kind is Kind.LIST and self.nests and not self.by_first and not self.declared


class CostMap:
    """The cost of every field of a schema, worked out once when the schema is built."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.fields: dict[tuple[str, str], FieldCost] = {}
        roots = {
            t.name: MUTATION_WEIGHT
            for t in (schema.mutation_type, schema.subscription_type)
            if t is not None
        }
        for type_ in schema.type_map.values():
            if type_.name.startswith("__"):
                continue
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                for name, field in type_.fields.items():
                    self.fields[(type_.name, name)] = _field_cost(
                        type_, name, field, roots.get(type_.name)
                    )
        if undeclared := self.undeclared():
            log.warning(
                "list fields without a declared cost (counted as %d items each): %s",
                MAX_FIRST,
                ", ".join(undeclared),
            )

    def of(self, type_name: str, field_name: str) -> FieldCost | None:
        return self.fields.get((type_name, field_name))

    def undeclared(self) -> list[str]:
        """``Type.field`` of each list of objects with neither ``first`` nor a declared size."""
        return sorted(f"{t}.{f}" for (t, f), c in self.fields.items() if c.needs_declaration)

    def __iter__(self) -> Iterator[tuple[tuple[str, str], FieldCost]]:
        return iter(self.fields.items())


def _field_cost(
    parent: GraphQLNamedType, name: str, field: GraphQLField, root_weight: int | None
) -> FieldCost:
    declared = _declared(field)
    target = get_named_type(field.type)
    composite = isinstance(target, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
    is_list = _is_list(field.type)
    default_weight = root_weight if root_weight is not None else (1 if composite else 0)
    weight = declared.weight if declared and declared.weight is not None else default_weight
    size = declared.size if declared and declared.size is not None else None
    if not composite:
        return FieldCost(Kind.LEAF, weight, declared=declared is not None)
    if is_list and _is_connection(parent) and name == "edges":
        return FieldCost(Kind.EDGES, 0 if not declared else weight, declared=declared is not None)
    argument = declared.argument if declared and declared.argument else FIRST_ARGUMENT
    first = field.args.get(argument)
    default_first = (
        first.default_value
        if first is not None and isinstance(first.default_value, int)
        else DEFAULT_FIRST
    )
    if not is_list and _is_connection(target):
        return FieldCost(
            Kind.CONNECTION,
            weight,
            size=size if size is not None else MAX_FIRST,
            by_first=first is not None,
            default_first=default_first,
            declared=declared is not None,
            argument=argument,
        )
    if is_list:
        return FieldCost(
            Kind.LIST,
            weight,
            size=size if size is not None else MAX_FIRST,
            by_first=first is not None,
            default_first=default_first,
            declared=size is not None,
            nests=_nests(target),
            argument=argument,
        )
    return FieldCost(Kind.OBJECT, weight, declared=declared is not None)


def _nests(type_: Any) -> bool:
    """Whether objects of ``type_`` have fields that return objects (a union or an interface
    may be anything)."""
    if not isinstance(type_, GraphQLObjectType):
        return True
    return any(
        isinstance(
            get_named_type(f.type), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
        )
        for f in type_.fields.values()
    )


def _declared(field: GraphQLField) -> Cost | None:
    definition: Any = (field.extensions or {}).get("strawberry-definition")
    if isinstance(definition, StrawberryField):
        metadata: dict[str, Any] = dict(definition.metadata or {})
        found = metadata.get(COST_KEY)
        return found if isinstance(found, Cost) else None
    return None


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _is_connection(type_: Any) -> bool:
    """A relay connection: an object with ``edges`` and ``pageInfo``."""
    return (
        isinstance(type_, GraphQLObjectType)
        and "edges" in type_.fields
        and "pageInfo" in type_.fields
    )
