"""``node(id:)`` written whole by PostgreSQL, for the lean path.

A read by id is the commonest request of a grid worker's app and the cheapest a database can
answer; what it cost Hemei was the layers around it: graphql-core's executor set-up, strawberry's
resolver wrapper, an object built from every column of the row, the planner's completion of
that one object, then orjson writing it out again. For a query whose only root field is
``node(id:)`` and whose selection on the type the id names is plain columns (what
:mod:`schema.planner.json_rows` writes), the lean path asks here first, and one statement reads
the row through its type's own scope rule and writes its object as JSON text, byte for byte
what the planner's answer serialises to.

What the ``node`` resolver decides is decided the same way: the id is read by
:func:`schema.node_query.node_source` (the resolver's own function), the row must pass its
type's scope rule (the rule's SQL form, as the planner applies it to every list), and a type
with a module gate is not answered here. Anything else (another field, a directive reading a
variable, an id that is not a string, a type whose selection has a resolver, SQLite, a viewer
whose token is refused) answers ``None`` before any statement runs, and the request goes the
usual way through graphql-core, which then answers or reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    StringValueNode,
    VariableNode,
    is_object_type,
)
from orjson import Fragment
from tortoise import connections
from tortoise.expressions import Q

from core.db.rows import cached_sql
from core.errors import HemeiError
from schema.node_query import NodeQuery, node_source
from schema.nodes import NodeSource
from schema.planner.children import object_sql_of
from schema.planner.complete import plannable
from schema.planner.executor import PlanningExecutor
from schema.planner.json_rows import JSON_COLUMN, JsonLevels
from schema.planner.one_root import one_root_field
from schema.planner.selections import directive_variables, remembered_in


@dataclass(frozen=True)
class NodeRead:
    """How a document's ``node(id:)`` is written: its response key, where its id comes from
    (a variable's name, or the literal itself), and per node type the SQL expression of the
    selected object as JSON text (``None``: that type's selection is not plain columns)."""

    key: str
    variable: str | None
    literal: str | None
    objects: dict[str, str | None]


class WrittenNodes:
    answered = 0
    """Requests answered here in this process (for tests)."""


def node_read(
    schema: Any,
    document: DocumentNode,
    name: str | None,
    variables: dict[str, Any] | None,
    sources: dict[str, NodeSource],
) -> NodeRead | None:
    """How ``document`` (a cached, valid query of ``schema``, whose node types are
    ``sources``) may be answered here, or ``None``; worked out once per document and
    operation."""
    try:
        found: NodeRead | None = remembered_in(
            schema._schema, "hemei.node_read", (id(document), name), document,
            lambda: _node_read(_executor(schema, document, name, variables), sources),
        )  # fmt: skip
    except _NotCoerced:  # these variables do not coerce: the next ones may
        return None
    return found


class _NotCoerced(Exception):
    pass


def _executor(
    schema: Any, document: DocumentNode, name: str | None, variables: dict[str, Any] | None
) -> Any:
    executor = schema.execution_context_class.build(
        schema._schema, document, raw_variable_values=variables, operation_name=name,
        **schema._get_custom_context_kwargs(None),
    )  # fmt: skip
    if isinstance(executor, list):
        raise _NotCoerced
    return executor


def _node_read(executor: Any, sources: dict[str, NodeSource]) -> NodeRead | None:
    if directive_variables(executor):  # the selection would depend on the variables' values
        return None
    root = one_root_field(executor)
    if root is None:
        return None
    key, details = root
    if len(details) != 1 or not _is_plain_node_field(executor, details[0].node.name.value):
        return None
    arguments = details[0].node.arguments
    if len(arguments) != 1 or arguments[0].name.value != "id":
        return None
    value = arguments[0].value
    if isinstance(value, VariableNode):
        variable, literal = value.name.value, None
    elif isinstance(value, StringValueNode):
        variable, literal = None, value.value
    else:
        return None
    objects: dict[str, str | None] = {}
    for type_name, source in sources.items():
        runtime = executor.schema.get_type(type_name)
        if is_object_type(runtime) and plannable(executor, runtime, details):
            objects[type_name] = object_sql_of(executor, source, runtime, details)
        else:
            objects[type_name] = None
    return NodeRead(key, variable, literal, objects)


def _is_plain_node_field(executor: Any, name: str) -> bool:
    """Whether root field ``name`` is core's ``node(id:)`` as :class:`NodeQuery` declares it,
    with no permission or extension added on its way into the schema."""
    field = executor.schema.query_type.fields.get(name)
    definition = field and field.extensions.get("strawberry-definition")
    return bool(
        name == "node"
        and definition is not None
        and not definition.extensions
        and not definition.permission_classes
        and definition.base_resolver is not None
        and definition.base_resolver.wrapped_func is _NODE_RESOLVER
    )


_NODE_FIELD: Any = NodeQuery.__strawberry_definition__.get_field("node")  # type: ignore[attr-defined]
_NODE_RESOLVER = _NODE_FIELD.base_resolver.wrapped_func


async def answer_node(
    node: NodeRead, context: Any, variables: dict[str, Any] | None
) -> ExecutionResult | None:
    """The result of the document ``node`` describes, written by one statement; ``None`` when
    this request must take graphql-core's way (nothing has run then)."""
    value = node.literal if node.variable is None else (variables or {}).get(node.variable)
    if not isinstance(value, str):
        return None  # null, a number (ID coerces it) or a wrong value: graphql-core's to judge
    found = node_source(context, value)
    if found is None:
        return None
    type_name, source, row_id = found
    json = node.objects.get(type_name)
    if json is None:
        return None
    model = source.model
    client = connections.get(model._meta.default_connection or "default")
    if client.capabilities.dialect != "postgres":
        return None  # SQLite writes no JSON (schema.planner.json_rows)
    if context.gate.type_module.get(source.graphql_type) is not None:
        return None  # the gate reads the object's place: the resolver's way
    try:
        viewer = context.viewer
    except HemeiError:
        return None  # a refused token: the resolver's way reports it where it reports it
    rule = context.access.scopes.get(source.graphql_type)
    # The rule's filter may join another table (a department's cases): the JSON is written
    # over the filtered rows' own columns, outside.
    sql, args = cached_sql(
        model,
        ("node json", source.columns, rule, viewer if rule is not None else None),
        lambda: model.filter(Q() if rule is None else rule.q(viewer)).values(*source.columns),
        client,
    )
    args.append(row_id)
    statement = (
        f'SELECT {json} AS "{JSON_COLUMN}" FROM ({sql}) AS hemei_one WHERE "id" = ${len(args)}'
    )
    _, rows = await client.execute_query(statement, args)  # an error: graphql-core's way
    if not rows:  # no such row, or one the viewer may not see: alike, as the resolver answers
        return _answered(ExecutionResult({node.key: None}))
    text = rows[0][0]
    if text is None:
        return None  # a value the statement could not write
    JsonLevels.written += 1
    PlanningExecutor.planned_fields += 1
    return _answered(ExecutionResult({node.key: Fragment(text)}))


def _answered(result: ExecutionResult) -> ExecutionResult:
    WrittenNodes.answered += 1
    return result
