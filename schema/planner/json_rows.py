"""Objects whose JSON PostgreSQL writes: a planned level of plain columns read as text.

A leaf level of a large read (the cases of a page of grids) is the same few conversions for
thousands of rows: asyncpg decodes every value, the planner serialises each one and builds a
dict per row, and orjson writes it all out again. When every field of the level is a column
the database can write as JSON exactly as Hemei would (strings, whole numbers, booleans, enums,
date-times, dates, the global id, ``__typename``), the page's statement writes each row's
object as JSON text instead: byte for byte what orjson writes for the dict the planner would
build (the same keys in the same order, the same escapes, date-times in ``isoformat()``'s
form), which orjson then copies into the response as it is (``orjson.Fragment``).

Only on PostgreSQL, and only for a response that orjson writes (``Context.json_fragments``:
HTTP requests, not WebSocket messages or ``schema.execute`` callers). Anything else, and any
field this module cannot write, leaves the level to the planner's own code.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

from asyncpg import Record
from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLString,
    is_non_null_type,
)
from orjson import Fragment
from strawberry.schema.types.base_scalars import isoformat as strawberry_isoformat
from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.fields import (
    BooleanField,
    CharField,
    DateField,
    DatetimeField,
    IntField,
    SmallIntField,
    TextField,
)
from tortoise.models import Model
from tortoise.queryset import QuerySet, ValuesQuery

from core.db.rows import cached_sql
from schema.nodes import NodeSource, utc_already

JSON_COLUMN = "hemei_json"
"""The column of a page's rows that holds each row's object as JSON text."""

_BASE64_PLAIN = 57
"""Bytes PostgreSQL's ``encode(..., 'base64')`` writes on one line (76 characters)."""
_LONGEST_ID = 20  # digits of a bigint, with its sign


class JsonLevels:
    written = 0
    """Levels whose objects PostgreSQL wrote as JSON, in this process (for tests)."""


def wanted(context: Any, source: NodeSource) -> bool:
    """Whether a read of ``source``'s rows for this request may have PostgreSQL write them."""
    if not getattr(context, "json_fragments", False):
        return False
    client = connections.get(source.model._meta.default_connection or "default")
    return bool(client.capabilities.dialect == "postgres")


def with_json(query: QuerySet[Any], json: str | None) -> QuerySet[Any]:
    """``query`` with column ``hemei_json`` computed by the expression ``json`` (if any): list
    :data:`JSON_COLUMN` in its ``values()`` to read it."""
    if json is None:
        return query
    return query.annotate(**{JSON_COLUMN: RawSQL(json)})


def object_sql(members: Sequence[tuple[str, str]]) -> str:
    """A SQL expression for the JSON text of an object with ``members``: (response key, SQL
    expression of the member's JSON text). The keys are GraphQL names, which the grammar holds
    to ``[_A-Za-z][_0-9A-Za-z]*``: they enter the statement as literals."""
    if not members:
        return "'{}'"
    parts = []
    for at, (key, value) in enumerate(members):
        opening = "{" if at == 0 else ","
        parts.append(f"'{opening}\"{key}\":' || {value}")
    return "(" + " || ".join(parts) + " || '}')"


def typename_sql(type_name: str) -> str:
    return f"'\"{type_name}\"'"


def global_id_sql(type_name: str, column: str) -> str | None:
    """``GlobalID(type_name, column)``'s text: base64 of ``"Type:id"``, which PostgreSQL
    writes on one line up to 57 bytes."""
    if len(type_name) + 1 + _LONGEST_ID > _BASE64_PLAIN:
        return None
    prefix = _literal(f"{type_name}:")
    return f"""('"' || encode(convert_to({prefix} || "{column}", 'UTF8'), 'base64') || '"')"""


def leaf_sql(leaf: Any, field: Any, column: str) -> str | None:
    """The JSON text of ``column`` (a Tortoise ``field``) as the GraphQL ``leaf`` type (with
    its non-null wrapper, if any) serialises it, or ``None`` when this module cannot write it
    exactly. A null stays JSON ``null``; a non-null leaf over a nullable column, and an enum
    value that is not a member, are left to the planner (whose error is graphql-core's)."""
    non_null = is_non_null_type(leaf)
    named = leaf.of_type if non_null else leaf
    nullable = field.null
    if non_null and nullable:
        return None
    quoted = f'"{column}"'
    value = _value_sql(named, field, quoted)
    if value is None:
        return None
    # Not coalesce(): a value that is NULL for any other reason (no member of its enum) must
    # stay NULL, so that the level goes to the planner.
    return f"(CASE WHEN {quoted} IS NULL THEN 'null' ELSE {value} END)" if nullable else value


def _value_sql(named: Any, field: Any, quoted: str) -> str | None:
    kind = type(field)
    if named in (GraphQLString, GraphQLID) and kind in (CharField, TextField):
        return f"to_json({quoted})::text"
    if named is GraphQLInt and kind in (IntField, SmallIntField):
        return f"{quoted}::text"
    if named is GraphQLBoolean and kind is BooleanField:
        return f"to_json({quoted})::text"
    if isinstance(named, GraphQLEnumType) and kind is CharField:
        return _enum_sql(named, quoted)
    if getattr(named, "coerce_output_value", None) is strawberry_isoformat:
        if kind is DatetimeField and utc_already():
            return _datetime_sql(quoted)
        if kind is DateField:
            return f"""('"' || to_char({quoted}, 'YYYY-MM-DD') || '"')"""
    return None


def _enum_sql(enum: GraphQLEnumType, quoted: str) -> str | None:
    """The member's GraphQL name for the value stored; NULL (the planner's own code then
    reads the level) for a value that is none of them. Only for enums of strings, whose
    members equal their stored values, as the planner's own mapping takes them."""
    wrapped = getattr(enum, "wrapped_cls", None)
    if not (isinstance(wrapped, type) and issubclass(wrapped, str) and issubclass(wrapped, Enum)):
        return None
    cases = " ".join(
        f"WHEN {_literal(str(wrapped(value.value).value))} THEN '\"{name}\"'"
        for name, value in enum.values.items()
    )
    return f"(CASE {quoted} {cases} END)"


def _datetime_sql(quoted: str) -> str:
    """``isoformat()`` of the UTC date-time: microseconds only when they are not 0 (one
    ``to_char`` with them, a zero fraction cut: a third cheaper than asking twice)."""
    text = f"""to_char(({quoted} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    return f"""('"' || replace({text}, '.000000', '') || '+00:00"')"""


def cursor_sql(column: str) -> str:
    """``encode_cursor(id)``'s text: URL-safe base64 of ``"cursor:v1:<id>"``."""
    encoded = f"""encode(convert_to('cursor:v1:' || "{column}", 'UTF8'), 'base64')"""
    return f"""('"' || translate({encoded}, '+/', '-_') || '"')"""


def edges_sql(column: str, newest_first: bool) -> str:
    """A connection's list of edges, from the edge objects' JSON text in ``column`` of the
    page's rows, in the page's order: NULL when one of them is NULL, which sends the whole
    read back to the planner's own code (``string_agg`` would skip it silently). It names
    ``column`` twice: the subquery that computes the column must not be one PostgreSQL merges
    into the statement (give it a ``LIMIT``, or ``OFFSET 0``), or each row's JSON is written
    twice."""
    order = "DESC" if newest_first else "ASC"
    joined = f"""string_agg({column}, ',' ORDER BY "id" {order})"""
    return f"(CASE WHEN count(*) = count({column}) THEN '[' || coalesce({joined}, '') || ']' END)"


@dataclass(frozen=True)
class WrittenConnection:
    """How a page's statement writes a connection object: ``edges``, the SQL expressions of
    each row's edge objects (one per selection of ``edges``, read as columns
    ``hemei_edge_<i>``), and ``connection``, an aggregate over those columns."""

    edges: tuple[str, ...]
    connection: str


async def written_page(
    model: type[Model],
    key: Hashable,
    build: Callable[[], ValuesQuery[Any]],
    how: WrittenConnection,
) -> str | None:
    """The JSON text of the connection whose page ``build()`` reads (with the columns ``how``
    writes, and ``id``), written by one statement; ``None`` when a value could not be written.
    ``key`` keeps the page query's SQL (see :func:`core.db.rows.cached_sql`)."""
    sql, args = cached_sql(model, ("written", key), build)
    edges = ", ".join(f"{edge} AS hemei_edge_{i}" for i, edge in enumerate(how.edges))
    # OFFSET 0 keeps PostgreSQL from pulling the edges' subquery up into the aggregate, where
    # each edge column is named twice (the count that finds a NULL, and string_agg): pulled
    # up, every row's JSON was written twice (a page of 100 on one connection: 0.48 ms → 0.34).
    statement = (
        f'SELECT {how.connection} AS hemei_json FROM (SELECT "id", {edges} FROM ({sql}) '
        "AS hemei_all OFFSET 0) AS hemei_page"
    )
    client = connections.get(model._meta.default_connection or "default")
    _, rows = await client.execute_query(statement, args)
    text: str | None = rows[0]["hemei_json"]
    if text is not None:
        JsonLevels.written += 1
    return text


class WrittenPage:
    """A root list's page as its connection's JSON text, written by the page's statement: what
    a root resolver hands the planning executor, which carries it into the response as it is
    (see :func:`schema.scoped_connection`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def written(texts: list[str | None]) -> list[Fragment] | None:
    """``texts`` (a connection's JSON per parent) to be carried as they are, or ``None`` when
    one is NULL (a value the statement could not write)."""
    if None in texts:
        return None
    JsonLevels.written += 1
    return list(map(Fragment, cast(list[str], texts)))


def fragments(rows: list[Any]) -> list[Fragment] | None:
    """Each row's object as the statement wrote it, or ``None`` when the rows carry none
    (another read made them) or one is NULL (a value the statement could not write)."""
    first = rows[0]
    if first.__class__ is not Record or first.get(JSON_COLUMN) is None:
        return None
    texts = [row[JSON_COLUMN] for row in rows]
    if None in texts:
        return None
    JsonLevels.written += 1
    return list(map(Fragment, texts))
