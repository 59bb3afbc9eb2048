"""Benchmark: one app process, in-process (no HTTP server, no load generator), the planned read
path against the resolver path on the same documents. Shows where the Python time goes; the
side-by-side figures against PostGraphile and the SQL ceiling come from ``python -m bench``.

    .venv/bin/hemei demo --config my.toml --scale city --no-serve   # once, any database
    .venv/bin/python -m tests.benchmarks.bench_planner --config my.toml [--seconds 5]

Signs in as the demo city admin, checks the two paths answer byte for byte the same, then
alternates rounds of each document on each path and prints requests/s, ms per request,
statements per request and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import httpx

from core.db.setup import init_orm
from core.db.statements import count_statements
from core.runtime import start_runtime
from schema.app import create_app

DOCUMENTS = {
    "nested": """{ districts { name communities(first: 10) { edges { node { name
        grids(first: 5) { edges { node { code cases(first: 10) { edges { node {
          id title status level createdAt } } } } } } } } } } }""",
    "cases100": "{ cases(first: 100) { edges { node { id title status level createdAt } } } }",
}


LOGIN = 'mutation { login(username: "city_admin", password: "hemei-demo") { token } }'


async def client_for(config: Path, planned: bool) -> httpx.AsyncClient:
    text = config.read_text(encoding="utf-8")  # noqa: ASYNC240 - once, before timing
    text += f"\n[performance]\nplanned_reads = {'true' if planned else 'false'}\n"
    text += "\n[limits]\nrate_per_minute = 100000000\nrate_burst = 100000000\n"
    path = config.with_name(f".bench-{planned}.toml")
    path.write_text(text, encoding="utf-8")
    runtime = start_runtime(path)
    app = create_app(runtime, manage_database=False, watch_config=False)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b")
    body = (await client.post("/graphql", json={"query": LOGIN})).json()
    assert body.get("data"), body
    client.headers["authorization"] = f"Bearer {body['data']['login']['token']}"
    return client


async def post(client: httpx.AsyncClient, document: str) -> bytes:
    response = await client.post("/graphql", json={"query": document})
    return response.content


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=3.0, help="per round and path")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runtime = start_runtime(args.config)
    await init_orm(runtime.config.database.url, runtime.host.model_apps())
    planned = await client_for(args.config, True)
    resolver = await client_for(args.config, False)
    for name, document in DOCUMENTS.items():
        a, b = await post(planned, document), await post(resolver, document)
        assert a == b, f"{name}: the paths differ"
        assert b"errors" not in a, a[:300]
        with count_statements() as log:
            await post(planned, document)
        totals = {"planned": [0, 0.0], "resolver": [0, 0.0]}
        for _ in range(args.rounds):
            for label, client in (("planned", planned), ("resolver", resolver)):
                end = time.perf_counter() + args.seconds
                started, n = time.perf_counter(), 0
                while time.perf_counter() < end:
                    await post(client, document)
                    n += 1
                totals[label][0] += n
                totals[label][1] += time.perf_counter() - started
        rates = {k: n / s for k, (n, s) in totals.items()}
        print(json.dumps({
            "document": name, "bytes": len(a), "statements": log.count,
            "planned_req_s": round(rates["planned"], 1),
            "resolver_req_s": round(rates["resolver"], 1),
            "planned_ms": round(1000 / rates["planned"], 2),
            "resolver_ms": round(1000 / rates["resolver"], 2),
            "ratio": round(rates["planned"] / rates["resolver"], 2),
        }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
