"""Relay conventions shared by every list: opaque cursors, a capped ``first``, and a
connection type with ``totalCount``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType

from core.errors import BadUserInput
from schema.limits.declare import COST_KEY, Cost
from schema.planner.keys import SELF_ONLY

MAX_FIRST = 100
"""The largest ``first`` a list accepts; :meth:`PageArgs.of` refuses more with
``BAD_USER_INPUT``."""
DEFAULT_FIRST = 20
_CURSOR_PREFIX = "cursor:v1:"


_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def encode_cursor(key: int) -> str:
    # What base64.urlsafe_b64encode does, without its layers of calls: a page of a planned
    # read makes thousands of cursors.
    data = f"{_CURSOR_PREFIX}{key}".encode()
    return binascii.b2a_base64(data, newline=False).translate(_URL_SAFE).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_CURSOR_PREFIX):
            return int(text.removeprefix(_CURSOR_PREFIX))
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise BadUserInput("The cursor is not one this API handed out.", argument="after")


@dataclass(frozen=True)
class PageArgs:
    """A checked page request: at most ``first`` rows whose key is greater than ``after``."""

    first: int
    after: int | None

    @classmethod
    def of(cls, first: int | None, after: str | None) -> PageArgs:
        first = DEFAULT_FIRST if first is None else first
        if not 0 <= first <= MAX_FIRST:
            raise BadUserInput(
                f"first must be between 0 and {MAX_FIRST}.", argument="first", max=MAX_FIRST
            )
        return cls(first=first, after=decode_cursor(after) if after is not None else None)


@strawberry.type(description="A page of a list, with cursors to fetch the next page.")
class Connection(relay.Connection[NodeType]):
    """A cursor connection with ``totalCount``: return ``Connection[MyType]`` from a list field
    and build it with :func:`make_connection` (or :func:`schema.scoped_connection`)."""

    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    # A COUNT statement per connection (batched by the loaders): it costs like an object.
    @strawberry.field(
        description="How many items the whole list has (all pages).",
        metadata={COST_KEY: Cost(1), **SELF_ONLY.metadata},
    )
    async def total_count(self) -> int:
        return await self._count()


class LazyEdge:
    """An edge whose cursor is encoded only if it is read: most pages are asked for their
    nodes only. graphql-core reads ``cursor`` and ``node`` as attributes, like an Edge's."""

    __slots__ = ("key", "node")

    def __init__(self, node: Any, key: Callable[[Any], int]) -> None:
        self.node, self.key = node, key

    @property
    def cursor(self) -> str:
        return encode_cursor(self.key(self.node))


class CheckedEdge(LazyEdge):
    """A lazy edge whose node its type's scope rule has already admitted, in SQL, before
    paging: the planner does not check it again in Python."""

    __slots__ = ()


class RowEdge(CheckedEdge):
    """A checked edge made from a driver's row (the planned read of a root list): the planner
    reads the row itself (:attr:`row`); anything else reading ``node`` (graphql-core, when the
    planner hands a field back) gets the object built from the row, once."""

    __slots__ = ("_build", "_built", "row")

    def __init__(self, row: Any, build: Callable[[Any], Any]) -> None:
        self.row, self._build, self._built = row, build, None

    @property  # built from the row when read, instead of stored in the slot
    def node(self) -> Any:
        if self._built is None:
            self._built = self._build(self.row)
        return self._built

    @property
    def cursor(self) -> str:
        return encode_cursor(int(self.row["id"]))


CHECKED_EDGES = frozenset({CheckedEdge, RowEdge})
"""The edge classes whose nodes their type's scope rule admitted in SQL (compare a class
exactly: ``edge.__class__ in CHECKED_EDGES``)."""


def all_checked(edges: Iterable[Any]) -> bool:
    """Whether every one of ``edges`` is an edge whose node its type's scope rule admitted in
    SQL (a loop in C: a page has a hundred edges, a nested read thousands)."""
    return all(map(CHECKED_EDGES.__contains__, map(type, edges)))


class LazyPageInfo:
    """A ``PageInfo`` whose cursors are encoded only if they are read (most reads of a nested
    page ask for nodes alone): graphql-core and the planner read its fields as attributes."""

    __slots__ = ("_edges", "has_next_page", "has_previous_page")

    def __init__(self, edges: Sequence[LazyEdge], has_next_page: bool) -> None:
        self._edges, self.has_next_page, self.has_previous_page = edges, has_next_page, False

    @property
    def start_cursor(self) -> str | None:
        return self._edges[0].cursor if self._edges else None

    @property
    def end_cursor(self) -> str | None:
        return self._edges[-1].cursor if self._edges else None


def make_connection(
    nodes: Sequence[Any],
    has_next: bool,
    key: Callable[[Any], int],
    count: Callable[[], Awaitable[int]],
    *,
    lazy_cursors: bool = False,
    checked: bool = False,
) -> Connection[Any]:
    """A page of ``nodes`` (fetch ``first + 1`` rows to know ``has_next``): ``key`` gives each
    node's cursor key (its id), ``count`` is awaited only when a client asks ``totalCount``.
    ``checked`` (with ``lazy_cursors``) says the nodes were read through their type's own
    scope rule, so the planner need not check them again."""
    edges: list[Any]
    page_info: Any
    if lazy_cursors:
        edge = CheckedEdge if checked else LazyEdge
        edges = [edge(node, key) for node in nodes]
        page_info = LazyPageInfo(edges, has_next)
    else:
        edges = [relay.Edge(node=node, cursor=encode_cursor(key(node))) for node in nodes]
        page_info = relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
    return Connection(edges=edges, page_info=page_info, _count=count)


def row_connection(
    rows: Sequence[Any],
    has_next: bool,
    build: Callable[[Any], Any],
    count: Callable[[], Awaitable[int]],
) -> Connection[Any]:
    """:func:`make_connection` for the planner: ``rows`` are a driver's rows (with ``id``) that
    their type's own scope rule admitted in SQL; the planner reads them as they are, and
    ``build(row)`` makes a row's object only if something else reads an edge's node."""
    edges: list[Any] = [RowEdge(row, build) for row in rows]
    page_info: Any = LazyPageInfo(edges, has_next)
    return Connection(edges=edges, page_info=page_info, _count=count)
