"""The ceiling: a small Starlette + asyncpg endpoint answering each benchmark operation with
hand-written SQL that builds Hemei's JSON in one statement (PERF_NOTES.md's "hand-written
asyncpg"). It takes Hemei's own request bodies and dispatches on ``operationName``; it checks
that a bearer token is sent but does not verify it, and applies no access rules.

    python -m bench.ceiling --dsn postgresql://... --port 18003
"""

from __future__ import annotations

import argparse
import base64
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import asyncpg
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.workloads import DASHBOARD_DISTRICT, DASHBOARD_KEYS


def _gid(type_name: str, column: str) -> str:
    # base64 breaks lines only past 76 characters; these ids are far shorter.
    return f"encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64')"


CASE_JSON = (
    f"json_build_object('id', {_gid('Case', 'k.id')}, 'title', k.title, 'status', k.status, "
    "'level', k.level, 'createdAt', k.created_at)"
)


def _leaf(leaf: str) -> str:
    if leaf == "cases":
        return (
            "'cases', json_build_object('edges', coalesce((SELECT json_agg(json_build_object("
            f"'node', {CASE_JSON}) ORDER BY k.id DESC) FROM (SELECT id, title, status, level, "
            'created_at FROM "case" WHERE grid_id = g.id ORDER BY id DESC LIMIT 10) k), '
            "'[]'))"
        )
    return (
        "'compounds', json_build_object('edges', coalesce((SELECT json_agg(json_build_object("
        f"'node', json_build_object('id', {_gid('Compound', 'p.id')}, 'code', p.code, "
        "'name', p.name)) ORDER BY p.id) FROM (SELECT id, code, name FROM compound "
        "WHERE grid_id = g.id ORDER BY id LIMIT 10) p), '[]'))"
    )


def _edges(node_json: str, order: str, rows: str) -> str:
    """A connection's ``{"edges": [{"node": ...}]}`` over a subquery ``rows``."""
    return (
        f"json_build_object('edges', coalesce((SELECT json_agg(json_build_object('node', "
        f"{node_json}) ORDER BY {order}) FROM ({rows}) {order.split('.')[0]}), '[]'))"
    )


def nested_sql(leaf: str) -> str:
    grid = (
        f"json_build_object('id', {_gid('Grid', 'g.id')}, 'code', g.code, 'name', g.name, "
        f"{_leaf(leaf)})"
    )
    community = (
        f"json_build_object('id', {_gid('Community', 'c.id')}, 'code', c.code, 'name', c.name, "
        "'grids', "
        + _edges(grid, "g.id", "SELECT id, code, name FROM grid WHERE community_id = c.id "
                 "ORDER BY id LIMIT 5")
        + ")"
    )  # fmt: skip
    district = (
        f"json_build_object('id', {_gid('District', 'd.id')}, 'code', d.code, 'name', d.name, "
        "'communities', "
        + _edges(community, "c.id", "SELECT id, code, name FROM community "
                 "WHERE district_id = d.id ORDER BY id LIMIT 10")
        + ")"
    )  # fmt: skip
    return (
        f"SELECT json_build_object('districts', coalesce(json_agg({district} ORDER BY d.id), "
        "'[]'))::text FROM district d"
    )


def cases_sql(first: int) -> str:
    return (
        "SELECT json_build_object('cases', json_build_object('edges', coalesce(json_agg("
        f"json_build_object('node', {CASE_JSON}) ORDER BY k.id DESC), '[]')))::text FROM "
        f'(SELECT id, title, status, level, created_at FROM "case" ORDER BY id DESC '
        f"LIMIT {first}) k"
    )


NODE_SQL = (
    f"SELECT json_build_object('node', (SELECT {CASE_JSON} FROM \"case\" k WHERE k.id = $1))::text"
)

# Core's figures for one district over [$2, $3), as core/stats/core_figures.py defines them.
_FIGURES = {
    "regions.grids": "(SELECT count(*) FROM grid WHERE district_id = d.id AND created_at < $3)",
    "stations.count": "(SELECT count(*) FROM service_station WHERE district_id = d.id "
    "AND created_at < $3)",
    "regions.property_coverage": "(SELECT round(count(*) FILTER (WHERE has_property_management)"
    "::numeric / nullif(count(*), 0), 4) FROM compound WHERE district_id = d.id "
    "AND created_at < $3)",
    "cases.received": '(SELECT count(*) FROM "case" WHERE district_id = d.id '
    "AND created_at >= $2 AND created_at < $3)",
    "cases.solved": '(SELECT count(DISTINCT s.case_id) FROM case_step s JOIN "case" k '
    "ON k.id = s.case_id WHERE k.district_id = d.id AND s.action = 'RESOLVE' "
    "AND s.at >= $2 AND s.at < $3)",
    "cases.completion_rate": "(SELECT round(count(*) FILTER (WHERE status IN ('RESOLVED', "
    "'CLOSED'))::numeric / nullif(count(*), 0), 4) FROM \"case\" WHERE district_id = d.id "
    "AND created_at >= $2 AND created_at < $3 AND status <> 'REJECTED')",
    "cases.satisfaction": '(SELECT round(avg(rating), 2) FROM "case" WHERE district_id = d.id '
    "AND closed_at >= $2 AND closed_at < $3 AND rating IS NOT NULL)",
    "cases.disputes_mediated": '(SELECT count(*) FROM "case" WHERE district_id = d.id '
    "AND category = 'neighbour_dispute' AND resolved_at >= $2 AND resolved_at < $3)",
    "cases.snap_reports": '(SELECT count(*) FROM "case" WHERE district_id = d.id '
    "AND source = 'SNAPSHOT' AND created_at >= $2 AND created_at < $3)",
}
assert tuple(_FIGURES) == DASHBOARD_KEYS
DASHBOARD_SQL = (
    "SELECT json_build_object('district', CASE WHEN d.id IS NULL THEN NULL ELSE "
    "json_build_object('stats', json_build_array("
    + ", ".join(
        f"json_build_object('key', '{key}', 'value', {sql}::float8)"
        for key, sql in _FIGURES.items()
    )
    + ")) END)::text FROM (SELECT 1) one LEFT JOIN district d ON d.code = $1"
)
# The year 2026 in city time (Asia/Shanghai), as Hemei's period "2026" means it.
PERIOD = ("2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")

REPORT_SQL = (
    'INSERT INTO "case" (created_at, updated_at, version, title, description, category, source, '
    "level, status, consulted, address, reporter_anonymous, closed_without_rating, grid_id, "
    "street_id, community_id, district_id) SELECT now(), now(), 1, $1, '', 'sanitation', "
    "'RESIDENT', 'GRID', 'REPORTED', false, '', false, false, g.id, g.street_id, "
    "g.community_id, g.district_id FROM grid g WHERE g.id = $2 "
    f"RETURNING json_build_object('reportCase', json_build_object('id', {_gid('Case', 'id')}))"
    "::text"
)


def _key(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


def sql_by_operation(leaf: str) -> dict[str, str]:
    """The statement answering each operation the harness sends (by ``operationName``)."""
    return {
        "Nested": nested_sql(leaf),
        "Cases100": cases_sql(100),
        "Cases20": cases_sql(20),
        "Node": NODE_SQL,
        "Dashboard": DASHBOARD_SQL,
        "Report": REPORT_SQL,
    }


def create_app(dsn: str, leaf: str) -> Starlette:
    state: dict[str, Any] = {}
    statements = sql_by_operation(leaf)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["period"] = tuple(datetime.fromisoformat(p) for p in PERIOD)
        state["pool"] = await asyncpg.create_pool(
            dsn, min_size=10, max_size=10, server_settings={"timezone": "UTC"}
        )
        try:
            yield
        finally:
            await state["pool"].close()

    async def graphql(request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return Response(b'{"errors":[{"message":"no token"}]}', 401)
        body = orjson.loads(await request.body())
        operation, variables = body.get("operationName"), body.get("variables") or {}
        sql = statements.get(operation)
        if sql is None:
            return Response(b'{"errors":[{"message":"unknown operation"}]}', 400)
        args: tuple[Any, ...] = ()
        if operation == "Node":
            args = (_key(variables["id"]),)
        elif operation == "Dashboard":
            args = (DASHBOARD_DISTRICT, *state["period"])
        elif operation == "Report":
            args = (variables["title"], _key(variables["grid"]))
        async with state["pool"].acquire() as connection:
            text = await connection.fetchval(sql, *args)
        return Response(b'{"data":' + text.encode() + b"}", media_type="application/json")

    return Starlette(
        routes=[Route("/graphql", graphql, methods=["POST"]),
                Route("/readyz", lambda _: Response(b"ok"))],
        lifespan=lifespan,
    )  # fmt: skip


# SQLite: the same answers with SQLite's JSON functions. Aggregates there take no ORDER BY
# (before 3.44), so each list is aggregated over an ordered subquery; a value that crosses a
# subquery loses its JSON subtype and is marked again with json(). Global ids come from a
# Python function registered on each connection (SQLite has no base64).
SQLITE_CASE = (
    "json_object('id', gid('Case', k.id), 'title', k.title, 'status', k.status, "
    "'level', k.level, 'createdAt', k.created_at)"
)


def _sqlite_edges(node_json: str, rows: str) -> str:
    return (
        f"json_object('edges', json((SELECT json_group_array(json(x)) FROM (SELECT "
        f"json_object('node', {node_json}) AS x {rows}))))"
    )


def sqlite_sql_by_operation() -> dict[str, str]:
    def cases(first: int) -> str:
        return (
            "SELECT json_object('cases', "
            + _sqlite_edges(SQLITE_CASE, f'FROM "case" k ORDER BY k.id DESC LIMIT {first}')
            + ")"
        )

    return {
        "Cases100": cases(100),
        "Cases20": cases(20),
        "Node": f"SELECT json_object('node', json((SELECT {SQLITE_CASE} FROM \"case\" k "
        "WHERE k.id = ?)))",
    }


def _top(columns: str, table: str, parent: str, order: str, limit: int, ids: list[int]) -> str:
    """The first ``limit`` rows per ``parent`` among ``ids`` (ids are integers we read)."""
    return (
        f"SELECT {columns}, {parent} FROM (SELECT {columns}, {parent}, ROW_NUMBER() OVER "
        f"(PARTITION BY {parent} ORDER BY {order}) AS n FROM {table} WHERE {parent} IN "
        f"({', '.join(str(int(i)) for i in ids) or 'NULL'})) WHERE n <= {limit} ORDER BY {order}"
    )


def sqlite_nested(connection: Any, leaf: str) -> str:
    """The nested read on SQLite: one statement per level (SQLite's parser cannot take the
    four-deep JSON statement), rows assembled here."""

    def gid(type_name: str, key: int) -> str:
        return base64.b64encode(f"{type_name}:{key}".encode()).decode()

    def edges(nodes: list[dict[str, Any]]) -> dict[str, Any]:
        return {"edges": [{"node": n} for n in nodes]}

    districts = connection.execute("SELECT id, code, name FROM district ORDER BY id").fetchall()
    communities = connection.execute(
        _top("id, code, name", "community", "district_id", "id", 10, [d[0] for d in districts])
    ).fetchall()
    grids = connection.execute(
        _top("id, code, name", "grid", "community_id", "id", 5, [c[0] for c in communities])
    ).fetchall()
    leaves: dict[int, list[dict[str, Any]]] = {g[0]: [] for g in grids}
    if leaf == "cases":
        # Per grid through the (grid_id, id) index: a window over every case of 400 grids
        # costs SQLite ten times more.
        ids = ", ".join(str(int(i)) for i in leaves) or "NULL"
        for k in connection.execute(
            "SELECT k.id, k.title, k.status, k.level, k.created_at, k.grid_id FROM grid g "
            'JOIN "case" k ON k.id IN (SELECT id FROM "case" WHERE grid_id = g.id '
            "ORDER BY id DESC LIMIT 10) "
            f"WHERE g.id IN ({ids}) ORDER BY k.id DESC"
        ):
            leaves[k[5]].append({"id": gid("Case", k[0]), "title": k[1], "status": k[2],
                                 "level": k[3], "createdAt": k[4]})  # fmt: skip
    else:
        for p in connection.execute(
            _top("id, code, name", "compound", "grid_id", "id", 10, list(leaves))
        ):
            leaves[p[3]].append({"id": gid("Compound", p[0]), "code": p[1], "name": p[2]})
    grids_of: dict[int, list[dict[str, Any]]] = {c[0]: [] for c in communities}
    for g in grids:
        grids_of[g[3]].append({"id": gid("Grid", g[0]), "code": g[1], "name": g[2],
                               leaf: edges(leaves[g[0]])})  # fmt: skip
    communities_of: dict[int, list[dict[str, Any]]] = {d[0]: [] for d in districts}
    for c in communities:
        communities_of[c[3]].append({"id": gid("Community", c[0]), "code": c[1], "name": c[2],
                                     "grids": edges(grids_of[c[0]])})  # fmt: skip
    data = {"districts": [
        {"id": gid("District", d[0]), "code": d[1], "name": d[2],
         "communities": edges(communities_of[d[0]])}
        for d in districts
    ]}  # fmt: skip
    return orjson.dumps(data).decode()


def create_sqlite_app(path: str, leaf: str) -> Starlette:
    """The SQLite ceiling: reads only (nested, cases, node), one connection per thread."""
    import sqlite3
    import threading

    from starlette.concurrency import run_in_threadpool

    statements = sqlite_sql_by_operation()
    statements["Nested"] = "(assembled by sqlite_nested)"
    local = threading.local()

    def gid(type_name: str, key: int) -> str:
        return base64.b64encode(f"{type_name}:{key}".encode()).decode()

    def answer(sql: str, args: tuple[Any, ...]) -> str:
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            connection.create_function("gid", 2, gid, deterministic=True)
            local.connection = connection
        if sql == statements["Nested"]:
            return sqlite_nested(connection, leaf)
        return str(connection.execute(sql, args).fetchone()[0])

    async def graphql(request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return Response(b'{"errors":[{"message":"no token"}]}', 401)
        body = orjson.loads(await request.body())
        operation, variables = body.get("operationName"), body.get("variables") or {}
        sql = statements.get(operation)
        if sql is None:
            return Response(b'{"errors":[{"message":"unknown operation"}]}', 400)
        args = (_key(variables["id"]),) if operation == "Node" else ()
        text = await run_in_threadpool(answer, sql, args)
        return Response(b'{"data":' + text.encode() + b"}", media_type="application/json")

    return Starlette(
        routes=[Route("/graphql", graphql, methods=["POST"]),
                Route("/readyz", lambda _: Response(b"ok"))],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="The benchmark's SQL ceiling.")
    parser.add_argument("--dsn", help="a PostgreSQL database")
    parser.add_argument("--sqlite", help="a SQLite file instead (reads only)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--leaf", default="cases", choices=("cases", "compounds"))
    args = parser.parse_args()
    app = (
        create_sqlite_app(args.sqlite, args.leaf)
        if args.sqlite
        else create_app(args.dsn, args.leaf)
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
