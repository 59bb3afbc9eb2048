"""Benchmark: a read-heavy mix against `hemei serve` with 1 and with 2 worker processes.

    .venv/bin/python -m tests.benchmarks.bench_workers [--seconds 20] [--clients 16]

Needs PostgreSQL (postgres://postgres@127.0.0.1:5432) and Redis (redis://127.0.0.1:6379).
Makes a scratch database, loads the demo data, then for each worker count starts the server,
warms up, and has ``--clients`` concurrent clients send, for ``--seconds``, a mix of 80 %
reads (the districts with their modules, a grid worker's case list, a case by id) and 20 %
writes (a resident reports a case). Prints requests/s, p50 and p99 latency per worker count and
the ratio. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.hemei import login, serve

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
READS = [
    "{ districts { code name modules { name enabled } } }",
    "{ cases(first: 20) { totalCount edges { node { id title status level } } } }",
]
REPORT = """mutation($t: String!) { reportCase(input: {title: $t, category: "sanitation",
  lon: 130.25, lat: 47.31}) { id } }"""


async def load(base: str, seconds: float, clients: int) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        worker = {"Authorization": f"Bearer {await login(http, 'xinhong_grid1')}"}
        resident = {"Authorization": f"Bearer {await login(http, 'resident_xinhong')}"}
        end = time.monotonic() + seconds

        async def one(rng: random.Random) -> None:
            nonlocal errors
            while time.monotonic() < end:
                roll = rng.random()
                if roll < 0.2:
                    body = {"query": REPORT, "variables": {"t": f"bench {rng.random()}"}}
                    headers = resident
                else:
                    body, headers = {"query": READS[int(roll * 10) % 2]}, worker
                started = time.perf_counter()
                response = await http.post("/graphql", json=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or "errors" in response.json():
                    errors += 1

        await asyncio.gather(*(one(random.Random(i)) for i in range(clients)))
    return len(latencies), latencies, errors


def load_demo_data(config: Path, database_url: str) -> None:
    from core.demo.loader import load_demo
    from core.runtime import start_runtime

    os.environ["HEMEI_DATABASE_URL"] = database_url
    asyncio.run(load_demo(start_runtime(config)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    import asyncpg

    name = f"hemei_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://", 1))
        await conn.execute(sql)
        await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = Path(folder) / "hemei.toml"
            # Rate limits off: two accounts send everything, which is what is measured here.
            config.write_text('[security]\nsecret_key = "bench"\n[cluster]\n'
                              'redis_url = "redis://127.0.0.1:6379/14"\n'
                              '[limits]\nrate_per_minute = 0\nanonymous_rate_per_minute = 0\n',
                              encoding="utf-8")  # fmt: skip
            env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_")}
            env["HEMEI_DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            load_demo_data(config, env["HEMEI_DATABASE_URL"])
            results = {}
            for workers in (1, 2):
                port = 18000 + workers
                process = serve(config, env, workers, port)
                try:
                    asyncio.run(load(f"http://127.0.0.1:{port}", 3, args.clients))  # warm-up
                    count, latencies, errors = asyncio.run(
                        load(f"http://127.0.0.1:{port}", args.seconds, args.clients)
                    )
                finally:
                    process.terminate()
                    process.wait(timeout=30)
                rate = count / args.seconds
                q = statistics.quantiles(latencies, n=100)
                results[workers] = rate
                print(f"{workers} worker(s): {rate:.1f} req/s, p50 {q[49] * 1000:.0f} ms, "
                      f"p99 {q[98] * 1000:.0f} ms, errors {errors}")  # fmt: skip
            print(f"2 workers / 1 worker: {results[2] / results[1]:.2f}x")
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
