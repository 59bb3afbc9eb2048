"""Benchmark: the CPU one statement costs the app for taking a pooled connection and giving it
back, on asyncpg's pool against Hemei's (core/db/pool.py), with a connection held throughout
as the floor. Sequential (one statement at a time), alternating rounds, min of the rounds.

    .venv/bin/python -m tests.benchmarks.bench_pool [--url postgres://postgres@127.0.0.1:5432/postgres]

Prints microseconds of process CPU per statement for each way, and what the checkout and
return cost on each pool (pool minus held).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable

import asyncpg
import uvloop

from core.db.pool import create_lean_pool, keep_session

STATEMENT = "SELECT 1"


async def cpu_per_call(call: Callable[[], Awaitable[object]], n: int) -> float:
    for _ in range(n // 10):  # warm-up
        await call()
    started = time.process_time()
    for _ in range(n):
        await call()
    return (time.process_time() - started) / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--statements", type=int, default=4000, help="per round and way")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    # Both pools without the session reset, so only the checkout and return differ.
    stock = await asyncpg.create_pool(args.url, min_size=2, max_size=2, reset=keep_session)
    lean = await create_lean_pool(args.url, min_size=2, max_size=2)
    held = await asyncpg.connect(args.url)

    def through(pool: asyncpg.Pool) -> Callable[[], Awaitable[object]]:
        async def call() -> object:
            async with pool.acquire() as connection:
                return await connection.fetchval(STATEMENT)

        return call

    async def on_held() -> object:
        return await held.fetchval(STATEMENT)

    ways = {"asyncpg's pool": through(stock), "Hemei's pool": through(lean), "held": on_held}
    figures: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, call in ways.items():
            figures[name].append(await cpu_per_call(call, args.statements))
    best = {name: min(values) for name, values in figures.items()}
    for name, value in best.items():
        print(f"{name:16s} {value:7.1f} µs CPU a statement")
    for name in ("asyncpg's pool", "Hemei's pool"):
        print(f"checkout and return on {name}: {best[name] - best['held']:.1f} µs")
    await held.close()
    await stock.close()
    await lean.close()


if __name__ == "__main__":
    uvloop.run(main())
