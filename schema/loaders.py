"""Batched reads: rows by id, the first page of children of many parents, children counts.

Each runs one SQL statement per batch, however many parents or rows there are, so the number of
statements a request runs depends on the depth of its query, not on the rows it touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise import connections
from tortoise.functions import Count

from schema.context import Context
from schema.nodes import NodeSource
from schema.relay import PageArgs


def by_id(context: Context, source: NodeSource) -> DataLoader[int, Any]:
    """Objects of ``source`` by primary key (``None`` for ids that do not exist)."""

    async def load(ids: Sequence[int]) -> list[Any]:
        rows = await source.model.filter(id__in=list(ids)).values(*source.columns)
        found = {row["id"]: source.build(row) for row in rows}
        if source.enrich is not None and found:
            await source.enrich(list(found.values()))
        return [found.get(i) for i in ids]

    return context.loader(("by_id", source.graphql_type), lambda: DataLoader(load))


def child_pages(
    context: Context, source: NodeSource, parent: str
) -> DataLoader[tuple[int, PageArgs], tuple[list[Any], bool]]:
    """For keys ``(parent_id, page)``: the page of children ordered by id, and whether more
    follow. One windowed statement per distinct page shape, for all parents at once."""

    async def load(keys: Sequence[tuple[int, PageArgs]]) -> list[tuple[list[Any], bool]]:
        by_page: dict[PageArgs, list[int]] = defaultdict(list)
        for parent_id, page in keys:
            by_page[page].append(parent_id)
        found: dict[tuple[int, PageArgs], list[Any]] = defaultdict(list)
        for page, parent_ids in by_page.items():
            for row in await _window_page(source, parent, parent_ids, page):
                found[(row[parent], page)].append(source.build_raw(row))
        results = []
        for parent_id, page in keys:
            rows = found.get((parent_id, page), [])
            results.append((rows[: page.first], len(rows) > page.first))
        return results

    return context.loader(("child_pages", source.graphql_type, parent), lambda: DataLoader(load))


def child_counts(context: Context, source: NodeSource, parent: str) -> DataLoader[int, int]:
    """How many children each parent id has."""

    async def load(parent_ids: Sequence[int]) -> list[int]:
        rows = (
            await source.model.filter(**{f"{parent}__in": list(parent_ids)})
            .annotate(n=Count("id"))
            .group_by(parent)
            .values(parent, "n")
        )
        counts = {row[parent]: row["n"] for row in rows}
        return [counts.get(p, 0) for p in parent_ids]

    return context.loader(("child_counts", source.graphql_type, parent), lambda: DataLoader(load))


async def _window_page(
    source: NodeSource, parent: str, parent_ids: list[int], page: PageArgs
) -> list[dict[str, Any]]:
    """``first + 1`` children per parent (the extra row tells whether a next page exists)."""
    meta = source.model._meta
    client = connections.get(meta.default_connection or "default")
    dialect = client.capabilities.dialect
    args: list[Any] = list(parent_ids)

    def mark() -> str:
        return f"${len(args)}" if dialect == "postgres" else "?"

    placeholders = []
    for i in range(len(parent_ids)):
        placeholders.append(f"${i + 1}" if dialect == "postgres" else "?")
    where = f'"{parent}" IN ({", ".join(placeholders)})'
    if page.after is not None:
        args.append(page.after)
        where += f' AND "id" > {mark()}'
    args.append(page.first + 1)
    columns = ", ".join(f'"{c}"' for c in dict.fromkeys([*source.columns, parent]))
    sql = (
        f"SELECT {columns} FROM (SELECT {columns}, ROW_NUMBER() OVER "
        f'(PARTITION BY "{parent}" ORDER BY "id") AS hemei_rn FROM "{meta.db_table}" '
        f'WHERE {where}) AS hemei_page WHERE hemei_rn <= {mark()} ORDER BY "{parent}", "id"'
    )
    _, rows = await client.execute_query(sql, args)
    return [dict(row) for row in rows]
