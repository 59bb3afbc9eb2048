"""Child connections on the planned read path: each level's pages read for all its parents
in one statement (:class:`schema.planner.declare.Children`), with only the columns the
selection uses, and, on PostgreSQL, written as JSON by that statement when the selection is
plain columns (see :mod:`schema.planner.json_rows`): a whole connection per parent, or each
node's object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import GraphQLField, GraphQLObjectType, GraphQLOutputType

from core.errors import HemeiError
from schema.access.rules import scope_of
from schema.loaders import written_pages
from schema.nodes import NodeSource
from schema.planner.complete import FieldPlan, level, plan_of, selected, unwrap
from schema.planner.declare import Children
from schema.planner.json_rows import (
    WrittenConnection,
    cursor_sql,
    edges_sql,
    global_id_sql,
    leaf_sql,
    object_sql,
    typename_sql,
    wanted,
    written,
)
from schema.planner.readers import (
    arguments_of,
    column_of,
    counter_of,
    id_of,
    read_global_id,
    row_id,
)
from schema.planner.selections import FieldDetailsList, remembered, selection_key
from schema.planner.values import Fallback
from schema.relay import Connection, PageArgs, make_connection


def children_reader(declared: Children) -> Callable[..., Any]:
    async def read(
        executor: Any, parent: Any, field: GraphQLField, details: Any, objects: list[Any]
    ) -> list[Connection[Any]]:
        arguments = arguments_of(executor, field, details)
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
        ids = column_of(executor, parent, objects, "id")
        # Every parent of the level is here already: the batch function itself, without a
        # future per parent to batch them again (a level has hundreds).
        found = await pages.load_fn([(i, page) for i in ids])
        checked = declared.scope is not None
        return [
            make_connection(
                nodes,
                has_next,
                key=id_of if columns is None else row_id,
                count=counter_of(counts, i),
                lazy_cursors=True,
                checked=checked,
            )
            for i, (nodes, has_next) in zip(ids, found, strict=True)
        ]

    return read


def children_written(declared: Children) -> Callable[..., Any]:
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
        arguments = arguments_of(executor, field, details)
        try:
            page = PageArgs.of(arguments.get("first"), arguments.get("after"))
        except HemeiError:
            return None  # the reader raises it as the planner does
        texts = await written_pages(
            context,
            source,
            declared.parent,
            column_of(executor, parent, objects, "id"),
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
    columns: tuple[str, ...] | None = _per_selection(
        executor, "hemei.lean_columns", (source.graphql_type,), connection_type, details,
        lambda: _lean_columns_of(executor, source, connection_type, details),
    )  # fmt: skip
    return columns


def _per_selection(
    executor: Any,
    table: str,
    key: tuple[Any, ...],
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
    answer: Callable[[], Any],
) -> Any:
    """``answer()`` for the selection ``details`` under ``connection_type``, remembered in
    ``table`` under ``key`` and the selection (answered anew when the selection cannot key a
    memo): a cached document asks the same on every request."""
    selection = selection_key(executor, connection_type, details)
    if selection is None:
        return answer()
    return remembered(executor, table, (*key, selection), details, answer)


def _lean_columns_of(
    executor: Any,
    source: NodeSource,
    connection_type: GraphQLOutputType,
    details: FieldDetailsList,
) -> tuple[str, ...] | None:
    wanted = {"id"}
    connection = unwrap(connection_type)
    for sub in selected(executor, connection, details, "edges"):
        edge = unwrap(connection.fields["edges"].type)
        for node_details in selected(executor, edge, sub, "node"):
            node = unwrap(edge.fields["node"].type)
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
    found: str | None = _per_selection(
        executor, "hemei.node_json", (source.graphql_type,), connection_type, details,
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
    connection = unwrap(connection_type)
    edges = selected(executor, connection, details, "edges")
    if len(edges) != 1:
        return None
    edge = unwrap(connection.fields["edges"].type)
    nodes = selected(executor, edge, edges[0], "node")
    if len(nodes) != 1:
        return None
    return object_sql_of(executor, source, unwrap(edge.fields["node"].type), nodes[0])


def object_sql_of(
    executor: Any, source: NodeSource, node: GraphQLObjectType, details: FieldDetailsList
) -> str | None:
    """The SQL expression of a node's object as JSON text, for the selection ``details``."""
    return _members_sql(
        executor, node, details, lambda sub, plan, field: _member_sql(node, source, plan, field)
    )


def _members_sql(
    executor: Any,
    parent: GraphQLObjectType,
    details: FieldDetailsList,
    member: Callable[[FieldDetailsList, FieldPlan | None, GraphQLField | None], str | None],
) -> str | None:
    """An object's JSON text over its selected fields, each written by ``member`` (``None``
    when one cannot be)."""
    members: list[tuple[str, str]] = []
    for key, sub, plan, field in level(executor, parent, details):
        value = member(sub, plan, field)
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
    found: WrittenConnection | None = _per_selection(
        executor, "hemei.connection_json", (source.graphql_type, newest_first), connection_type,
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
    connection = unwrap(connection_type)
    edges: list[str] = []
    members: list[tuple[str, str]] = []
    for key, sub, _, field in level(executor, connection, details):
        if field is None:
            members.append((key, typename_sql(connection.name)))
            continue
        if sub[0].node.name.value != "edges":
            return None
        edge = _edge_sql(executor, source, unwrap(field.type), sub)
        if edge is None:
            return None
        members.append((key, edges_sql(f"hemei_edge_{len(edges)}", newest_first)))
        edges.append(edge)
    return WrittenConnection(tuple(edges), object_sql(members))


def _edge_sql(
    executor: Any, source: NodeSource, edge: GraphQLObjectType, details: FieldDetailsList
) -> str | None:
    def member(
        sub: FieldDetailsList, plan: FieldPlan | None, field: GraphQLField | None
    ) -> str | None:
        if field is None:
            return typename_sql(edge.name)
        name = sub[0].node.name.value
        if name == "cursor":
            return cursor_sql("id")
        if name == "node":
            return object_sql_of(executor, source, unwrap(field.type), sub)
        return None

    return _members_sql(executor, edge, details, member)


def _member_sql(
    node: GraphQLObjectType,
    source: NodeSource,
    plan: FieldPlan | None,
    field: GraphQLField | None,
) -> str | None:
    if field is None:
        return typename_sql(node.name)
    if plan is None or plan.scoped:
        return None
    if plan.read is read_global_id:
        id_attr = cast(Any, source.graphql_type).resolve_id_attr()
        return global_id_sql(node.name, id_attr) if id_attr in source.converters else None
    if plan.column is None or plan.column not in source.converters:
        return None
    return leaf_sql(field.type, source.converters[plan.column], plan.column)
