"""Objects whose JSON PostgreSQL writes (``[performance] json_in_database``): the response
bytes must be exactly those Hemei writes itself, and the database must really have written
them (on PostgreSQL; on SQLite the planner writes every level itself)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
import strawberry
from tortoise import connections
from tortoise.fields import CharField, DatetimeField

from core.cases.machine import Level
from core.cases.models import Case
from schema.planner.json_rows import JsonLevels, leaf_sql
from schema.relay import encode_cursor
from tests.conftest import database_kind
from tests.support.configs import TEST_CONFIG, with_performance

REFERENCE_CONFIG = with_performance(planned_reads=False, lean_queries=False)
WRITTEN_BY_HEMEI = with_performance(json_in_database=False)

CASE_FIELDS = """__typename id title status level createdAt dueAt rating closedWithoutRating
    version heading: title again: id"""
NESTED = (
    '{ district(code: "gongnong") { grids(first: 30) { edges { node { code '
    f"cases(first: 10) {{ edges {{ node {{ {CASE_FIELDS} }} }} }} }} }} }} }} }}"
)
ROOT = f"{{ cases(first: 50) {{ edges {{ node {{ {CASE_FIELDS} }} }} }} }}"


async def raw(client: Any, document: str) -> bytes:
    response = await client.client.post(
        "/graphql",
        json={"query": document},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200, response.text
    return response.content


def on_postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


async def three_clients(api, role: str) -> tuple[Any, Any, Any]:
    return (
        await (await api()).signed_in(role),
        await (await api(WRITTEN_BY_HEMEI)).signed_in(role),
        await (await api(REFERENCE_CONFIG)).signed_in(role),
    )


@pytest.mark.parametrize("document", [NESTED, ROOT], ids=["a grid's cases", "root cases"])
@pytest.mark.parametrize("role", ["city_admin", "resident_xinhong"])
async def test_the_database_writes_a_plain_level_as_hemei_would(api, tricky_cases, document, role):
    in_database, by_hemei, reference = await three_clients(api, role)
    before = JsonLevels.written
    got = await raw(in_database, document)
    written = JsonLevels.written - before
    assert got == await raw(by_hemei, document) == await raw(reference, document)
    assert b'"errors"' not in got
    if role == "resident_xinhong" and document == ROOT:  # the reporter's own cases
        for title in ("楼道下水管堵塞 😀 é", "</script><b>&amp;"):
            assert title.encode() in got
        assert b"line\\nbreak\\ttab\\rreturn\\u0001\\u001f\x7f" in got
        assert b'"dueAt":"2026-12-01T08:30:00+00:00"' in got
        assert b'"dueAt":"2026-12-01T08:30:00.120000+00:00"' in got
    if on_postgres():
        assert written == 1, "PostgreSQL did not write the cases' JSON"
    else:
        assert written == 0, "SQLite has no JSON written by the database"


async def test_with_json_in_database_off_hemei_writes_every_level(api, tricky_cases):
    _, by_hemei, _ = await three_clients(api, "city_admin")
    before = JsonLevels.written
    await raw(by_hemei, NESTED)
    assert JsonLevels.written == before


@pytest.mark.parametrize(
    "fields",
    [
        "id lon",  # a float: Python and PostgreSQL print some differently
        "id grid { code }",  # a relation
        "id allowedActions",  # a field with its own resolver
    ],
)
async def test_a_level_with_a_field_the_database_cannot_write_is_left_to_the_planner(
    api, tricky_cases, fields
):
    in_database, _, reference = await three_clients(api, "city_admin")
    document = f"{{ cases(first: 20) {{ edges {{ node {{ {fields} }} }} }} }}"
    before = JsonLevels.written
    got = await raw(in_database, document)
    assert JsonLevels.written == before
    assert got == await raw(reference, document)


async def test_a_page_asked_for_its_cursors_and_totals_still_gets_its_nodes_written(
    api, tricky_cases
):
    in_database, _, reference = await three_clients(api, "city_admin")
    document = """{ cases(first: 5) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id title } } } }"""
    before = JsonLevels.written
    got = await raw(in_database, document)
    assert got == await raw(reference, document)
    assert JsonLevels.written - before == (1 if on_postgres() else 0)


async def test_a_stored_value_outside_its_enum_gets_the_reference_paths_error(api, tricky_cases):
    in_database, _, reference = await three_clients(api, "city_admin")
    status = (await Case.get(id=tricky_cases[0])).status
    await Case.filter(id=tricky_cases[0]).update(status="NO_SUCH_STATUS")
    try:
        before = JsonLevels.written
        got = await raw(in_database, ROOT)
        assert got == await raw(reference, ROOT)
    finally:  # the database is the run's: later pages of cases would meet the stranger
        await Case.filter(id=tricky_cases[0]).update(status=status)
    assert b'"errors"' in got
    assert JsonLevels.written == before  # the row without JSON sent the level to the planner


WHOLE_PAGES = {
    "a root page with type names, cursors and two selections of edges": """{ cases(first: 7) {
        __typename edges { __typename cursor node { id title } } more: edges { node { status }
        } } }""",
    "an empty root page": '{ cases(first: 5, after: "FIRST") { edges { cursor node { id } } } }'.replace(
        "FIRST", encode_cursor(1)
    ),  # newest first: nothing comes before the first case
    "child pages after a cursor": """{ district(code: "gongnong") { grids(first: 4) { edges {
        node { code cases(first: 2, after: "CURSOR") { edges { cursor node { id createdAt } }
        } } } } } }""".replace("CURSOR", encode_cursor(10**9)),
    "child pages, some empty": """{ district(code: "gongnong") { communities(first: 5) {
        edges { node { name compounds(first: 3) { __typename edges { node { id code name
        hasPropertyManagement } } } } } } } }""",
}


@pytest.mark.parametrize("name", list(WHOLE_PAGES))
async def test_the_database_writes_whole_pages_as_hemei_would(api, tricky_cases, name):
    in_database, by_hemei, reference = await three_clients(api, "city_admin")
    document = WHOLE_PAGES[name]
    before = JsonLevels.written
    got = await raw(in_database, document)
    assert got == await raw(by_hemei, document) == await raw(reference, document)
    assert b'"errors"' not in got and b'"edges"' in got
    assert (JsonLevels.written > before) == on_postgres()


async def test_with_an_extension_hemei_does_not_know_hemei_writes_every_level(
    api, tricky_cases, monkeypatch
):
    # An extension the lean path does not stand in for (tracing here, a plugin's elsewhere)
    # might read the result's data, where text the database wrote would not be a value.
    from opentelemetry.sdk.trace import TracerProvider

    from schema.observability import tracing

    monkeypatch.setattr(tracing, "tracer_provider", lambda config: TracerProvider())
    traced = await (await api(TEST_CONFIG + "\n[observability]\ntracing = true\n")).signed_in(
        "city_admin"
    )
    _, _, reference = await three_clients(api, "city_admin")
    before = JsonLevels.written
    got = await raw(traced, NESTED)
    assert JsonLevels.written == before
    assert got == await raw(reference, NESTED)


postgres_only = pytest.mark.skipif(
    database_kind() != "postgres", reason="the database writes JSON only on PostgreSQL"
)


async def written_values(expression: str, values: list[Any], sql_type: str) -> list[Any]:
    """``expression`` (over column ``"v"``) for each of ``values``, as PostgreSQL writes it."""
    rows = ", ".join(f"(${i + 1}::{sql_type})" for i in range(len(values)))
    _, found = await connections.get("default").execute_query(
        f'SELECT {expression} AS j FROM (VALUES {rows}) AS t("v")', values
    )
    return [row["j"] for row in found]


@strawberry.type
class _Probe:
    level: Level | None
    at: datetime


PROBE = strawberry.Schema(query=_Probe)._schema.query_type


@postgres_only
async def test_a_nullable_enum_column_writes_null_for_null_and_nothing_for_a_stranger(orm):
    expression = leaf_sql(PROBE.fields["level"].type, CharField(max_length=16, null=True), "v")
    assert expression is not None
    got = await written_values(expression, ["GRID", None, "NO_SUCH_LEVEL"], "text")
    assert got == ['"GRID"', "null", None]  # None: the planner reads that level itself


@postgres_only
async def test_date_times_are_written_as_isoformat_writes_them(orm):
    values = [
        datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 8, 30, 0, 120000, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 6, 1, 0, 0, 0, 1, tzinfo=UTC),
        datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
    ]
    expression = leaf_sql(PROBE.fields["at"].type, DatetimeField(), "v")
    assert expression is not None
    got = await written_values(expression, values, "timestamptz")
    assert got == [orjson.dumps(v.isoformat()).decode() for v in values]


@postgres_only
async def test_a_written_page_writes_each_rows_json_once(api, tricky_cases, monkeypatch):
    # The page's aggregate names each edge column twice (a count that finds a NULL, and
    # string_agg); merged into it, the edge's expression was computed twice a row.
    in_database = await (await api()).signed_in("city_admin")
    client = connections.get("default")
    execute_query = client.execute_query
    statements: list[tuple[str, list[Any]]] = []

    async def spy(sql: str, values: list[Any] | None = None) -> Any:
        if "hemei_json" in sql:
            statements.append((sql, list(values or [])))
        return await execute_query(sql, values)

    monkeypatch.setattr(client, "execute_query", spy)
    assert b'"errors"' not in await raw(in_database, ROOT)
    [(sql, values)] = statements
    _, rows = await execute_query(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}", values)
    aggregate = orjson.loads(rows[0][0])[0]["Plan"]
    assert aggregate["Node Type"] == "Aggregate", aggregate
    # Each row's JSON is computed by the scan below the aggregate, which only joins it up.
    [below] = aggregate["Plans"]
    assert any("encode(convert_to(" in column for column in below["Output"]), below
