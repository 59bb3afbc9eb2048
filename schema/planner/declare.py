"""Relations declared as data, so that the resolver path and the planned read path read them
the same way.

A field that follows a relation says which one with ``metadata=...planned`` and its resolver
calls the same declaration: :class:`Children` for a paged list of child rows (a district's
communities, a grid's cases), :class:`Parent` for the row a column points at (a community's
street). The planner (:mod:`schema.planner.complete`) reads the declaration from the field
and batches it for every object of a level at once; a field without a declaration is resolved
field by field by graphql-core, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from strawberry.types import Info

from core.access.scope import ScopeRule
from schema.loaders import Filters, by_id, child_counts, child_pages
from schema.nodes import NodeSource
from schema.planner.keys import PLAN_KEY
from schema.relay import Connection, PageArgs, make_connection


@dataclass(frozen=True)
class Children:
    """A page of the rows of ``source`` whose ``parent`` column holds the object's id, in id
    order (``newest_first``: descending), only those ``scope`` lets the viewer see; the field
    arguments named in ``filters`` keep rows whose column of the same name equals them."""

    source: Callable[[], NodeSource]
    parent: str
    scope: ScopeRule | None = None
    newest_first: bool = False
    filters: tuple[str, ...] = ()

    @property
    def metadata(self) -> dict[str, Any]:
        return {PLAN_KEY: self}

    def filters_of(self, arguments: dict[str, Any]) -> Filters:
        return tuple(
            (name, _plain(arguments[name]))
            for name in self.filters
            if arguments.get(name) is not None
        )

    async def connection(
        self, info: Info, parent_id: int, first: int, after: str | None, **arguments: Any
    ) -> Connection[Any]:
        """The resolver path: this object's page, batched with its siblings' by the loaders."""
        page = PageArgs.of(first, after)
        pages, counts = self.loaders(info.context, self.filters_of(arguments))
        nodes, has_next = await pages.load((parent_id, page))
        return make_connection(
            nodes, has_next, key=lambda n: n.id, count=lambda: counts.load(parent_id)
        )

    def loaders(
        self,
        context: Any,
        filters: Filters,
        columns: tuple[str, ...] | None = None,
        json: str | None = None,
    ) -> tuple[Any, Any]:
        """The page and count loaders; ``columns`` (the planner's) reads only those, and
        ``json`` each row's object as JSON text too (see ``child_pages``)."""
        source = self.source()
        pages = child_pages(
            context,
            source,
            self.parent,
            scope=self.scope,
            filters=filters,
            newest_first=self.newest_first,
            columns=columns,
            json=json,
        )
        return pages, child_counts(context, source, self.parent, scope=self.scope, filters=filters)


@dataclass(frozen=True)
class Parent:
    """The row of ``source`` whose id the object's ``column`` holds (null when it holds none)."""

    source: Callable[[], NodeSource]
    column: str

    @property
    def metadata(self) -> dict[str, Any]:
        return {PLAN_KEY: self}

    async def load(self, info: Info, obj: Any) -> Any:
        key = getattr(obj, self.column)
        return None if key is None else await by_id(info.context, self.source()).load(key)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
