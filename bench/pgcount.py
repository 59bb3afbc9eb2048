"""A PostgreSQL wire-protocol relay that counts the statements a server sends.

pg_stat_statements needs ``shared_preload_libraries`` (a server restart), and
``pg_stat_database`` counts transactions, not statements; this relay counts, per client
connection, every simple ``Query`` message and every extended-protocol ``Execute`` message
(BEGIN/COMMIT and a pool's reset query included: they are round trips too). It sits in front
of a server only while the responses are checked, never while timing."""

from __future__ import annotations

import asyncio
import contextlib
import struct

_UNTYPED_CODES = {80877103, 80877104}  # SSLRequest, GSSENCRequest: a StartupMessage follows


class StatementCounter:
    """``await start()``; point a server at ``port``; read ``statements``."""

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.statements = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        for task in (
            asyncio.create_task(self._client_to_server(reader, up_writer)),
            asyncio.create_task(self._pipe(up_reader, writer)),
        ):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _client_to_server(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            # Untyped messages first: optional SSL/GSS requests (the server here says no to
            # both), then the StartupMessage.
            while True:
                head = await reader.readexactly(8)
                length, code = struct.unpack("!ii", head)
                writer.write(head + await reader.readexactly(length - 8))
                await writer.drain()
                if code not in _UNTYPED_CODES:
                    break
            while True:
                head = await reader.readexactly(5)
                kind = head[:1]
                (length,) = struct.unpack("!i", head[1:])
                body = await reader.readexactly(length - 4)
                if kind in (b"Q", b"E"):
                    self.statements += 1
                writer.write(head + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
