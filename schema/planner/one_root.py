"""A query with one root field, run from graphql-core's ``execute_field`` without the layers
above it.

graphql-core takes every operation through the same layers: the incremental executor's set-up,
``execute_operation`` collecting the root fields, ``execute_fields`` gathering them, and the
response built by the incremental publisher. For the lean path's common request, a query of
one root field (``node(id:)``, ``cases(first:)``, ``districts``), those layers were a tenth of
a read by id. This module collects the root fields once per document (and per value of the
variables its directives read) and, when there is exactly one, calls the executor's own
``execute_field`` for it, as ``execute_fields`` would, then builds the result as
``build_response`` does. Argument coercion, the resolver, the planner, null propagation and the
errors' paths are graphql-core's own code, unchanged.

:func:`one_root_field` answers ``None`` for anything else (several root fields, ``@defer`` or
``@stream``, a selection it cannot key), before any resolver runs: the caller then executes
the operation through graphql-core.
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationType, Undefined
from graphql.execution.collect_fields import collect_fields
from graphql.pyutils import Path

from schema.planner.selections import FieldDetailsList, directive_values, remembered

RootField = tuple[str, FieldDetailsList]


class OneRootQueries:
    executed = 0
    """Queries :func:`execute_one_root` ran in this process (for tests)."""


def one_root_field(executor: Any) -> RootField | None:
    """The response key and field details of the query's only root field, or ``None``."""
    operation = executor.operation
    if operation.operation is not OperationType.QUERY:
        return None
    values = directive_values(executor)
    if values is None:
        return None
    found: RootField | None = remembered(
        executor, "hemei.one_root", (id(operation), values), operation,
        lambda: _collect(executor),
    )  # fmt: skip
    return found


def _collect(executor: Any) -> RootField | None:
    schema = executor.schema
    collected = collect_fields(
        schema,
        executor.fragments,
        executor.variable_values,
        schema.query_type,
        executor.operation,
        executor.hide_suggestions,
    )
    grouped = collected.grouped_field_set
    if collected.new_defer_usages or len(grouped) != 1:
        return None
    [(key, details)] = grouped.items()
    return key, details


async def execute_one_root(executor: Any, root: RootField) -> ExecutionResult:
    """The result of the query whose only root field is ``root``: what graphql-core's
    ``execute_operation`` answers for it."""
    key, details = root
    query = executor.schema.query_type
    OneRootQueries.executed += 1
    try:
        value = executor.execute_field(
            query, executor.root_value, details, Path(None, key, query.name), None
        )
        if executor.is_awaitable(value):
            value = await value
    except GraphQLError as error:  # a non-null root field's error: the whole data is null
        executor.collected_errors.add(error, None)
        return ExecutionResult(None, executor.collected_errors.errors)
    data = {} if value is Undefined else {key: value}
    return ExecutionResult(data, executor.collected_errors.errors or None)
