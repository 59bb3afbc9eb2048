"""Benchmark: the server's own CPU per request, with the ASGI app called directly (no HTTP
client or server in the process, so nothing else is billed), for the harness's read documents
as the demo city admin. The figures quoted for each read-path change come from this.

    # after `python -m bench` has loaded the city into hemei_bench and written its config:
    HEMEI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hemei_bench \
        .venv/bin/python -m tests.benchmarks.bench_request_cpu --config bench/.work/hemei.toml

Any demo config works if its ``[limits]`` turn the rate limit off (one account sends every
request).

Prints, per document: process CPU and wall milliseconds per request (after a warm-up, with
the serving garbage-collector settings) and the SQL statements one request runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import orjson
from strawberry.relay import GlobalID
from tortoise import connections

from core.db.setup import init_orm
from core.db.statements import count_statements
from core.runtime import start_runtime
from schema.app import create_app
from schema.gc_tuning import tune_for_serving
from tests.benchmarks.bench_planner import DOCUMENTS

LOGIN = 'mutation { login(username: "city_admin", password: "hemei-demo") { token } }'
BY_ID = "{ node(id: $ID) { ... on Case { id title status level createdAt } } }"


class DirectClient:
    """POSTs a GraphQL body to the ASGI app itself and returns the response body."""

    def __init__(self, app: Any) -> None:
        self.app, self.token = app, ""

    async def post(self, body: bytes) -> bytes:
        headers = [
            (b"content-type", b"application/json"),
            (b"accept", b"application/graphql-response+json"),
            (b"content-length", str(len(body)).encode()),
        ]
        if self.token:
            headers.append((b"authorization", f"Bearer {self.token}".encode()))
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
            "query_string": b"", "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
        }  # fmt: skip
        chunks: list[bytes] = []
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects early
            raise AssertionError

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return b"".join(chunks)


async def signed_in_client(config: Path) -> tuple[DirectClient, dict[str, str]]:
    """The app of ``config`` called directly, signed in as the demo city admin, and the
    harness's read documents (with a case by id) by name."""
    runtime = start_runtime(config)
    if runtime.config.limits.rate_per_minute:
        raise SystemExit("set [limits] rate_per_minute = 0: one account sends every request")
    await init_orm(runtime.config.database.url, runtime.host.model_apps())
    client = DirectClient(create_app(runtime, manage_database=False, watch_config=False))
    login = orjson.loads(await client.post(orjson.dumps({"query": LOGIN})))
    assert login.get("data"), login
    client.token = login["data"]["login"]["token"]
    _, rows = await connections.get("default").execute_query(
        'SELECT id FROM "case" ORDER BY id LIMIT 1 OFFSET 8000'
    )
    documents = {
        **DOCUMENTS,
        "node": BY_ID.replace("$ID", json.dumps(str(GlobalID("Case", str(rows[0]["id"]))))),
        "typename": "{ __typename }",
    }
    return client, documents


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=300, help="per document (nested: /10)")
    args = parser.parse_args()
    client, documents = await signed_in_client(args.config)
    tune_for_serving()
    for name, document in documents.items():
        body = orjson.dumps({"query": document})
        answer = await client.post(body)
        assert b'"errors"' not in answer, answer[:300]
        with count_statements() as log:
            await client.post(body)
        n = max(1, args.requests // 10) if name == "nested" else args.requests
        for _ in range(min(n, 5)):
            await client.post(body)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            await client.post(body)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(json.dumps({
            "document": name, "bytes": len(answer), "statements": log.count, "requests": n,
            "cpu_ms": round(cpu / n * 1000, 3), "wall_ms": round(wall / n * 1000, 3),
        }))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
