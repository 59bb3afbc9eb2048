"""Parse and validate with the limits of ``[limits]``, before anything runs.

One schema extension replaces strawberry's ``ParserCache``, ``ValidationCache``,
``QueryDepthLimiter`` and ``DisableIntrospection``: it parses with a token limit (cached),
measures every operation (:mod:`schema.limits.analysis`), then validates (cached) with
suggestions hidden and introspection refused in production. Strawberry skips its own
validation when an extension has done it. The viewer is loaded only after all this, by
:class:`Authenticate`: a refused document runs no SQL.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from core.config.model import LimitsConfig
from schema.limits.analysis import check_limits
from schema.limits.costs import CostMap

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

_RULES = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
_PRODUCTION_RULES = (*_RULES, NoSchemaIntrospectionCustomRule)
CACHE_SIZE = 256


@lru_cache(maxsize=CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


class ValidationCache:
    """Validation errors per document text, for one schema (a bounded LRU)."""

    def __init__(self, schema: GraphQLSchema, *, production: bool) -> None:
        self.schema = schema
        self.production = production
        self.rules = _PRODUCTION_RULES if production else _RULES
        self._entries: OrderedDict[str, list[GraphQLError]] = OrderedDict()

    def errors(self, query: str | None, document: DocumentNode) -> list[GraphQLError]:
        if query is not None and query in self._entries:
            self._entries.move_to_end(query)
            return list(self._entries[query])
        found = validate(
            self.schema, document, self.rules, max_errors=20, hide_suggestions=self.production
        )
        if query is not None:
            self._entries[query] = found
            if len(self._entries) > CACHE_SIZE:
                self._entries.popitem(last=False)
        return list(found)


class Limits(SchemaExtension):
    """Token limit while parsing; depth, aliases, directives and cost before validation."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        max_tokens = limits_of(ctx.context).max_tokens
        ctx.parse_options["max_tokens"] = max_tokens
        if ctx.graphql_document is None and ctx.query:
            # On a syntax error strawberry parses again, with the same token limit, and
            # reports the error itself.
            with suppress(GraphQLSyntaxError):
                ctx.graphql_document = _parse(ctx.query, max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if ctx.pre_execution_errors is None and document is not None:
            schema: Any = ctx.schema
            errors = check_limits(
                schema._schema, cost_map(schema), document, ctx.variables, limits_of(ctx.context)
            )
            ctx.pre_execution_errors = errors or validation_cache(schema).errors(
                ctx.query, document
            )
        yield


class Authenticate(SchemaExtension):
    """Load the viewer of the request's token once the document passed every check."""

    async def on_execute(self) -> AsyncIterator[None]:
        authenticate = getattr(self.execution_context.context, "authenticate_pending", None)
        if authenticate is not None:
            await authenticate()
        yield


def limits_of(context: Any) -> LimitsConfig:
    activation = getattr(context, "activation", None)
    if activation is None:
        return LimitsConfig()
    limits: LimitsConfig = activation.config.limits
    return limits


def cost_map(schema: Any) -> CostMap:
    """The schema's cost map, made on first use."""
    found = getattr(schema, "_hemei_costs", None)
    if found is None:
        found = schema._hemei_costs = CostMap(schema._schema)
    return found


def validation_cache(schema: Any) -> ValidationCache:
    found = getattr(schema, "_hemei_validation", None)
    if found is None:
        production = bool(getattr(schema, "production", False))
        found = schema._hemei_validation = ValidationCache(schema._schema, production=production)
    return found
