"""Benchmark: the server's CPU a request, served, for builds side by side.

    # after `python -m bench` has loaded the city into hemei_bench and written its config:
    .venv/bin/python -m tests.benchmarks.bench_served_cpu node --tree . --tree /tmp/other

For each ``--tree`` (a checkout of Hemei; ``.`` is this one), in alternating rounds: starts
``hemei serve`` on the harness's database and config with that tree first on ``PYTHONPATH``,
logs in, warms up, loads it with wrk (10 connections) for ``--seconds`` with one of the
harness's workloads, and reads the server process's CPU time (``/proc/<pid>/stat``, user +
system) before and after. Prints requests/s and CPU µs a request per round, then each tree's
median and its ratio to the first tree's.

Why: on a 2-core machine shared with the load generator and PostgreSQL, requests/s of one
build moves ±10 % between runs, and a change of a few per cent is lost in it. The server's
own CPU per request moves about ±3 %: it is how the access line's cost was found
(docs/benchmarks.md, twelfth session). Needs wrk. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from pathlib import Path

from bench import hemei
from bench.load import WRK, cpu_seconds, run_wrk, wait_idle
from bench.run import free_port, hemei_env, log_in, prepared, read_fixture
from bench.workloads import workloads

DATABASE = "hemei_bench"
PG = "postgres://postgres@127.0.0.1:5432"


def measure(
    tree: Path, config: Path, workload: str, seconds: float, log: Path
) -> tuple[float, float]:
    """Requests/s and server CPU µs a request of one served run of ``tree``."""
    env = hemei_env(f"{PG}/{DATABASE}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    port = free_port()
    server = hemei.serve(config, env, 1, port, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        tokens = asyncio.run(log_in(url))
        fixture = asyncio.run(read_fixture(DATABASE))
        requests = prepared(workloads(fixture)[workload].hemei, tokens)
        run_wrk(url, requests, 3, 10, log.parent, threads=1)  # warm-up
        wait_idle(server.pid)
        before = cpu_seconds(server.pid)
        result = run_wrk(url, requests, seconds, 10, log.parent, threads=1)
        used = cpu_seconds(server.pid) - before
        if result.errors:
            raise SystemExit(f"{tree}: {result.errors} errors under load (see {log})")
        return result.rate, used / result.requests * 1e6
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", help="a harness workload: node, cases100, nested, ...")
    parser.add_argument("--tree", type=Path, action="append", required=True,
                        help="a checkout of Hemei to serve (repeat to compare)")  # fmt: skip
    parser.add_argument("--config", type=Path, default=Path("bench/.work/hemei.toml"))
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if WRK is None:
        raise SystemExit("needs wrk (apt-get install wrk)")
    if not args.config.exists():
        raise SystemExit(f"no {args.config}: run `python -m bench` once first")
    trees = [tree.resolve() for tree in args.tree]
    found: dict[Path, list[float]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        for round_ in range(1, args.rounds + 1):
            for tree in trees:
                rate, cpu = measure(tree, args.config.resolve(), args.workload, args.seconds, log)
                found[tree].append(cpu)
                print(f"round {round_}  {tree}: {rate:8.1f} req/s  {cpu:7.1f} µs CPU a request",
                      flush=True)  # fmt: skip
    first = statistics.median(found[trees[0]])
    for tree in trees:
        median = statistics.median(found[tree])
        print(f"median  {tree}: {median:7.1f} µs CPU a request  ({median / first:.3f}× the first)")


if __name__ == "__main__":
    main()
