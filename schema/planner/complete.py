"""Complete a selection over objects level by level: every field of a level for all its objects
at once, every declared relation as one batched read, leaves coerced by the schema's own
scalars. What graphql-core would do field by field, for each object, with a resolver call and
an awaitable each.

Anything this module does not know raises :class:`Fallback` before a value is handed out; the
executor then lets graphql-core complete the field as always (the reference path).
"""

from __future__ import annotations

import asyncio
import sqlite3
from binascii import b2a_base64
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat, starmap
from operator import attrgetter, is_, is_not, itemgetter
from typing import Any, cast

from asyncpg import Record
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values
from strawberry import relay
from strawberry.types.field import StrawberryField

from core.errors import HemeiError
from schema.access.rules import ScopeFilter, scope_of, visible_only
from schema.loaders import by_id, written_pages
from schema.nodes import NodeSource
from schema.planner.declare import Children, Parent
from schema.planner.json_rows import (
    WrittenConnection,
    cursor_sql,
    edges_sql,
    fragments,
    global_id_sql,
    leaf_sql,
    object_sql,
    typename_sql,
    wanted,
    written,
)
from schema.planner.keys import PLAN_KEY, SelfOnly
from schema.planner.selections import FieldDetailsList, remembered, selection_key
from schema.planner.values import Fallback, dict_maker, serialised
from schema.relay import Connection, PageArgs, RowEdge, all_checked, make_connection

_DEFINITION = "strawberry-definition"


@dataclass(frozen=True)
class FieldPlan:
    """How one field of one type is read for a whole level: ``read(executor, field, details,
    objects)`` gives the field's raw value for each object."""

    read: Callable[..., Any]
    scoped: bool = False
    nullable: bool = True
    columns: frozenset[str] | None = None
    """The columns of the object the read uses (``None``: it may use any)."""
    column: str | None = None
    """The column whose value the field is, as it is (a field without a resolver)."""
    written: Callable[..., Any] | None = None
    """Like ``read``, but each object's completed value as JSON text the database wrote
    (``orjson.Fragment``), or ``None`` when it cannot be: then ``read`` reads it."""


def plan_of(parent: GraphQLObjectType, name: str) -> FieldPlan | None:
    """The field's plan, or ``None`` when the planner does not know it (cached on the field)."""
    field = parent.fields.get(name)
    if field is None:
        return None
    cache = field.extensions  # graphql-core's per-field dict: built once with the schema
    if "hemei.field_plan" not in cache:
        cache["hemei.field_plan"] = _classify(parent, field)
    plan: FieldPlan | None = cache["hemei.field_plan"]
    return plan


def _classify(parent: GraphQLObjectType, field: GraphQLField) -> FieldPlan | None:
    definition = field.extensions.get(_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.permission_classes:
        return None
    scoped = False
    for extension in definition.extensions:
        if isinstance(extension, ScopeFilter):
            scoped = True
        else:
            return None  # access logic or behaviour the planner cannot apply
    if scoped and _lists_edges(field.type):
        # The builder scopes a connection's edges too, but no edge type has a rule of its own:
        # the node's rule applies through Edge.node. Checking the edges admits every one.
        scoped = False
    nullable = not is_non_null_type(field.type)
    declared = definition.metadata.get(PLAN_KEY)
    if definition.python_name == "_id" and _default_id(definition):
        return FieldPlan(_read_global_id, columns=frozenset({"id"}))
    if definition.base_resolver is None:
        name = definition.python_name
        return FieldPlan(_attribute_reader(name), scoped, nullable, frozenset({name}), name)
    if isinstance(declared, Children):
        # A declared scope is the target type's own rule (tests/planner checks it), applied in
        # SQL before paging: checking each row again in Python would find nothing to remove.
        return FieldPlan(
            _children_reader(declared),
            scoped and declared.scope is None,
            nullable,
            frozenset({"id"}),
            written=_children_written(declared),
        )
    if isinstance(declared, Parent):
        return FieldPlan(_parent_reader(declared), scoped, nullable, frozenset({declared.column}))
    if isinstance(declared, SelfOnly):
        function = cast(Callable[[Any], Any], definition.base_resolver.wrapped_func)
        return FieldPlan(_self_reader(function), scoped, nullable)
    return None


def _lists_edges(type_: GraphQLOutputType) -> bool:
    named = _unwrap(type_)
    definition = getattr(named, "extensions", {}).get(_DEFINITION)
    origin = getattr(definition, "origin", None)
    return isinstance(origin, type) and issubclass(origin, relay.Edge)


def _default_id(definition: StrawberryField) -> bool:
    origin = definition.origin
    return (
        isinstance(origin, type)
        and issubclass(origin, relay.Node)
        and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
    ) or origin is relay.Node


def plannable(executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList) -> bool:
    """Whether every field of the selection under ``return_type`` has a plan (no I/O).

    Remembered per schema for a selection (its field nodes, which belong to one parsed
    document, and the values of the variables its directives read): a cached document asks
    the same question on every request, and walking the selection was a twentieth of a read
    by id."""
    key = selection_key(executor, return_type, details)
    if key is None:
        return _plannable(executor, return_type, details)
    return bool(
        remembered(executor, "hemei.plannable", key, details,
                   lambda: _plannable(executor, return_type, details))
    )  # fmt: skip


def _plannable(executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList) -> bool:
    named = _unwrap(return_type)
    if is_leaf_type(named):
        return True
    if not is_object_type(named):
        return False
    collected = executor.collect_subfields(named, details)
    if collected.new_defer_usages or collected.forbidden_directive_instances:
        return False
    for sub in collected.grouped_field_set.values():
        name = sub[0].node.name.value
        if name == "__typename":
            continue
        if plan_of(named, name) is None:
            return False
        if not _plannable(executor, named.fields[name].type, sub):
            return False
    return True


def _unwrap(type_: GraphQLOutputType) -> Any:
    while is_non_null_type(type_) or is_list_type(type_):
        type_ = type_.of_type
    return type_


async def complete(
    executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList, values: list[Any]
) -> list[Any]:
    """The completed values of ``values`` (one per position) as ``return_type``."""
    if is_non_null_type(return_type):
        if _has_none(values):
            raise Fallback  # graphql-core raises the non-null error with its path
        return await _complete_present(executor, return_type.of_type, details, values)
    if not _has_none(values):
        return await _complete_present(executor, return_type, details, values)
    present = [i for i, v in enumerate(values) if v is not None]
    completed = await _complete_present(
        executor, return_type, details, [values[i] for i in present]
    )
    done: list[Any] = [None] * len(values)
    for i, value in zip(present, completed, strict=True):
        done[i] = value
    return done


async def _complete_present(
    executor: Any, return_type: GraphQLOutputType, details: FieldDetailsList, values: list[Any]
) -> list[Any]:
    """:func:`complete` for ``values`` none of which is None, as a nullable ``return_type``."""
    if is_list_type(return_type):
        flat: list[Any] = []
        sizes = []
        for value in values:
            items = list(value)
            sizes.append(len(items))
            flat.extend(items)
        completed_items = await complete(executor, return_type.of_type, details, flat)
        at = 0
        completed: list[Any] = []
        for size in sizes:
            completed.append(completed_items[at : at + size])
            at += size
        return completed
    if is_leaf_type(return_type):
        return serialised(return_type, values)
    if is_object_type(return_type):
        return await _complete_objects(executor, return_type, details, values)
    raise Fallback  # interfaces and unions: graphql-core resolves the runtime type


def _has_none(values: list[Any]) -> bool:
    """Whether any of ``values`` is None, by identity, in C. ``None in values`` calls each
    value's ``__eq__``: a dataclass's is Python code (every object of a level is one), which
    made these checks a tenth of a large read."""
    return not all(map(is_not, values, repeat(None)))


async def _complete_objects(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList, objects: list[Any]
) -> list[Any]:
    if not objects:
        return []
    if objects[0].__class__ is Record:
        # Rows whose objects their statement wrote as JSON (see json_rows): nothing to do.
        written = fragments(objects)
        if written is not None:
            return written
    context = executor.context_value
    keys: list[str] = []
    columns: list[list[Any]] = []  # one completed value per object, for each key
    for key, sub, plan, field in _level(executor, parent, details):
        keys.append(key)
        if field is None:  # __typename
            columns.append([parent.name] * len(objects))
            continue
        if plan is None:
            raise Fallback
        if plan.written is not None and not plan.scoped:
            done = await plan.written(executor, parent, field, sub, objects)
            if done is not None:
                columns.append(done)
                continue
        raw = plan.read(executor, parent, field, sub, objects)
        if asyncio.iscoroutine(raw):
            raw = await raw
        if plan.scoped and not all_checked(objects):
            try:
                raw = [visible_only(context, value, plan.nullable) for value in raw]
            except HemeiError as error:
                raise Fallback from error
        columns.append(await complete(executor, field.type, sub, raw))
    if not keys:  # every field skipped (@skip / @include)
        return [{} for _ in objects]
    # Each object's dict built at once, in the selection's key order, by a function made for
    # these keys: a third of the time of dict(zip(keys, row)), for thousands of objects.
    return list(starmap(dict_maker(tuple(keys)), zip(*columns, strict=True)))


_LevelField = tuple[str, FieldDetailsList, FieldPlan | None, GraphQLField | None]


def _level(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList
) -> list[_LevelField]:
    """The fields of the selection on ``parent``: response key, field details, plan and
    definition (``None`` for ``__typename``). Remembered like :func:`plannable`'s answer:
    collecting the fields of a cached document anew, level by level, was a tenth of a read
    by id."""
    key = selection_key(executor, parent, details)
    if key is None:
        return _level_fields(executor, parent, details)
    found: list[_LevelField] = remembered(
        executor, "hemei.level", key, details, lambda: _level_fields(executor, parent, details)
    )
    return found


def _level_fields(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList
) -> list[_LevelField]:
    fields: list[_LevelField] = []
    for key, sub in executor.collect_subfields(parent, details).grouped_field_set.items():
        name = sub[0].node.name.value
        if name == "__typename":
            fields.append((key, sub, None, None))
        else:
            fields.append((key, sub, plan_of(parent, name), parent.fields.get(name)))
    return fields


def _read_global_id(
    executor: Any, parent: GraphQLObjectType, field: GraphQLField, details: Any, objects: list[Any]
) -> list[str]:
    first = objects[0].__class__
    if first in _ROWS:
        id_attr = cast(Any, _source_of(executor, parent).graphql_type).resolve_id_attr()
        ids = _row_column(executor, parent, objects, id_attr)
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


_ROWS = (Record, sqlite3.Row)
"""The classes of the drivers' rows, which the planner's own page reads hand it as they come
(:func:`schema.loaders.child_pages` with ``columns``): no object is built per row."""


def _source_of(executor: Any, parent: GraphQLObjectType) -> NodeSource:
    source: NodeSource | None = executor.context_value.node_sources.get(parent.name)
    if source is None:
        raise Fallback
    return source


def _row_column(executor: Any, parent: GraphQLObjectType, rows: list[Any], name: str) -> list[Any]:
    """Column ``name`` of driver rows of ``parent``'s table, converted as the ORM would."""
    source = _source_of(executor, parent)
    if name not in source.converters:
        raise Fallback
    return source.column_values(name, list(map(itemgetter(name), rows)))


def _column(executor: Any, parent: GraphQLObjectType, objects: list[Any], name: str) -> list[Any]:
    """Attribute ``name`` of each object of a level (objects, or driver rows)."""
    if objects[0].__class__ in _ROWS:
        return _row_column(executor, parent, objects, name)
    return list(map(attrgetter(name), objects))


def _attribute_reader(name: str) -> Callable[..., list[Any]]:
    attribute = attrgetter(name)
    # An edge made from a row (a root list read for the planner) hands out the row itself.
    edge_row = name == "node"

    def read(executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]) -> list[Any]:
        first = objects[0].__class__
        if first in _ROWS:
            return _row_column(executor, parent, objects, name)
        if edge_row and first is RowEdge and all(map(is_, map(type, objects), repeat(RowEdge))):
            return list(map(_ROW_OF_EDGE, objects))
        return list(map(attribute, objects))

    return read


_ROW_OF_EDGE = attrgetter("row")


def _self_reader(function: Callable[[Any], Any]) -> Callable[..., Any]:
    async def read(executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]) -> Any:
        if objects[0].__class__ in _ROWS:  # never: a resolver's field reads whole objects
            raise Fallback
        # Together, so that loaders behind the calls batch them into one statement.
        return await asyncio.gather(*(function(o) for o in objects))

    return read


def _arguments(executor: Any, field: GraphQLField, details: FieldDetailsList) -> dict[str, Any]:
    first = details[0]
    return get_argument_values(
        field,
        first.node,
        executor.variable_values,
        first.fragment_variable_values,
        executor.hide_suggestions,
    )


def _children_reader(declared: Children) -> Callable[..., Any]:
    async def read(
        executor: Any, parent: Any, field: GraphQLField, details: Any, objects: list[Any]
    ) -> list[Connection[Any]]:
        arguments = _arguments(executor, field, details)
        try:
            page = PageArgs.of(arguments.get("first"), arguments.get("after"))
        except HemeiError as error:
            raise Fallback from error
        columns = _lean_columns(executor, declared, field, details)
        json = None
        if columns is not None:
            json = node_json(executor, declared.source(), field.type, details)
        filters = declared.filters_of(arguments)
        pages, counts = declared.loaders(executor.context_value, filters, columns, json)
        ids = _column(executor, parent, objects, "id")
        # Every parent of the level is here already: the batch function itself, without a
        # future per parent to batch them again (a level has hundreds).
        found = await pages.load_fn([(i, page) for i in ids])
        checked = declared.scope is not None
        return [
            make_connection(
                nodes,
                has_next,
                key=_id_of if columns is None else _row_id,
                count=_counter(counts, i),
                lazy_cursors=True,
                checked=checked,
            )
            for i, (nodes, has_next) in zip(ids, found, strict=True)
        ]

    return read


def _children_written(declared: Children) -> Callable[..., Any]:
    async def read(
        executor: Any, parent: Any, field: GraphQLField, details: Any, objects: list[Any]
    ) -> list[Any] | None:
        context = executor.context_value
        source = declared.source()
        columns = _lean_columns(executor, declared, field, details)
        if columns is None:
            return None
        how = connection_json(executor, source, field.type, details, declared.newest_first)
        if how is None:
            return None
        arguments = _arguments(executor, field, details)
        try:
            page = PageArgs.of(arguments.get("first"), arguments.get("after"))
        except HemeiError:
            return None  # the reader raises it as the planner does
        texts = await written_pages(
            context,
            source,
            declared.parent,
            _column(executor, parent, objects, "id"),
            page,
            how,
            columns=columns,
            scope=declared.scope,
            filters=declared.filters_of(arguments),
            newest_first=declared.newest_first,
        )
        return None if texts is None else written(texts)

    return read


def _lean_columns(
    executor: Any, declared: Children, field: GraphQLField, details: FieldDetailsList
) -> tuple[str, ...] | None:
    source = declared.source()
    scoped_in_sql = declared.scope is not None or scope_of(source.graphql_type) is None
    return lean_columns(executor, source, scoped_in_sql, field.type, details)


def lean_columns(
    executor: Any,
    source: NodeSource,
    scoped_in_sql: bool,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
) -> tuple[str, ...] | None:
    """The columns the selection under a connection of ``source``'s nodes reads from them
    (with ``id``, the cursor key), or ``None`` for all of them: when a selected field may read
    anything (a resolver), reads a value the source fills in besides its columns, or when the
    nodes will be checked by their scope rule in Python (not ``scoped_in_sql``: the rule reads
    its own columns). Remembered per selection as :func:`plannable` remembers its answer."""
    if not scoped_in_sql:
        return None
    selection = selection_key(executor, connection_type, details)
    if selection is None:
        return _lean_columns_of(executor, source, connection_type, details)
    columns: tuple[str, ...] | None = remembered(
        executor, "hemei.lean_columns", (source.graphql_type, selection), details,
        lambda: _lean_columns_of(executor, source, connection_type, details),
    )  # fmt: skip
    return columns


def _lean_columns_of(
    executor: Any,
    source: NodeSource,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
) -> tuple[str, ...] | None:
    wanted = {"id"}
    connection = _unwrap(connection_type)
    for sub in _selected(executor, connection, details, "edges"):
        edge = _unwrap(connection.fields["edges"].type)
        for node_details in _selected(executor, edge, sub, "node"):
            node = _unwrap(edge.fields["node"].type)
            grouped = executor.collect_subfields(node, node_details).grouped_field_set
            for fields in grouped.values():
                name = fields[0].node.name.value
                if name == "__typename":
                    continue
                plan = plan_of(node, name)
                if plan is None or plan.columns is None:
                    return None
                wanted |= plan.columns
    columns = source.columns
    if not wanted.issubset(columns):
        return None
    return tuple(c for c in columns if c in wanted)  # in the source's order: one cache key


def node_json(
    executor: Any, source: NodeSource, connection_type: GraphQLOutputType, details: FieldDetailsList
) -> str | None:
    """For a lean read of a connection of ``source``'s nodes: the SQL expression of each
    node's object as JSON text (see :mod:`schema.planner.json_rows`), when the request may
    take it and every field of the node's selection is a column PostgreSQL can write;
    ``None`` otherwise. Remembered per selection as :func:`plannable` remembers its answer."""
    if not wanted(executor.context_value, source):
        return None
    selection = selection_key(executor, connection_type, details)
    if selection is None:
        return None
    found: str | None = remembered(
        executor, "hemei.node_json", (source.graphql_type, selection), details,
        lambda: _node_json_of(executor, source, connection_type, details),
    )  # fmt: skip
    return found


def _node_json_of(
    executor: Any,
    source: NodeSource,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
) -> str | None:
    # One selection of edges with one of node: the rows are the objects of that one level.
    connection = _unwrap(connection_type)
    edges = _selected(executor, connection, details, "edges")
    if len(edges) != 1:
        return None
    edge = _unwrap(connection.fields["edges"].type)
    nodes = _selected(executor, edge, edges[0], "node")
    if len(nodes) != 1:
        return None
    return _object_sql(executor, source, _unwrap(edge.fields["node"].type), nodes[0])


def _object_sql(
    executor: Any, source: NodeSource, node: GraphQLObjectType, details: FieldDetailsList
) -> str | None:
    """The SQL expression of a node's object as JSON text, for the selection ``details``."""
    members: list[tuple[str, str]] = []
    for key, sub, plan, field in _level(executor, node, details):
        value = _member_sql(node, source, sub, plan, field)
        if value is None:
            return None
        members.append((key, value))
    return object_sql(members)


def connection_json(
    executor: Any,
    source: NodeSource,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
    newest_first: bool,
) -> WrittenConnection | None:
    """For a lean read of a page of ``source``'s nodes per parent: how the statement writes
    each whole connection object (see :mod:`schema.planner.json_rows`), when its selection is
    edges (cursors, nodes) of plain columns; ``None`` otherwise (page info and total counts
    are read as the planner reads them). Remembered per selection."""
    if not wanted(executor.context_value, source):
        return None
    selection = selection_key(executor, connection_type, details)
    if selection is None:
        return None
    found: WrittenConnection | None = remembered(
        executor, "hemei.connection_json", (source.graphql_type, selection, newest_first),
        details, lambda: _connection_json_of(executor, source, connection_type, details,
                                             newest_first),
    )  # fmt: skip
    return found


def _connection_json_of(
    executor: Any,
    source: NodeSource,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
    newest_first: bool,
) -> WrittenConnection | None:
    connection = _unwrap(connection_type)
    edges: list[str] = []
    members: list[tuple[str, str]] = []
    for key, sub, _, field in _level(executor, connection, details):
        if field is None:
            members.append((key, typename_sql(connection.name)))
            continue
        if sub[0].node.name.value != "edges":
            return None
        edge = _edge_sql(executor, source, _unwrap(field.type), sub)
        if edge is None:
            return None
        members.append((key, edges_sql(f"hemei_edge_{len(edges)}", newest_first)))
        edges.append(edge)
    return WrittenConnection(tuple(edges), object_sql(members))


def _edge_sql(
    executor: Any, source: NodeSource, edge: GraphQLObjectType, details: FieldDetailsList
) -> str | None:
    members: list[tuple[str, str]] = []
    for key, sub, _, field in _level(executor, edge, details):
        name = "__typename" if field is None else sub[0].node.name.value
        value: str | None
        if name == "__typename":
            value = typename_sql(edge.name)
        elif name == "cursor":
            value = cursor_sql("id")
        elif name == "node" and field is not None:
            value = _object_sql(executor, source, _unwrap(field.type), sub)
        else:
            value = None
        if value is None:
            return None
        members.append((key, value))
    return object_sql(members)


def _member_sql(
    node: GraphQLObjectType,
    source: NodeSource,
    details: FieldDetailsList,
    plan: FieldPlan | None,
    field: GraphQLField | None,
) -> str | None:
    if field is None:
        return typename_sql(node.name)
    if plan is None or plan.scoped:
        return None
    if plan.read is _read_global_id:
        id_attr = cast(Any, source.graphql_type).resolve_id_attr()
        return global_id_sql(node.name, id_attr) if id_attr in source.converters else None
    if plan.column is None or plan.column not in source.converters:
        return None
    return leaf_sql(field.type, source.converters[plan.column], plan.column)


def _selected(
    executor: Any, parent: GraphQLObjectType, details: FieldDetailsList, name: str
) -> list[FieldDetailsList]:
    """The field details of every selection of field ``name`` (each alias) under ``parent``."""
    grouped = executor.collect_subfields(parent, details).grouped_field_set
    return [fields for fields in grouped.values() if fields[0].node.name.value == name]


def _id_of(node: Any) -> int:
    return int(node.id)


def _row_id(row: Any) -> int:
    return int(row["id"])


def _counter(counts: Any, parent_id: int) -> Callable[[], Any]:
    return lambda: counts.load(parent_id)


def _parent_reader(declared: Parent) -> Callable[..., Any]:
    async def read(
        executor: Any, parent: Any, field: Any, details: Any, objects: list[Any]
    ) -> list[Any]:
        keys = _column(executor, parent, objects, declared.column)
        wanted = sorted({k for k in keys if k is not None})
        loader = by_id(executor.context_value, declared.source())
        found = dict(zip(wanted, await loader.load_many(wanted), strict=True))
        return [None if k is None else found[k] for k in keys]

    return read
