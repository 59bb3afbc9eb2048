"""Lists filtered by the viewer's scope before they are paged, so pages are full and totals
count only what the viewer may see."""

from __future__ import annotations

from typing import Any, cast

from strawberry.types import Info
from tortoise.expressions import Q
from tortoise.queryset import ValuesQuery

from core.access.scope import ScopeRule
from core.db.rows import cached_raw_values, q_key
from schema.access.rules import scope_of
from schema.nodes import NodeSource
from schema.planner.json_rows import JSON_COLUMN, WrittenPage, with_json, written_page
from schema.planner.roots import root_read
from schema.relay import Connection, PageArgs, make_connection, row_connection


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
    in SQL before paging. Return it from the root field's resolver as it is: when the planner
    completes the whole selection, the page may come as JSON text PostgreSQL wrote for it
    (``[performance] json_in_database``), which only the planning executor reads."""
    page = PageArgs.of(first, after)
    # Rows that passed the type's own rule in SQL need no second check by the planner, which
    # then reads only the columns the selection uses.
    checked = rule == scope_of(source.graphql_type)
    columns, json, whole = root_read(info, source, checked, newest_first)
    viewer = info.context.viewer
    visible = rule.q(viewer)
    read = columns or source.columns

    def query(json: str | None = json, extra: int = 1) -> ValuesQuery[Any]:
        rows = source.model.filter(visible, *filters)
        if page.after is not None:
            rows = (
                rows.filter(id__lt=page.after) if newest_first else rows.filter(id__gt=page.after)
            )
        ordered = rows.order_by("-id" if newest_first else "id").limit(page.first + extra)
        return with_json(ordered, json).values(*read, *((JSON_COLUMN,) if json else ()))

    # Everything the statement is made of: the rule and viewer make ``visible``.
    key = (read, json, rule, viewer, tuple(map(q_key, filters)), page, newest_first)
    if whole is not None and page.first > 0:  # (Tortoise reads limit(0) as no limit)
        # The planner completes nothing but edges of plain columns: the statement writes it
        # all (without the row past the page, which only told whether a next page exists).
        text = await written_page(source.model, (key, whole), lambda: query(None, 0), whole)
        if text is not None:
            return cast(Connection[Any], WrittenPage(text))
    found = await cached_raw_values(source.model, key, query)

    async def count() -> int:
        return await source.model.filter(visible, *filters).count()

    has_next = len(found) > page.first
    if columns is not None:
        # The planner reads the rows as they are; an object is built only if graphql-core
        # completes the field after all (a hundred objects were a tenth of such a read).
        return row_connection(found[: page.first], has_next, source.partial_builder(columns), count)
    nodes = [source.build_raw(row) for row in found[: page.first]]
    await source.enrich_for(info.context.viewer_if_valid, nodes)
    return make_connection(
        nodes, has_next, key=_id_of, count=count, lazy_cursors=True, checked=checked
    )


def _id_of(node: Any) -> int:
    return int(node.id)
