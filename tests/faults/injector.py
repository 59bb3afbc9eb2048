"""A database fault injector: counts the write statements the ORM sends and makes the Nth
one fail, as a database that drops the connection or refuses the write would.

It patches the execute methods of every Tortoise client class (pooled clients and their
transaction wrappers alike), so it sees each statement whatever connection carries it; a
statement is counted once even when one patched method calls another.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import OperationalError

_METHODS = (
    "execute_insert",
    "execute_query",
    "execute_many",
    "execute_query_dict",
    "execute_script",
)
_WRITES = ("INSERT", "UPDATE", "DELETE")
_inside: ContextVar[bool] = ContextVar("fault_injector_inside", default=False)


def connection_lost() -> BaseException:
    """What the driver raises when the server goes away in the middle of a statement."""
    from tortoise import connections

    if connections.get("default").capabilities.dialect == "sqlite":
        # SQLite has no server to lose: its transient failure is a locked database file.
        return OperationalError(sqlite3.OperationalError("database is locked"))
    import asyncpg

    return asyncpg.exceptions.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    )


def broken_write() -> BaseException:
    """A write the database refuses for a reason that is not transient."""
    return OperationalError("injected fault: could not extend file: No space left on device")


def is_write(method: str, query: str) -> bool:
    if method in ("execute_insert", "execute_many"):
        return True
    head = query.lstrip().upper()
    if head.startswith("WITH"):
        return any(f" {word} " in f" {head} " for word in _WRITES)
    return head.startswith(_WRITES)


@dataclass
class FaultInjector:
    """``fail_at``: the write (1-based) that raises ``error()``; 0 only counts."""

    fail_at: int = 0
    error: Callable[[], BaseException] = connection_lost
    writes: list[str] = field(default_factory=list)
    raised: bool = False

    def before(self, method: str, query: str) -> None:
        if not is_write(method, query):
            return
        self.writes.append(" ".join(query.split())[:80])
        if len(self.writes) == self.fail_at:
            self.raised = True
            raise self.error()


def _client_classes() -> Iterator[type]:
    stack: list[type] = [BaseDBAsyncClient]
    seen: set[type] = set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        stack.extend(cls.__subclasses__())


@contextmanager
def inject(injector: FaultInjector) -> Iterator[FaultInjector]:
    """Patch every client class while the block runs."""
    saved: list[tuple[type, str, Any]] = []

    def wrap(method: str, original: Any) -> Any:
        @wraps(original)
        async def patched(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            if _inside.get():
                return await original(self, query, *args, **kwargs)
            token = _inside.set(True)
            try:
                injector.before(method, query)
                return await original(self, query, *args, **kwargs)
            finally:
                _inside.reset(token)

        return patched

    for cls in list(_client_classes()):
        for method in _METHODS:
            if method in cls.__dict__:
                original = cls.__dict__[method]
                saved.append((cls, method, original))
                setattr(cls, method, wrap(method, original))
    try:
        yield injector
    finally:
        for cls, method, original in reversed(saved):
            setattr(cls, method, original)
