"""Contain a plugin that crashes at request time.

``except Exception`` lets ``SystemExit``, ``KeyboardInterrupt`` and a plugin's own
``BaseException`` subclasses through: in a resolver that turned into an HTTP 500, and inside an
asyncio task it stops the event loop, which takes the whole server down. Plugin code called
while serving runs inside :func:`contained`, which turns such an exception into an ordinary
:class:`PluginCrashed` (masked as ``INTERNAL_SERVER_ERROR`` for clients, logged with the
plugin's name). Cancellation still propagates: it is how asyncio stops work, not a crash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

PASSES = (Exception, asyncio.CancelledError, GeneratorExit)
"""What plugin code may raise as is; anything else becomes :class:`PluginCrashed`."""


class PluginCrashed(Exception):
    """A plugin raised a ``BaseException`` that is not an ``Exception`` while serving."""

    def __init__(self, plugin: str, where: str, error: BaseException) -> None:
        self.plugin, self.where = plugin, where
        super().__init__(f"plugin '{plugin}' raised {type(error).__name__} in {where}: {error}")


@contextmanager
def contained(plugin: str, where: str) -> Iterator[None]:
    """Run plugin code, turning a ``SystemExit``-like exception into :class:`PluginCrashed`
    (chained to the original, so the log keeps its traceback)."""
    try:
        yield
    except PASSES:
        raise
    except BaseException as error:
        raise PluginCrashed(plugin, where, error) from error
