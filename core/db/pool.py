"""asyncpg's pool, with a checkout and return that take no trip through the event loop when
there is nothing to do.

Tortoise takes a connection from the pool for every statement outside a transaction and gives
it back after. asyncpg makes each of those a small chain of coroutines: taking one awaits the
queue and the holder; giving one back runs the reset in a task under ``asyncio.shield`` (so a
cancelled caller still returns the connection) and arms an inactivity timer. For a read of one
row that was a third of the statement's CPU (``tests/benchmarks/bench_pool.py``).

When a connection is healthy and idle and the session reset is Hemei's no-op
(:mod:`core.db.postgres`), both are plain bookkeeping: this pool does that bookkeeping inline,
the same steps asyncpg's own code takes, without awaiting. A cancelled caller cannot interrupt
code that does not await, so the shield is not needed there. Anything else (a connection that
closed, is still in a transaction, is being cancelled, has served its ``max_queries``, belongs
to an expired generation, or a pool with a ``setup`` callback) goes through asyncpg's code
unchanged.

This relies on asyncpg's private holder API, so asyncpg is pinned to one minor version and
``tests/core/test_postgres_pool.py`` proves each fast path runs and that each slow case still
takes asyncpg's path.
"""

from __future__ import annotations

import inspect
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy


async def keep_session(connection: asyncpg.Connection) -> None:
    """The reset of a pool whose sessions hold no state: asyncpg has already rolled back any
    open transaction and dropped listeners; nothing else to undo."""


class LeanPool(asyncpg.Pool):
    """An :class:`asyncpg.Pool` whose sessions need no reset (see the module's text): its
    ``reset`` is always :func:`keep_session`."""

    fast_acquires = 0
    """Connections taken without awaiting, in this process (for tests)."""
    fast_releases = 0
    """Connections given back without awaiting, in this process (for tests)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("reset") not in (None, keep_session):
            raise ValueError("LeanPool resets nothing; use asyncpg.Pool for a custom reset")
        super().__init__(*args, **{**kwargs, "reset": keep_session})

    async def _acquire(self, timeout: float | None) -> PoolConnectionProxy:  # noqa: ASYNC109 - asyncpg's signature
        queue = self._queue
        if timeout is not None or self._setup is not None or self._closing or queue.empty():
            return await super()._acquire(timeout)
        self._check_init()
        holder = queue.get_nowait()
        connection = holder._con
        if connection is None or connection.is_closed() or holder._generation != self._generation:
            queue.put_nowait(holder)  # asyncpg's path reconnects it
            return await super()._acquire(timeout)
        # What PoolConnectionHolder.acquire does for a live connection.
        holder._maybe_cancel_inactive_callback()
        holder._proxy = proxy = PoolConnectionProxy(holder, connection)
        holder._in_use = self._loop.create_future()
        holder._timeout = timeout
        LeanPool.fast_acquires += 1
        return proxy

    async def release(self, connection: Any, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        if type(connection) is PoolConnectionProxy:
            holder = connection._holder
            con = connection._con
            if (
                holder._pool is self
                and con is not None
                and holder._in_use is not None
                and not con.is_closed()
                and not con._protocol.is_in_transaction()
                and con._top_xact is None
                and not con._protocol._is_cancelling()
                and con._protocol.queries_count < holder._max_queries
                and holder._generation == self._generation
            ):
                # What Pool.release and PoolConnectionHolder.release do for an idle
                # connection whose reset has nothing to undo.
                self._check_init()
                con._on_release()
                holder._timeout = None
                con._listeners.clear()
                con._log_listeners.clear()
                holder._release()
                holder._setup_inactive_callback()
                LeanPool.fast_releases += 1
                return
        await super().release(connection, timeout=timeout)


_CREATE_POOL_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(asyncpg.create_pool).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
}


async def create_lean_pool(dsn: str | None = None, **kwargs: Any) -> LeanPool:
    """As :func:`asyncpg.create_pool` (its defaults and arguments), making a :class:`LeanPool`."""
    pool = LeanPool(dsn, **{**_CREATE_POOL_DEFAULTS, **kwargs})
    await pool
    return pool
