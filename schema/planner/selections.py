"""What the planner remembers per selection of a cached document, across requests.

A cached document asks the same questions on every request: whether a selection can be
planned, which columns it reads, which fields a level has. The answers depend on the
selection's field nodes (which belong to one parsed document) and on the values of the
variables its directives read (``@include(if: $x)``); :func:`selection_key` makes that key and
:func:`remembered` keeps an answer under it, per schema.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphql import DirectiveNode, VariableNode, Visitor, visit

FieldDetailsList = Sequence[Any]


PLANNABLE_KEPT = 4096
"""Answers kept per table and schema (oldest out first): whether a selection is plannable,
the columns it reads, the fields of a level, the root field of a document."""


def remembered(executor: Any, table: str, key: Any, keep: Any, answer: Callable[[], Any]) -> Any:
    """``answer()``, remembered per schema in ``table`` under ``key``, which holds ids of
    document nodes: ``keep`` (what holds those nodes) is kept with the answer, so that while
    it is remembered no other node can take one of their ids. The oldest answer goes first
    past :data:`PLANNABLE_KEPT`."""
    return remembered_in(executor.schema, table, key, keep, answer)


def remembered_in(schema: Any, table: str, key: Any, keep: Any, answer: Callable[[], Any]) -> Any:
    """:func:`remembered` for a graphql-core ``schema``, before any executor exists. An
    ``answer()`` that raises is not remembered."""
    memo = schema.extensions.setdefault(table, {})
    found = memo.get(key)
    if found is None:
        found = memo[key] = (answer(), keep)
        if len(memo) > PLANNABLE_KEPT:
            del memo[next(iter(memo))]
    return found[0]


def selection_key(executor: Any, return_type: Any, details: FieldDetailsList) -> Any:
    """What the answer for this selection depends on, or ``None`` when it cannot be kept."""
    if any(d.fragment_variable_values is not None for d in details):
        return None
    variables = directive_values(executor)
    if variables is None:
        return None
    return (return_type, tuple(id(d.node) for d in details), variables)


def directive_values(executor: Any) -> tuple[Any, ...] | None:
    """The values of the variables the executed document's directives read (they decide
    which fields a selection has), or ``None`` when one cannot key a memo (a list). Kept on
    the executor: every level of a planned read asks."""
    try:
        found: tuple[Any, ...] | None = executor.hemei_directive_values
    except AttributeError:
        found = executor.hemei_directive_values = _directive_values(executor)
    return found


def _directive_values(executor: Any) -> tuple[Any, ...] | None:
    used = directive_variables(executor)
    if not used:
        return ()
    values = executor.variable_values.coerced
    variables = tuple(values.get(name) for name in used)
    try:
        hash(variables)
    except TypeError:  # a list or object value: not kept
        return None
    return variables


def directive_variables(executor: Any) -> tuple[str, ...]:
    """The variables that directives of the executed document read (``@include(if: $x)``):
    they decide which fields a selection has."""
    memo = executor.schema.extensions.setdefault("hemei.directive_variables", {})
    operation = executor.operation
    found = memo.get(id(operation))
    if found is None or found[1] is not operation:
        names: set[str] = set()
        for node in (operation, *(f.definition for f in executor.fragments.values())):
            visit(node, _DirectiveVariables(names))
        found = memo[id(operation)] = (tuple(sorted(names)), operation)
        if len(memo) > PLANNABLE_KEPT:
            del memo[next(iter(memo))]
    return found[0]


class _DirectiveVariables(Visitor):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        for argument in node.arguments or ():
            visit(argument, _Variables(self.names))


class _Variables(Visitor):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.names.add(node.name.value)
