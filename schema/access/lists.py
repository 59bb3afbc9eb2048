"""Lists filtered by the viewer's scope before they are paged, so pages are full and totals
count only what the viewer may see."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info
from tortoise.expressions import Q

from core.access.scope import ScopeRule
from core.db.rows import raw_values
from schema.access.rules import scope_of
from schema.nodes import NodeSource
from schema.relay import Connection, PageArgs, make_connection


async def scoped_connection(
    info: Info,
    source: NodeSource,
    rule: ScopeRule,
    first: int,
    after: str | None,
    *filters: Q,
    newest_first: bool = False,
) -> Connection[Any]:
    """A page of ``source``'s rows that ``rule`` lets the viewer see and ``filters`` keep, in
    id order (``newest_first``: reversed), with the right ``totalCount``: the scope is applied
    in SQL before paging."""
    page = PageArgs.of(first, after)
    visible = rule.q(info.context.viewer)
    rows = source.model.filter(visible, *filters)
    if page.after is not None:
        rows = rows.filter(id__lt=page.after) if newest_first else rows.filter(id__gt=page.after)
    found = await raw_values(
        rows.order_by("-id" if newest_first else "id").limit(page.first + 1).values(*source.columns)
    )
    nodes = [source.build_raw(row) for row in found[: page.first]]
    await source.enrich_for(info.context.viewer_if_valid, nodes)

    async def count() -> int:
        return await source.model.filter(visible, *filters).count()

    # Rows that passed the type's own rule in SQL need no second check by the planner.
    checked = rule == scope_of(source.graphql_type)
    return make_connection(
        nodes, len(found) > page.first, key=_id_of, count=count, lazy_cursors=True, checked=checked
    )


def _id_of(node: Any) -> int:
    return int(node.id)
