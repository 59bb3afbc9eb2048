"""The PostgreSQL engine Hemei gives Tortoise: its asyncpg client, without the session reset.

asyncpg's pool sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` each
time a connection goes back to the pool, and Tortoise takes a connection per statement, so a
read of four statements cost eight round trips. Hemei sets no session state on pooled
connections (no ``SET``, advisory locks, ``LISTEN`` or cursors outside a transaction:
subscriptions go through the event broker, scheduled jobs claim rows), so the reset has
nothing to undo. What still matters is kept: asyncpg rolls back a transaction left open and
drops listeners before the connection is reused.

A deployment that adds session state on the main pool (a ``SET`` in a plugin, say) must put
the reset back: ``?reset_sessions=true`` on the database URL.

Every connection also reads ``timestamptz`` as text, in a UTC, ISO session
(:mod:`core.db.pg_timestamps`): a third of the decoding cost of the binary form. And every
query it builds writes its page size as a number, not a parameter (:mod:`core.db.pg_paging`),
so that PostgreSQL keeps one plan for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient

from core.db.pg_paging import PagedQuery
from core.db.pg_timestamps import SESSION_SETTINGS, read_timestamps_as_text
from core.db.pool import create_lean_pool

Init = Callable[[asyncpg.Connection], Awaitable[None]]

ENGINE = "core.db.postgres"
"""The Tortoise ``engine`` that names this module."""


class HemeiAsyncpgClient(AsyncpgDBClient):
    """Tortoise's asyncpg client whose pool does not reset sessions on release, and whose
    queries write page sizes as numbers (see above)."""

    query_class = PagedQuery

    def __init__(self, *args: Any, reset_sessions: str | bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reset_sessions = str(reset_sessions).lower() in ("1", "true", "yes")

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        kwargs["server_settings"] = {**(kwargs.get("server_settings") or {}), **SESSION_SETTINGS}
        kwargs["init"] = _with_text_timestamps(kwargs.get("init"))
        if self.reset_sessions:
            return await super().create_pool(**kwargs)
        return await create_lean_pool(None, **kwargs)


def _with_text_timestamps(init: Init | None) -> Init:
    """A connection's ``init``: ``timestamptz`` as text (:mod:`core.db.pg_timestamps`), then
    the given one."""

    async def init_connection(connection: asyncpg.Connection) -> None:
        await read_timestamps_as_text(connection)
        if init is not None:
            await init(connection)

    return init_connection


client_class = HemeiAsyncpgClient
