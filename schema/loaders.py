"""Batched reads: rows by id, the first page of children of many parents, children counts.

Each runs one SQL statement per batch, however many parents or rows there are, so the number of
statements a request runs depends on the depth of its query, not on the rows it touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from strawberry.dataloader import DataLoader
from tortoise import connections
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.models import Model

from core.access.scope import ScopeRule
from core.db.rows import cached_sql, rows_in
from schema.context import Context
from schema.nodes import NodeSource
from schema.planner.json_rows import JSON_COLUMN, WrittenConnection, with_json
from schema.relay import PageArgs

Filters = tuple[tuple[str, Any], ...]
"""Hashable ``(lookup, value)`` pairs: part of a loader's key, so they must be hashable."""


def by_id(context: Context, source: NodeSource) -> DataLoader[int, Any]:
    """Objects of ``source`` by primary key (``None`` for ids that do not exist)."""

    async def load(ids: Sequence[int]) -> list[Any]:
        found = await _objects_by_id(context, source, ids)
        return [found.get(i) for i in ids]

    return context.loader(("by_id", source.graphql_type), lambda: DataLoader(load))


async def one_by_id(context: Context, source: NodeSource, key: int) -> Any:
    """The object :func:`by_id` would load for ``key``, read at once, for a read that nothing
    can batch with (a query's only root field): the loader's future, batch task and turn of
    the event loop were 7 % of a read by id."""
    return (await _objects_by_id(context, source, (key,))).get(key)


async def _objects_by_id(
    context: Context, source: NodeSource, ids: Sequence[int]
) -> dict[int, Any]:
    rows = await rows_in(source.model, source.columns, "id", ids)
    found = {row["id"]: source.build_raw(row) for row in rows}
    await source.enrich_for(context.viewer_if_valid, list(found.values()))
    return found


def child_pages(
    context: Context,
    source: NodeSource,
    parent: str,
    *,
    scope: ScopeRule | None = None,
    filters: Filters = (),
    newest_first: bool = False,
    columns: tuple[str, ...] | None = None,
    json: str | None = None,
) -> DataLoader[tuple[int, PageArgs], tuple[list[Any], bool]]:
    """For keys ``(parent_id, page)``: the page of children ordered by id (``newest_first``:
    descending), and whether more follow. With ``scope``, only the children that rule lets the
    viewer see, filtered before paging; ``filters`` are further ``(lookup, value)`` pairs
    (``(("status", "OPEN"),)``). One statement per distinct page shape, for all
    parents at once. ``columns`` (the planner's): read only these, without the source's
    enrichment, and hand the rows out as the driver gives them (read by column name; the
    planner converts a whole column at once with :meth:`NodeSource.column_values`): a large
    read has thousands of rows, and an object built for each was a sixth of it. ``json``
    (with ``columns``, on PostgreSQL): a SQL expression over the row's columns, each row's
    object as JSON text, read as column ``hemei_json`` (see
    :mod:`schema.planner.json_rows`)."""
    enrich = columns is None

    async def load(keys: Sequence[tuple[int, PageArgs]]) -> list[tuple[list[Any], bool]]:
        by_page: dict[PageArgs, list[int]] = defaultdict(list)
        for parent_id, page in keys:
            by_page[page].append(parent_id)
        found: dict[PageArgs, dict[Any, list[Any]]] = {}
        where_key = _where_key(context, scope, filters)
        parent_of = itemgetter(parent)
        for page, parent_ids in by_page.items():
            rows = await _window_page(
                source,
                columns or source.columns,
                parent,
                parent_ids,
                page,
                (lambda: _where(context, scope, filters), where_key),
                newest_first,
                json,
            )
            # Grouped in C: a stable sort keeps each parent's rows in the statement's order
            # (by id), and costs next to nothing on rows that come grouped already. A loop
            # over the rows was a fifth of a nested read's Python.
            grouped = groupby(sorted(rows, key=parent_of), parent_of)
            if columns is not None:
                found[page] = {parent_id: list(group) for parent_id, group in grouped}
            else:
                found[page] = {p: list(map(source.build_raw, group)) for p, group in grouped}
        if enrich:
            nodes = [node for pages in found.values() for ns in pages.values() for node in ns]
            await source.enrich_for(context.viewer_if_valid, nodes)
        results = []
        for parent_id, page in keys:
            nodes = found[page].get(parent_id, [])
            results.append((nodes[: page.first], len(nodes) > page.first))
        return results

    key = ("child_pages", source.graphql_type, parent, scope, filters, newest_first, columns, json)
    return context.loader(key, lambda: DataLoader(load))


async def written_pages(
    context: Context,
    source: NodeSource,
    parent: str,
    parent_ids: Sequence[int],
    page: PageArgs,
    written: WrittenConnection,
    *,
    columns: tuple[str, ...],
    scope: ScopeRule | None = None,
    filters: Filters = (),
    newest_first: bool = False,
) -> list[str | None] | None:
    """For each of ``parent_ids``, its page of children (as :func:`child_pages` reads it)
    written by PostgreSQL as a whole connection object, JSON text (see
    :mod:`schema.planner.json_rows`): one statement, each parent's page through the index
    that leads with ``parent``. ``None`` when no index does (a window over every child would
    cost more than the JSON saves: read the rows instead)."""
    if not _leads_an_index(source.model, parent):
        return None
    wanted = tuple(dict.fromkeys([*columns, parent]))
    sql, args = cached_sql(
        source.model,
        ("window", _where_key(context, scope, filters), wanted, None),
        lambda: source.model.filter(_where(context, scope, filters)).values(*wanted),
    )

    def mark(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    after = ""
    if page.after is not None:
        after = f' AND "id" {"<" if newest_first else ">"} {mark(page.after)}'
    edges = ", ".join(f"{edge} AS hemei_edge_{i}" for i, edge in enumerate(written.edges))
    order = "DESC" if newest_first else "ASC"
    distinct = list(dict.fromkeys(parent_ids))
    statement = (
        f"SELECT hemei_parent.hemei_id, (SELECT {written.connection} FROM (SELECT "
        f'"id", {edges} FROM ({sql}) AS hemei_all WHERE "{parent}" = hemei_parent.hemei_id'
        f'{after} ORDER BY "id" {order} LIMIT {int(page.first)}) AS hemei_page) AS hemei_json '
        f"FROM unnest({mark(distinct)}::bigint[]) AS hemei_parent(hemei_id)"
    )
    _, rows = await _client(source).execute_query(statement, args)
    found = {row["hemei_id"]: row["hemei_json"] for row in rows}
    return [found[i] for i in parent_ids]


def child_counts(
    context: Context,
    source: NodeSource,
    parent: str,
    *,
    scope: ScopeRule | None = None,
    filters: Filters = (),
) -> DataLoader[int, int]:
    """How many children each parent id has (with ``scope`` and ``filters``: that the viewer
    may see and that match)."""

    async def load(parent_ids: Sequence[int]) -> list[int]:
        rows = (
            await source.model.filter(
                _where(context, scope, filters), **{f"{parent}__in": list(parent_ids)}
            )
            .annotate(n=Count("id"))
            .group_by(parent)
            .values(parent, "n")
        )
        counts = {row[parent]: row["n"] for row in rows}
        return [counts.get(p, 0) for p in parent_ids]

    key = ("child_counts", source.graphql_type, parent, scope, filters)
    return context.loader(key, lambda: DataLoader(load))


def _where_key(context: Context, scope: ScopeRule | None, filters: Filters) -> Hashable:
    """What :func:`_where`'s filter is made of; each value with its type (1 and True are
    equal in Python, not to the database)."""
    typed = tuple((lookup, type(value), value) for lookup, value in filters)
    return (scope, context.viewer if scope is not None else None, typed)


def _where(context: Context, scope: ScopeRule | None, filters: Filters) -> Q:
    visible = Q() if scope is None else scope.q(context.viewer)
    return Q(visible, *(Q(**{lookup: value}) for lookup, value in filters))


async def _window_page(
    source: NodeSource,
    columns: tuple[str, ...],
    parent: str,
    parent_ids: list[int],
    page: PageArgs,
    visible: tuple[Callable[[], Q], Hashable],
    newest_first: bool,
    json: str | None = None,
) -> Sequence[Mapping[str, Any]]:
    """``first + 1`` children per parent (the extra row tells whether a next page exists).
    ``visible``: the filter the children must match, made by its function, and a key that
    says which filter it is (equal keys, equal filters).

    The ORM writes the filtered inner query (scope rules compile to SQL there, once per
    filter: its SQL is kept); the parents, the cursor and the paging are wrapped around it
    here (Tortoise has neither window functions nor lateral joins, and a parameter per parent
    id built by the ORM cost more than the statement's own rows). On PostgreSQL, when an index
    leads with the parent column, each parent's page is read through it (a lateral join with
    ``LIMIT``); otherwise a window numbers the children of all parents at once. ``json``: a
    SQL expression over the columns read as column ``hemei_json`` too."""
    where, where_key = visible
    wanted = tuple(dict.fromkeys([*columns, parent]))
    sql, args = cached_sql(
        source.model,
        ("window", where_key, wanted, json),
        lambda: with_json(source.model.filter(where()), json).values(
            *wanted, *((JSON_COLUMN,) if json else ())
        ),
    )
    postgres = _client(source).capabilities.dialect == "postgres"

    def mark(value: Any) -> str:
        args.append(value)
        return f"${len(args)}" if postgres else "?"

    def after() -> str:
        if page.after is None:
            return ""
        return f' AND "id" {"<" if newest_first else ">"} {mark(page.after)}'

    # f-strings evaluate in order, so each mark takes its parameter where it stands (SQLite's
    # are positional). The page size is written as a number: a LIMIT given as a parameter
    # makes PostgreSQL plan the statement afresh on every execution (core.db.rows).
    order = "DESC" if newest_first else "ASC"
    if postgres and _leads_an_index(source.model, parent):
        # The window would read and number every child of every parent (all the cases of
        # 400 grids for ten of each: most of a nested read's time, in PostgreSQL).
        distinct = list(dict.fromkeys(parent_ids))  # a parent listed twice: its rows once
        wrapped = (
            f"SELECT hemei_rows.* FROM unnest({mark(distinct)}::bigint[]) AS "
            f"hemei_parent(hemei_id) CROSS JOIN LATERAL (SELECT * FROM ({sql}) AS hemei_all "
            f'WHERE "{parent}" = hemei_parent.hemei_id{after()} ORDER BY "id" {order} '
            f"LIMIT {int(page.first) + 1}) AS hemei_rows"
        )
    else:
        if postgres:
            parents = f'"{parent}" = ANY({mark(list(parent_ids))})'
        else:
            parents = f'"{parent}" IN ({", ".join(mark(i) for i in parent_ids)})'
        wrapped = (
            f"SELECT * FROM (SELECT hemei_inner.*, ROW_NUMBER() OVER (PARTITION BY "
            f'"{parent}" ORDER BY "id" {order}) AS hemei_rn FROM (SELECT * FROM ({sql}) AS '
            f"hemei_all WHERE {parents}{after()}) AS hemei_inner) AS hemei_page "
            f'WHERE hemei_rn <= {int(page.first) + 1} ORDER BY "{parent}", "id" {order}'
        )
    _, found = await _client(source).execute_query(wrapped, args)
    return found  # asyncpg records and SQLite rows are read by column name as they are


def _leads_an_index(model: type[Model], column: str) -> bool:
    """Whether an index of ``model``'s table starts with ``column`` (declared on the model,
    as migrations create them)."""
    meta = model._meta
    declared = [tuple(cast(Any, getattr(i, "fields", i))) for i in meta.indexes]
    declared += [tuple(u) for u in meta.unique_together]
    field = meta.fields_map.get(meta.fields_db_projection_reverse.get(column, column))
    indexed = field is not None and (field.index or field.unique or field.pk)
    return indexed or any(fields and _column_of(model, fields[0]) == column for fields in declared)


def _column_of(model: type[Model], name: str) -> str:
    return model._meta.fields_db_projection.get(name, name)


def _client(source: NodeSource) -> Any:
    return connections.get(source.model._meta.default_connection or "default")
