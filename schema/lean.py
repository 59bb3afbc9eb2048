"""The lean path: the common request run straight through graphql-core.

Most requests are one query, POSTed as JSON, whose document the process has already parsed,
measured and validated. For those, strawberry's per-request pipeline (an execution context,
a runner and a context manager per schema extension, hooks around parsing, validation and
execution) cost more than a by-id read itself. This module does what that pipeline does for
Hemei's own extensions, in order, and nothing else:

- the limits and validation of :class:`schema.limits.Limits` (the same caches and rules),
- authentication after them (:class:`schema.limits.Authenticate`),
- graphql-core's ``execute`` with the planning executor and strawberry's options (a query of
  one root field through :mod:`schema.planner.one_root`: the same executor, fewer layers),
- error codes and masking (``HemeiSchema.process_errors`` and :class:`schema.errors.ErrorCodes`),
- the personal-data read records (:class:`schema.access.reads.PersonalDataReads`),
- the operation metrics (:class:`schema.observability.metrics.MetricsExtension`),

then answers through the view's own ``process_result`` and ``create_response``. Anything it
does not handle returns ``None`` before a side effect, and the request takes the full path:
other methods, content types, batches, uploads, persisted or trusted documents, mutations and
subscriptions, any document with an error before execution (so every request error is
produced by the one full path), and any schema extension it does not know (tracing, a
plugin's). ``[performance] lean_queries = false`` turns it off.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.executor import UNEXPECTED_MULTIPLE_PAYLOADS
from starlette.requests import Request
from starlette.responses import Response
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.utils.await_maybe import await_maybe
from strawberry.utils.operation import get_first_operation

from schema.access.reads import PersonalDataReads, record_unmasked_reads
from schema.errors import ErrorCodes, classify
from schema.limits.analysis import check_limits
from schema.limits.extension import (
    CACHE_SIZE,
    Authenticate,
    Limits,
    _parse,
    cost_map,
    validation_cache,
)
from schema.observability.metrics import Metrics, outcome_of
from schema.planner.one_root import execute_one_root, one_root_field
from schema.planner.written_node import answer_node, node_read
from schema.request_headers import headers_of

if TYPE_CHECKING:
    from schema.limits.view import GuardedGraphQL

_KNOWN_EXTENSIONS = (Limits, Authenticate, ErrorCodes, PersonalDataReads)
_REQUEST_KEYS = frozenset({"query", "variables", "operationName"})
_JSON = "application/json"


async def _run(
    schema: Any, document: Any, variables: dict[str, Any] | None, name: str | None, context: Any
) -> ExecutionResult:
    """What graphql-core's ``execute`` answers, with a query of one root field run by
    :mod:`schema.planner.one_root` (the same executor, fewer layers)."""
    executor = schema.execution_context_class.build(
        schema._schema,
        document,
        context_value=context,
        raw_variable_values=variables,
        operation_name=name,
        is_awaitable=optimized_is_awaitable,
        **schema._get_custom_context_kwargs(None),  # as Schema.execute passes them
    )
    if isinstance(executor, list):  # the variables' values did not coerce
        return ExecutionResult(data=None, errors=executor)
    root = one_root_field(executor)
    if root is not None:
        return await execute_one_root(executor, root)
    result = await await_maybe(executor.execute_operation())
    if not isinstance(result, ExecutionResult):  # as execute() refuses @defer and @stream
        raise GraphQLError(UNEXPECTED_MULTIPLE_PAYLOADS)
    return result


class LeanQueries:
    """Answers the common request for one view (see the module's text); counts what it did."""

    answered = 0
    """Requests answered on the lean path in this process (for tests and metrics)."""

    def __init__(self) -> None:
        self._checked_extensions: Sequence[Any] | None = None
        # Documents (with their operation name and variables, under these limits) parsed,
        # measured within the limits and valid: measuring walks the whole document, a tenth
        # of a small request, and the separate look-ups were another few per cent.
        self._ready: OrderedDict[tuple[Any, ...], tuple[DocumentNode, OperationDefinitionNode]]
        self._ready = OrderedDict()
        # Per document and operation name, the variables whose values its measure reads (a
        # page size, say): the document is as ready for any values of the others. A read by
        # id sends a new id each time, and measuring the document anew for each was a tenth
        # of the request.
        self._measured_by: OrderedDict[tuple[str, str | None], frozenset[str]] = OrderedDict()
        self._usable = False
        self._metrics: Metrics | None = None

    async def answer(self, view: GuardedGraphQL, request: Request) -> Response | None:
        """The response to ``request``, or ``None`` when it must take the full path."""
        config = view.config
        if not config.performance.lean_queries or request.method != "POST":
            return None
        schema: Any = view.schema
        if not self.knows(schema.extensions):
            return None
        content_type = headers_of(request.scope).get("content-type") or ""
        if content_type.partition(";")[0].strip().lower() != _JSON:
            return None
        body = await request.body()  # kept on the request: the full path reads it again
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict) or not _REQUEST_KEYS.issuperset(data):
            return None
        query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
        if not isinstance(query, str) or not query:
            return None
        if not (variables is None or isinstance(variables, dict)):
            return None
        if not (name is None or isinstance(name, str)):
            return None
        if config.documents.require_for_anonymous and view.account_of(request) is None:
            return None
        started = time.perf_counter()
        ready = self._ready_document(schema, query, name, variables, config.limits)
        if ready is None:
            return None
        document, operation = ready

        sub_response = await view.get_sub_response(request)
        context = await view.get_context(request, response=sub_response)
        try:
            result = await self._execute(schema, document, variables, name, context)
        finally:
            context.release()
        self.record(name, document, operation, result, started)
        LeanQueries.answered += 1
        response_data = await view.process_result(request, result)  # type: ignore[arg-type]
        return view.create_response(response_data, sub_response)

    def _ready_document(
        self,
        schema: Any,
        query: str,
        name: str | None,
        variables: dict[str, Any] | None,
        limits: Any,
    ) -> tuple[DocumentNode, OperationDefinitionNode] | None:
        """The document and operation of a query that is within the limits for these
        variables and valid (remembered), or ``None`` for the full path."""
        measured_by = self._measured_by.get((query, name))
        key = self._key(query, name, variables, measured_by, limits)
        ready = self._ready.get(key)
        if ready is not None:
            self._ready.move_to_end(key)
            return ready
        read: set[str] = set()
        ready = self._prepare(schema, query, name, variables, limits, read)
        if ready is None:
            return None
        if measured_by is None:
            measured_by = self._measured_by[(query, name)] = frozenset(read)
            if len(self._measured_by) > CACHE_SIZE:
                self._measured_by.popitem(last=False)
            key = self._key(query, name, variables, measured_by, limits)
        self._ready[key] = ready
        if len(self._ready) > CACHE_SIZE:
            self._ready.popitem(last=False)
        return ready

    @staticmethod
    def _key(
        query: str,
        name: str | None,
        variables: dict[str, Any] | None,
        measured_by: frozenset[str] | None,
        limits: Any,
    ) -> tuple[Any, ...]:
        """What a ready document is remembered under: the text, the operation, the values of
        the variables its measure reads (all of them until that is known), the limits."""
        if variables and measured_by is not None:
            variables = {k: v for k, v in variables.items() if k in measured_by}
        return (
            query,
            name,
            orjson.dumps(variables, option=orjson.OPT_SORT_KEYS) if variables else b"",
            limits.max_tokens,
            limits.max_depth,
            limits.max_aliases,
            limits.max_directives,
            limits.max_cost,
        )

    @staticmethod
    def _prepare(
        schema: Any,
        query: str,
        name: str | None,
        variables: dict[str, Any] | None,
        limits: Any,
        read: set[str],
    ) -> tuple[DocumentNode, OperationDefinitionNode] | None:
        """The parsed document and its operation, if it is a query within the limits (for
        these variables) that validates; ``None`` sends the request down the full path. The
        variables the limits read are added to ``read``."""
        try:
            document = _parse(query, limits.max_tokens)
        except Exception:  # the full path reports it, with its code
            return None
        operation = get_operation_ast(document, name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        if check_limits(schema._schema, cost_map(schema), document, variables, limits, read):
            return None
        if validation_cache(schema).errors(query, document):
            return None
        return document, operation

    async def _execute(
        self,
        schema: Any,
        document: Any,
        variables: dict[str, Any] | None,
        name: str | None,
        context: Any,
    ) -> ExecutionResult:
        # As strawberry's Schema.execute: an exception outside the resolvers (the viewer's
        # statement failing, say) is the operation's one error, without data.
        try:
            await context.authenticate_pending()
            result = await self._written(schema, document, variables, name, context)
            if result is None:
                result = await _run(schema, document, variables, name, context)
            await record_unmasked_reads(context)
        except GraphQLError as error:
            result = ExecutionResult(data=None, errors=[error])
        except Exception as exc:
            result = ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
        if result.errors:
            result.errors = [classify(error) for error in result.errors]
        return result

    @staticmethod
    async def _written(
        schema: Any,
        document: Any,
        variables: dict[str, Any] | None,
        name: str | None,
        context: Any,
    ) -> ExecutionResult | None:
        """The result of a ``node(id:)`` query PostgreSQL writes whole, or ``None``."""
        if not context.json_fragments or not context.planner_enabled:
            return None
        read = node_read(schema, document, name, variables, context.node_sources)
        if read is None:
            return None
        try:
            return await answer_node(read, context, variables)
        except Exception:  # graphql-core's way reads again, and reports it with its path
            return None

    def record(
        self,
        name: str | None,
        document: Any,
        operation: OperationDefinitionNode,
        result: ExecutionResult,
        started: float,
    ) -> None:
        """The operation's metrics, as the metrics extension records them."""
        if self._metrics is None:
            return
        if name is None:
            first = get_first_operation(document)
            name = first.name.value if first is not None and first.name else None
        seconds = time.perf_counter() - started
        self._metrics.observe_operation(name, "query", outcome_of(result.errors), seconds)

    def knows(self, extensions: Sequence[Any]) -> bool:
        """Whether every extension of the schema is one this path stands in for (none of
        them reads the result's data: see ``Context.json_fragments``)."""
        if extensions is not self._checked_extensions:
            metrics = [getattr(e, "hemei_metrics", None) for e in extensions]
            self._usable = all(
                e in _KNOWN_EXTENSIONS or m is not None
                for e, m in zip(extensions, metrics, strict=True)
            )
            self._metrics = next((m for m in metrics if m is not None), None)
            self._checked_extensions = extensions
        return self._usable
