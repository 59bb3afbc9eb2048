"""``node(id:)`` and ``nodes(ids:)``: any object by its global id.

A global id names a type and a key. An id that is malformed, names a type that is not a node,
or names a row that does not exist answers null; a well-formed id of another type's name never
reaches that other type's table. Objects of a module switched off at their place answer
``MODULE_DISABLED`` from ``node`` and null from ``nodes``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError
from strawberry.types import Info

from core.errors import BadUserInput
from schema.context import Context
from schema.limits import cost
from schema.loaders import by_id, one_by_id
from schema.nodes import NodeSource
from schema.relay import MAX_FIRST


def node_source(context: Context, global_id: str) -> tuple[str, NodeSource, int] | None:
    """The type name, source and key a global id names, or ``None`` for an id that is
    malformed or names a type that is not a node (both answer null). Shared with the read
    PostgreSQL writes whole (:mod:`schema.planner.written_node`)."""
    try:
        parsed = relay.GlobalID.from_id(global_id)
        key = int(parsed.node_id)
    except (GlobalIDValueError, ValueError):
        return None
    source = context.node_sources.get(parsed.type_name)
    if source is None:
        return None
    return parsed.type_name, source, key


async def _load(context: Context, global_id: str, alone: bool = False) -> Any:
    """The object ``global_id`` names, if the viewer may see it. ``alone``: no other read of
    the request can be batched with this one."""
    found = node_source(context, global_id)
    if found is None:
        return None
    _, source, key = found
    if alone:
        obj = await one_by_id(context, source, key)
    else:
        obj = await by_id(context, source).load(key)
    # Out of the viewer's scope is answered exactly like "does not exist".
    return obj if obj is not None and context.access.admits(context, obj) else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null when there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        context: Context = info.context
        # The only root field of the query (the planner lists them all before any resolver
        # runs): no other load can join this one's batch, so it reads at once.
        alone = len(context.root_selections) == 1 and info.path.prev is None
        obj = await _load(context, id, alone)
        if obj is not None:
            module = context.gate.type_module.get(type(obj))
            if module is not None:
                await context.gate.check(context, module, obj)
        return obj

    @strawberry.field(
        description="Objects by global ids, in order; null where there is none.",
        metadata=cost(size=MAX_FIRST),
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        context: Context = info.context
        if len(ids) > MAX_FIRST:
            raise BadUserInput(f"At most {MAX_FIRST} ids at once.", argument="ids", max=MAX_FIRST)
        objects = await asyncio.gather(*(_load(context, i) for i in ids))
        return [
            o if o is not None and await context.gate.admit(context, o) else None for o in objects
        ]
