"""Measure an operation before anything runs: depth, aliases, directives and cost.

One walk per operation with fragments expanded, each fragment measured once (so a fragment
spread a thousand times, or fragments that spread each other twice at every level, cost a
linear walk, and count as often as they repeat). Names decide nothing: an operation or a
fragment called ``__schema`` is measured like any other; only the introspection *fields*
``__schema`` and ``__type`` have a fixed cost, and they are measured for depth and aliases too.
Unknown fields, types and fragments count as nothing here: validation refuses them next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from core.config.model import LimitsConfig
from core.errors import QueryTooComplex
from schema.limits.costs import INTROSPECTION_COST, CostMap, FieldCost, Kind

_INTROSPECTION = ("__schema", "__type")


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    directives: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.directives + other.directives,
            self.cost + other.cost,
        )


class _TooDeep(Exception):
    pass


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        costs: CostMap,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        max_nesting: int,
        read: set[str] | None = None,
    ) -> None:
        self.schema = schema
        self.costs = costs
        self.variables = variables if isinstance(variables, Mapping) else {}
        self.read = set() if read is None else read
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.max_nesting = max_nesting
        self.done: dict[tuple[str, int], Measure] = {}
        self.running: set[str] = set()
        self.defaults: dict[str, Any] = {}

    def operation(self, op: OperationDefinitionNode) -> Measure:
        self.defaults = {
            v.variable.name.value: v.default_value for v in op.variable_definitions or ()
        }
        self.done.clear()  # variable defaults may differ per operation
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[op.operation]
        own = Measure(directives=len(op.directives or ()))
        own += Measure(
            directives=sum(len(v.directives or ()) for v in op.variable_definitions or ())
        )
        return own + self.selections(op.selection_set, root, 0)

    def selections(
        self, selection_set: SelectionSetNode | None, parent: Any, nesting: int, items: int = 1
    ) -> Measure:
        """``items``: under a connection, how many items its ``edges`` hold."""
        if nesting > self.max_nesting:
            raise _TooDeep
        total = Measure()
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                total += self.field(node, parent, nesting, items)
            elif isinstance(node, InlineFragmentNode):
                condition = (
                    self.schema.get_type(node.type_condition.name.value)
                    if node.type_condition
                    else parent
                )
                inner = self.selections(node.selection_set, condition, nesting + 1, items)
                total += inner + Measure(directives=len(node.directives or ()))
            elif isinstance(node, FragmentSpreadNode):
                total += self.spread(node.name.value, nesting, items) + Measure(
                    directives=len(node.directives or ())
                )
        return total

    def spread(self, name: str, nesting: int, items: int) -> Measure:
        key = (name, items)
        if key in self.done:
            return self.done[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.running:
            return Measure()  # unknown or cyclic: validation refuses it
        self.running.add(name)
        try:
            condition = self.schema.get_type(fragment.type_condition.name.value)
            measure = self.selections(fragment.selection_set, condition, nesting + 1, items)
            measure += Measure(directives=len(fragment.directives or ()))
        finally:
            self.running.discard(name)
        self.done[key] = measure
        return measure

    def field(self, node: FieldNode, parent: Any, nesting: int, items: int) -> Measure:
        name = node.name.value
        own = Measure(aliases=1 if node.alias else 0, directives=len(node.directives or ()))
        if name in _INTROSPECTION:
            inner = self.selections(node.selection_set, None, nesting + 1)
            return own + Measure(depth=inner.depth + 1, aliases=inner.aliases,
                                 directives=inner.directives, cost=INTROSPECTION_COST)  # fmt: skip
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        if definition is None:
            # ``__typename``, an unknown field, or anything under introspection.
            inner = self.selections(node.selection_set, None, nesting + 1)
            return own + Measure(depth=inner.depth + 1, aliases=inner.aliases,
                                 directives=inner.directives)  # fmt: skip
        cost = self.costs.of(parent.name, name)
        target = get_named_type(definition.type)
        if not isinstance(target, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            target = None
        if cost is None:
            weight, times, inner_items = 0, 1, 1
        elif cost.kind is Kind.CONNECTION:
            # The items are counted where they are: on ``edges`` (not totalCount, pageInfo).
            weight, times, inner_items = cost.weight, 1, self.multiplier(cost, node)
        elif cost.kind is Kind.EDGES:
            weight, times, inner_items = cost.weight, items, 1
        else:
            weight, times, inner_items = cost.weight, self.multiplier(cost, node), 1
        inner = self.selections(node.selection_set, target, nesting + 1, inner_items)
        return own + Measure(
            depth=inner.depth + 1,
            aliases=inner.aliases,
            directives=inner.directives,
            cost=weight + times * inner.cost,
        )

    def multiplier(self, cost: FieldCost, node: FieldNode) -> int:
        if not cost.by_first:
            return cost.size
        value: Any = cost.default_first
        for argument in node.arguments or ():
            if argument.name.value == cost.argument:
                value = self.value(argument.value, cost.size)
        if not isinstance(value, int) or isinstance(value, bool):
            return cost.size
        return min(max(value, 0), cost.size)

    def value(self, node: Any, fallback: int) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            name = node.name.value
            self.read.add(name)
            if name in self.variables:
                return self.variables[name]
            default = self.defaults.get(name)
            return self.value(default, fallback) if default is not None else fallback
        return fallback


def check_limits(
    schema: GraphQLSchema,
    costs: CostMap,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    limits: LimitsConfig,
    read: set[str] | None = None,
) -> list[GraphQLError]:
    """The ``QUERY_TOO_COMPLEX`` errors of every operation in ``document`` (any of them may be
    the one run), empty when all are within ``limits``. The names of the variables whose
    values the measure used are added to ``read``: the answer is the same for any values of
    the others."""
    nesting = 4 * limits.max_depth + 20
    walker = _Walker(schema, costs, document, variables, max_nesting=nesting, read=read)
    errors: list[GraphQLError] = []
    for op in document.definitions:
        if not isinstance(op, OperationDefinitionNode):
            continue
        try:
            measure = walker.operation(op)
        except _TooDeep:
            errors.append(_error(op, "depth", limits.max_depth, None))
            continue
        except RecursionError:
            errors.append(_error(op, "depth", limits.max_depth, None))
            continue
        for limit, maximum, actual in (
            ("depth", limits.max_depth, measure.depth),
            ("aliases", limits.max_aliases, measure.aliases),
            ("directives", limits.max_directives, measure.directives),
            ("cost", limits.max_cost, measure.cost),
        ):
            if actual > maximum:
                errors.append(_error(op, limit, maximum, actual))
                break
    return errors


def measure_operation(
    schema: GraphQLSchema,
    costs: CostMap,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> Measure:
    """The measure of one operation (the first, or the one named), for tools and tests."""
    walker = _Walker(schema, costs, document, variables, max_nesting=10_000)
    for op in document.definitions:
        if isinstance(op, OperationDefinitionNode) and (
            operation_name is None or (op.name and op.name.value == operation_name)
        ):
            return walker.operation(op)
    raise ValueError(f"no operation {operation_name!r} in the document")


def _error(
    op: OperationDefinitionNode, limit: str, maximum: int, actual: int | None
) -> GraphQLError:
    name = f"Operation '{op.name.value}'" if op.name else "The operation"
    what = {
        "depth": "is nested deeper",
        "aliases": "has more aliases",
        "directives": "has more directives",
        "cost": "costs more",
    }[limit]
    details: dict[str, Any] = {"limit": limit, "max": maximum}
    if actual is not None:
        details["actual"] = actual
    exc = QueryTooComplex(f"{name} {what} than this API allows ({limit} {maximum}).", **details)
    return GraphQLError(exc.message, [op], original_error=exc, extensions=exc.extensions())
