"""How a planned level reads each kind of field for all its objects at once: a column (of
objects, or of the drivers' rows the planner's own page reads hand out), the global id, a
resolver that reads only its object, the row a column points at. What each reader hands
back is the field's raw value per object; :mod:`schema.planner.complete` completes it."""

from __future__ import annotations

import asyncio
import sqlite3
from binascii import b2a_base64
from collections.abc import Callable
from itertools import repeat
from operator import attrgetter, is_, itemgetter
from typing import Any, cast

from asyncpg import Record
from graphql import GraphQLField, GraphQLObjectType
from graphql.execution.values import get_argument_values

from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.planner.declare import Parent
from schema.planner.selections import FieldDetailsList
from schema.planner.values import Fallback
from schema.relay import RowEdge


def read_global_id(
    executor: Any, parent: GraphQLObjectType, field: GraphQLField, details: Any, objects: list[Any]
) -> list[str]:
    first = objects[0].__class__
    if first in ROWS:
        id_attr = cast(Any, source_of(executor, parent).graphql_type).resolve_id_attr()
        ids = row_column(executor, parent, objects, id_attr)
    elif all(map(is_, map(type, objects), repeat(first))):
        ids = list(map(attrgetter(first.resolve_id_attr()), objects))
    else:
        ids = [getattr(o, o.resolve_id_attr()) for o in objects]
    return global_ids(parent.name, ids)


_GLOBAL_IDS: dict[str, dict[Any, str]] = {}


GLOBAL_IDS_KEPT = 20_000
"""Global ids remembered per type (a few MB at most): the same rows are read again and again."""


def global_ids(type_name: str, ids: list[Any]) -> list[str]:
    """``str(GlobalID(type_name, str(i)))`` for each of ``ids`` (base64 of ``"Type:id"``),
    without its layers of calls, and remembered: a large read has thousands of ids, and
    encoding them was a tenth of it."""
    memo = _GLOBAL_IDS.get(type_name)
    if memo is None or len(memo) > GLOBAL_IDS_KEPT:
        memo = _GLOBAL_IDS[type_name] = {}
    found: list[Any] = list(map(memo.get, ids))
    if None in found:  # strings: a C comparison each
        prefix = f"{type_name}:"
        for at, key in enumerate(ids):
            if found[at] is None:
                encoded = b2a_base64(f"{prefix}{key}".encode(), newline=False).decode()
                found[at] = memo[key] = encoded
    return found


ROWS = (Record, sqlite3.Row)
"""The classes of the drivers' rows, which the planner's own page reads hand it as they come
(:func:`schema.loaders.child_pages` with ``columns``): no object is built per row."""


def source_of(executor: Any, parent: GraphQLObjectType) -> NodeSource:
    source: NodeSource | None = executor.context_value.node_sources.get(parent.name)
    if source is None:
        raise Fallback
    return source


def row_column(executor: Any, parent: GraphQLObjectType, rows: list[Any], name: str) -> list[Any]:
    """Column ``name`` of driver rows of ``parent``'s table, converted as the ORM would."""
    source = source_of(executor, parent)
    if name not in source.converters:
        raise Fallback
    return source.column_values(name, list(map(itemgetter(name), rows)))


def column_of(executor: Any, parent: GraphQLObjectType, objects: list[Any], name: str) -> list[Any]:
    """Attribute ``name`` of each object of a level (objects, or driver rows)."""
    if objects[0].__class__ in ROWS:
        return row_column(executor, parent, objects, name)
    return list(map(attrgetter(name), objects))


def attribute_reader(name: str) -> Callable[..., list[Any]]:
    attribute = attrgetter(name)
    # An edge made from a row (a root list read for the planner) hands out the row itself.
    edge_row = name == "node"

    def read(executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]) -> list[Any]:
        first = objects[0].__class__
        if first in ROWS:
            return row_column(executor, parent, objects, name)
        if edge_row and first is RowEdge and all(map(is_, map(type, objects), repeat(RowEdge))):
            return list(map(_ROW_OF_EDGE, objects))
        return list(map(attribute, objects))

    return read


_ROW_OF_EDGE = attrgetter("row")


def self_reader(function: Callable[[Any], Any]) -> Callable[..., Any]:
    async def read(executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]) -> Any:
        if objects[0].__class__ in ROWS:  # never: a resolver's field reads whole objects
            raise Fallback
        # Together, so that loaders behind the calls batch them into one statement.
        return await asyncio.gather(*(function(o) for o in objects))

    return read


def arguments_of(executor: Any, field: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
    first = details[0]
    return get_argument_values(
        field,
        first.node,
        executor.variable_values,
        first.fragment_variable_values,
        executor.hide_suggestions,
    )


def id_of(node: Any) -> int:
    return int(node.id)


def row_id(row: Any) -> int:
    return int(row["id"])


def counter_of(counts: Any, parent_id: int) -> Callable[[], Any]:
    return lambda: counts.load(parent_id)


def parent_reader(declared: Parent) -> Callable[..., Any]:
    async def read(
        executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]
    ) -> list[Any]:
        keys = column_of(executor, parent, objects, declared.column)
        wanted = sorted({k for k in keys if k is not None})
        loader = by_id(executor.context_value, declared.source())
        found = dict(zip(wanted, await loader.load_many(wanted), strict=True))
        return [None if k is None else found[k] for k in keys]

    return read
