"""Access declarations that sit on the GraphQL types and fields themselves.

``@scoped(rule)`` on a type says which rows of it a viewer may see; ``Masked(rule)`` on a field
says who sees its value in full. Both carry data (``core.access.scope``) rather than code, so
the resolver path here and a planned SQL read path can apply the very same declarations.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from core.access.scope import MASKS, MaskRule, ScopeRule
from core.errors import NotFound
from schema.context import Context
from schema.planner.json_rows import WrittenPage
from schema.relay import CHECKED_EDGES, Connection, all_checked

T = TypeVar("T", bound=type)
SCOPE_ATTRIBUTE = "__hemei_scope__"


def scoped(rule: ScopeRule) -> Callable[[T], T]:
    """Class decorator: objects of this type are visible only as ``rule`` allows."""

    def mark(cls: T) -> T:
        setattr(cls, SCOPE_ATTRIBUTE, rule)
        return cls

    return mark


def scope_of(cls: type) -> ScopeRule | None:
    return getattr(cls, SCOPE_ATTRIBUTE, None)


@dataclass
class AccessRules:
    """The scope rules of every type in a composed schema (collected from ``@scoped``)."""

    scopes: dict[type, ScopeRule] = field(default_factory=dict)

    @classmethod
    def of(cls, types: Iterable[type]) -> AccessRules:
        return cls({t: rule for t in types if (rule := scope_of(t)) is not None})

    def admits(self, context: Context, obj: Any) -> bool:
        """May the viewer see this object? Types without a rule are public."""
        rule = self.scopes.get(type(obj))
        return rule is None or rule.admits(context.viewer, vars(obj))


class ScopeFilter(FieldExtension):
    """Put by the schema builder on every field that returns a ``@scoped`` type: objects the
    viewer may not see are left out of lists and answer null (or NOT_FOUND where the field
    cannot be null), exactly as if they did not exist."""

    def __init__(self, nullable: bool) -> None:
        self.nullable = nullable

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        result = next_(source, info, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        if source.__class__ in CHECKED_EDGES:
            return result  # ``Edge.node`` of a node its type's rule admitted in SQL
        return visible_only(info.context, result, self.nullable)


def visible_only(context: Context, result: Any, nullable: bool) -> Any:
    """What a field returning ``@scoped`` objects hands out: the objects of ``result`` (a
    connection, a list or one object) the viewer may see. One the viewer may not see is null,
    or NOT_FOUND where the field cannot be null. Both read paths call this."""
    if result.__class__ is WrittenPage:
        return result  # a page PostgreSQL wrote, read through its nodes' own rule in SQL
    if isinstance(result, Connection):
        # Edges whose nodes their type's rule admitted in SQL need no second look (and may be
        # partial objects, without the columns the rule reads).
        if not all_checked(result.edges):
            result.edges = [e for e in result.edges if context.access.admits(context, e.node)]
        return result
    if isinstance(result, list | tuple):
        return [item for item in result if item is None or context.access.admits(context, item)]
    if result is None or context.access.admits(context, result):
        return result
    if nullable:
        return None
    raise NotFound("Not found.")


class Masked(FieldExtension):
    """The field's value in full for the row's own person and the rule's roles at the row's
    place (each such read by someone else is recorded); masked for everyone else."""

    def __init__(self, rule: MaskRule, column: str) -> None:
        self.rule = rule
        self.column = column

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        value = next_(source, info, **kwargs)
        if value is None:
            return None
        context: Context = info.context
        viewer, row = context.viewer, vars(source)
        if self.rule.is_owner(viewer, row):
            return value
        grant = self.rule.unmasking_grant(viewer, row)
        if grant is None:
            return MASKS[self.rule.style](value)
        context.unmasked_reads.append((row[self.rule.person], self.column, grant.role))
        return value
