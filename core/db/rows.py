"""Rows by a list of keys, without building a query object per key.

Tortoise turns ``filter(id__in=keys)`` into one query-builder term per key: for the 4,000 ids
of a planned read that was a tenth of the request. On PostgreSQL the keys travel as one array
parameter (``= ANY($1)``); on SQLite as plain placeholders, in chunks under its variable limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise import connections
from tortoise.models import Model
from tortoise.queryset import ValuesQuery

SQLITE_CHUNK = 30_000
"""SQLite allows 32,766 host parameters a statement (since 3.32)."""


async def rows_in(
    model: type[Model], columns: Sequence[str], column: str, keys: Sequence[Any]
) -> list[dict[str, Any]]:
    """``columns`` of the rows of ``model`` whose ``column`` is one of ``keys``, as raw values
    (convert them as the ORM would, e.g. with ``NodeSource.build_raw``)."""
    if not keys:
        return []
    meta = model._meta
    client = connections.get(meta.default_connection or "default")
    select = f'SELECT {", ".join(f"{_quoted(c)}" for c in columns)} FROM "{meta.db_table}"'
    if client.capabilities.dialect == "postgres":
        _, rows = await client.execute_query(f"{select} WHERE {_quoted(column)} = ANY($1)", [
            list(keys)
        ])  # fmt: skip
        return [dict(row) for row in rows]
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), SQLITE_CHUNK):
        chunk = list(keys[start : start + SQLITE_CHUNK])
        marks = ", ".join("?" * len(chunk))
        _, rows = await client.execute_query(
            f"{select} WHERE {_quoted(column)} IN ({marks})", chunk
        )
        found.extend(dict(row) for row in rows)
    return found


def _quoted(name: str) -> str:
    return f'"{name}"'


async def raw_values(query: ValuesQuery[Any]) -> list[Any]:
    """The rows of a ``.values(...)`` query as the driver hands them out, without Tortoise's
    per-value conversion (rows are read by column name; convert them as the ORM would, e.g.
    with ``NodeSource.build_raw``). Returns the SQL's rows in its order."""
    model = query.model
    client = connections.get(model._meta.default_connection or "default")
    query._db = client
    query._make_query()
    sql, params = query.query.get_parameterized_sql()
    _, rows = await client.execute_query(sql, params)
    return list(rows)
