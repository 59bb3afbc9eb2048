"""Which database failures are transient: the server went away, refused or dropped the
connection, was shutting down, or gave up a transaction to a concurrent one. A request that
meets one answers ``DATABASE_UNAVAILABLE`` (retry later) rather than ``INTERNAL_SERVER_ERROR``
(a bug to report); either way its transaction was rolled back and nothing it wrote stays."""

from __future__ import annotations

import sqlite3

import asyncpg
from tortoise.exceptions import DBConnectionError

_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "disk i/o error",
                     "unable to open database file")  # fmt: skip


def is_unavailable(error: BaseException) -> bool:
    """True when ``error``, or an error it was raised from, is a transient database failure.
    Tortoise wraps driver errors, so the errors it was raised from are read too."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if _transient(current):
            return True
        # ``OperationalError(driver_error)``: tortoise also passes the driver's error as the
        # argument, which is all there is when the wrapping happened outside an ``except``.
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        pending += [a for a in current.args if isinstance(a, BaseException)]
    return False


def _transient(error: BaseException) -> bool:
    # ConnectionError and TimeoutError cover refused and reset sockets and connect or pool
    # timeouts; tortoise's DBConnectionError is a ConnectionError too.
    if isinstance(error, ConnectionError | TimeoutError | DBConnectionError):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return str(error).lower().startswith(_SQLITE_TRANSIENT)
    if isinstance(
        error,
        asyncpg.PostgresConnectionError  # class 08: the connection failed or is gone
        | asyncpg.exceptions.OperatorInterventionError  # 57: shutdown, cannot connect now
        | asyncpg.exceptions.TransactionRollbackError  # 40: serialization failure, deadlock
        | asyncpg.exceptions.TooManyConnectionsError,
    ):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return "closed" in str(error) or "closing" in str(error)
    return False
