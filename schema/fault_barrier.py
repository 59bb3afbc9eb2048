"""The fault barrier around every field a plugin contributes: root fields, fields added to core
types and the fields of the plugin's own types. A ``SystemExit``, ``KeyboardInterrupt`` or
other ``BaseException`` raised there (by its resolver, its permission classes or anything else
the field runs) fails that field alone, masked as ``INTERNAL_SERVER_ERROR`` and logged with the
plugin's name, instead of escaping graphql-core (which catches only ``Exception``): that was an
HTTP 500, and inside an asyncio task it stopped the event loop, so the whole server.

The builder calls :func:`guard_plugin_fields` once on the converted schema. The barrier wraps
graphql-core's resolver of each such field, outside strawberry's extensions (a mutation's
transaction rolls back on any exception, these included). A plain wrapper rather than a
strawberry field extension: on a per-item field an extension doubled the cost of resolving it,
this adds one call. Fields without a resolver (attributes) run no plugin code: left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema
from graphql.pyutils import is_awaitable

from core.plugins.barrier import PASSES, PluginCrashed

Owner = Callable[[str, str], str | None]
"""The plugin that contributed a field (type name, field name), None for core's."""


def guard_plugin_fields(schema: GraphQLSchema, owner: Owner) -> int:
    """Wrap the resolver of every plugin field of ``schema``; returns how many were wrapped."""
    wrapped = 0
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            plugin = owner(type_.name, name)
            resolve = field.resolve
            if plugin is None or resolve is None or getattr(resolve, "_is_default", False):
                continue
            if getattr(resolve, "_hemei_barrier", False):
                continue
            field.resolve = _guarded(resolve, plugin, f"{type_.name}.{name}")
            wrapped += 1
    return wrapped


def _guarded(resolve: Callable[..., Any], plugin: str, where: str) -> Callable[..., Any]:
    # try/except rather than ``contained()``: this runs once per field per item, and entering a
    # context manager cost more than the rest of the wrapper together.
    async def settle(result: Awaitable[Any]) -> Any:
        try:
            return await result
        except PASSES:
            raise
        except BaseException as error:
            raise PluginCrashed(plugin, where, error) from error

    def guarded(source: Any, info: Any, **args: Any) -> Any:
        try:
            result = resolve(source, info, **args)
        except PASSES:
            raise
        except BaseException as error:
            raise PluginCrashed(plugin, where, error) from error
        return settle(result) if is_awaitable(result) else result

    guarded._hemei_barrier = True  # type: ignore[attr-defined]  # marks it wrapped once
    return guarded
