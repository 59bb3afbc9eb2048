"""Rows by a list of keys, without building a query object per key.

Tortoise turns ``filter(id__in=keys)`` into one query-builder term per key: for the 4,000 ids
of a planned read that was a tenth of the request. On PostgreSQL the keys travel as one array
parameter (``= ANY($1)``); on SQLite as plain placeholders, in chunks under its variable limit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import cache
from typing import Any

from tortoise import connections
from tortoise.expressions import Q
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
    client = _client_of(model)
    postgres = client.capabilities.dialect == "postgres"
    where = _select_where(model, tuple(columns), column, postgres)
    if postgres:
        _, rows = await client.execute_query(f"{where} = ANY($1)", [list(keys)])
        return [dict(row) for row in rows]
    found: list[dict[str, Any]] = []
    for start in range(0, len(keys), SQLITE_CHUNK):
        chunk = list(keys[start : start + SQLITE_CHUNK])
        marks = ", ".join("?" * len(chunk))
        _, rows = await client.execute_query(f"{where} IN ({marks})", chunk)
        found.extend(dict(row) for row in rows)
    return found


@cache
def _select_where(model: type[Model], columns: tuple[str, ...], column: str, _: bool) -> str:
    """``SELECT <columns> FROM <table> WHERE <column>``, made once per shape (quoting every
    column anew was a tenth of a read by id). Keyed by dialect too: a test process opens both."""
    listed = ", ".join(f'"{c}"' for c in columns)
    return f'SELECT {listed} FROM "{model._meta.db_table}" WHERE "{column}"'


async def raw_values(query: ValuesQuery[Any]) -> list[Any]:
    """The rows of a ``.values(...)`` query as the driver hands them out, without Tortoise's
    per-value conversion (rows are read by column name; convert them as the ORM would, e.g.
    with ``NodeSource.build_raw``). Returns the SQL's rows in its order."""
    client = _client_of(query.model)
    sql, params = _sql_of(query, client)
    _, rows = await client.execute_query(sql, params)
    return list(rows)


async def cached_raw_values(
    model: type[Model], key: Hashable, build: Callable[[], ValuesQuery[Any]]
) -> list[Any]:
    """:func:`raw_values` of the query ``build()`` makes, whose SQL and parameters are kept
    under ``key`` (see :func:`cached_sql`)."""
    client = _client_of(model)
    sql, params = cached_sql(model, key, build)
    _, rows = await client.execute_query(sql, params)
    return list(rows)


def cached_sql(
    model: type[Model],
    key: Hashable,
    build: Callable[[], ValuesQuery[Any]],
    client: Any = None,
) -> tuple[str, list[Any]]:
    """The SQL and parameters of the query ``build()`` makes, for ``model``'s database, kept
    under ``key`` (with the model and the database's dialect): building a query through
    Tortoise cost a sixth of a page of 100 rows. ``key`` must hold everything the query is
    made of, parameter values included; an unhashable key just builds the query. The
    parameters are a fresh list each time (the caller may append to it). ``client``: the
    model's database client, when the caller has it at hand (finding it costs a look-up)."""
    if client is None:
        client = _client_of(model)
    try:
        cache_key = (model, client.capabilities.dialect, key)
        found = _SQL.get(cache_key)
    except TypeError:  # a value in the key that cannot be hashed (a list, say)
        return _sql_of(build(), client)
    if found is None:
        found = _SQL[cache_key] = _sql_of(build(), client)
        if len(_SQL) > SQL_CACHE_SIZE:
            del _SQL[next(iter(_SQL))]
    sql, params = found
    return sql, list(params)


def q_key(q: Q) -> Hashable:
    """A Tortoise ``Q`` as a value to key :func:`cached_raw_values` with: equal only for
    filters that make the same SQL and parameters (each value with its type: ``1`` and
    ``True`` are equal in Python, not to the database)."""
    filters = tuple(sorted((name, _typed(value)) for name, value in q.filters.items()))
    return (q.join_type, q._is_negated, filters, tuple(q_key(child) for child in q.children))


def _typed(value: Any) -> Hashable:
    if isinstance(value, list | tuple | set | frozenset):
        return (type(value), tuple(_typed(v) for v in value))
    return (type(value), value)


SQL_CACHE_SIZE = 2048
"""Statements :func:`cached_raw_values` keeps (oldest out first)."""
_SQL: dict[Hashable, tuple[str, list[Any]]] = {}


def _client_of(model: type[Model]) -> Any:
    return connections.get(model._meta.default_connection or "default")


def _sql_of(query: ValuesQuery[Any], client: Any) -> tuple[str, list[Any]]:
    query._db = client
    query._make_query()
    sql, params = query.query.get_parameterized_sql()
    return sql, list(params)
