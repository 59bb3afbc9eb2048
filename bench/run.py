"""``python -m bench``: Hemei against PostGraphile 5 and a hand-written SQL ceiling.

    .venv/bin/python -m bench [--seconds 7] [--rounds 3] [--workloads nested,cases100,node,
        dashboard,mix] [--reuse] [--sqlite] [--no-postgraphile] [--json out.json]

1. Loads the city-scale demo into the PostgreSQL database ``hemei_bench`` (dropped and made
   again unless ``--reuse`` finds it loaded; with ``--sqlite`` also a SQLite file).
2. Starts Hemei (production settings, rate limits off), PostGraphile 5 (Node 22 and the npm
   packages installed into bench/.work on first run) and the ceiling (bench/ceiling.py) on
   loopback, each first behind a statement-counting relay (bench/pgcount.py) to check that
   they answer every workload with the same data and to count SQL statements per request;
   then again directly for the timing.
3. Loads each target with wrk (10 connections), alternating targets round by round, and
   prints req/s, p50, p99, server CPU per request, SQL statements per request, server RSS and
   the ratios to PostGraphile and to the ceiling.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from bench import hemei, postgraphile
from bench.load import WRK, Prepared, Result, cpu_seconds, rss_mb, run_load, wait_idle
from bench.pgcount import StatementCounter
from bench.workloads import (
    LOGINS,
    TITLE_MARK,
    Fixture,
    Request,
    Workload,
    first_difference,
    normalise,
    workloads,
)

WORK = Path(__file__).resolve().parent / ".work"
ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "core" / "demo" / "hemei.demo.toml"
PG = "postgresql://postgres@127.0.0.1:5432"
HEMEI, POSTGRAPHILE, CEILING = "hemei", "postgraphile", "ceiling"
HEMEI_SQLITE, CEILING_SQLITE = "hemei-sqlite", "ceiling-sqlite"
SQLITE_FILE = WORK / "hemei_bench.sqlite3"
SQLITE_CEILING_WORKLOADS = {"nested", "cases100", "node"}
"""What the SQLite ceiling answers (reads); on SQLite the other workloads run on Hemei alone."""
CHECK_REQUESTS = 5
"""Requests per workload and target whose statements are counted (after the warm-up)."""
WARM_UP_REQUESTS = 3
"""Requests before the counted ones: a pool opens its connections as statements first need
them, and a new connection's own set-up (asyncpg's type introspection) is not a request's."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_config(path: Path) -> Path:
    """The demo config (districts, modules, plugins) with the benchmark's settings instead of
    its [database] and [server] sections; the database comes from HEMEI_DATABASE_URL."""
    kept, skipping = [], False
    for line in DEMO_CONFIG.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            skipping = line.strip() in ("[database]", "[server]")
        if not skipping:
            kept.append(line)
    path.write_text(hemei.BENCH_SETTINGS + "\n".join(kept) + "\n", encoding="utf-8")
    return path


def hemei_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_")}
    env["HEMEI_DATABASE_URL"] = database_url
    return env


def load_demo(config: Path, database_url: str) -> None:
    started = time.monotonic()
    print(f"Loading the city-scale demo into {database_url} ...", flush=True)
    subprocess.run(
        [hemei.HEMEI, "demo", "--scale", "city", "--no-serve", "--config", str(config)],
        env=hemei_env(database_url), check=True, cwd=WORK, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    print(f"  loaded in {time.monotonic() - started:.0f} s", flush=True)


async def prepare_postgres(name: str, config: Path, reuse: bool) -> None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and reuse:
            probe = await asyncpg.connect(f"{PG}/{name}")
            try:
                loaded = await probe.fetchval(
                    "SELECT to_regclass('district') IS NOT NULL AND "
                    "(SELECT count(*) FROM grid) > 700"
                )
            except asyncpg.PostgresError:
                loaded = False
            finally:
                await probe.close()
            if loaded:
                print(f"Reusing the loaded database {name}.", flush=True)
                return
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    await asyncio.to_thread(load_demo, config, f"{PG.replace('postgresql', 'postgres')}/{name}")


async def analyze(name: str, sqlite: bool) -> None:
    """Fresh planner statistics after the load, so every target gets the same plans."""
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    if sqlite:
        with contextlib.closing(sqlite3.connect(SQLITE_FILE)) as db, db:
            db.execute("ANALYZE")


async def settle(name: str, seconds: float = 30) -> None:
    """Wait until the database has no statement running: a server keeps working on requests a
    load generator gave up on, and that work must not be billed to the next target."""
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            busy = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                name,
            )
            if not busy:
                return
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


def prepare_sqlite(config: Path, reuse: bool) -> None:
    if reuse and SQLITE_FILE.exists():
        with contextlib.closing(sqlite3.connect(SQLITE_FILE)) as db:
            try:
                loaded = db.execute("SELECT count(*) FROM grid").fetchone()[0] > 700
            except sqlite3.Error:
                loaded = False
        if loaded:
            print(f"Reusing the loaded SQLite file {SQLITE_FILE}.", flush=True)
            return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    load_demo(config, f"sqlite://{SQLITE_FILE}")


_FIXTURE_CASE = 'SELECT id FROM "case" ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM "case")'
# The grid of the resident who reports in the mix (resident_xinhong lives there).
_FIXTURE_GRID = (
    "SELECT g.id, g.street_id, g.community_id, g.district_id FROM grid g "
    "JOIN district d ON d.id = g.district_id WHERE d.code = 'gongnong' "
    "ORDER BY g.code <> 'xinhong-g1', g.id LIMIT 1"
)


def read_sqlite_fixture() -> Fixture:
    with contextlib.closing(sqlite3.connect(SQLITE_FILE)) as db:
        case_id = db.execute(_FIXTURE_CASE).fetchone()[0]
        grid = db.execute(_FIXTURE_GRID).fetchone()
    return Fixture(case_id, *grid)


async def read_fixture(name: str) -> Fixture:
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        case_id = await conn.fetchval(_FIXTURE_CASE)
        grid = await conn.fetchrow(_FIXTURE_GRID)
    finally:
        await conn.close()
    return Fixture(case_id, grid["id"], grid["street_id"], grid["community_id"],
                   grid["district_id"])  # fmt: skip


@dataclass
class Target:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    counter: StatementCounter | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Cell:
    """The figures of one workload on one target."""

    rounds: list[Result] = field(default_factory=list)
    cpu_seconds: float = 0.0
    statements: float | None = None

    def summary(self) -> dict[str, Any]:
        requests = sum(r.requests for r in self.rounds)
        # A round in which no request finished (each took longer than the round) has no rate.
        done = [r for r in self.rounds if r.requests]
        rates = [r.rate for r in done]
        return {
            "req_s": statistics.median(rates) if rates else None,
            "p50_ms": statistics.median(r.p50_ms for r in done) if done else None,
            "p99_ms": statistics.median(r.p99_ms for r in done) if done else None,
            "cpu_ms_per_request": 1000 * self.cpu_seconds / requests if requests else None,
            "sql_per_request": self.statements,
            "errors": sum(r.errors for r in self.rounds),
            "requests": requests,
            "rounds": [asdict(r) for r in self.rounds],
        }


def start_ceiling(url: str, port: int, leaf: str, log: Path) -> subprocess.Popen[bytes]:
    source = (
        ["--sqlite", url.removeprefix("sqlite://")]
        if url.startswith("sqlite://")
        else ["--dsn", url.replace("postgres://", "postgresql://", 1)]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.ceiling", *source, "--port", str(port), "--leaf", leaf],
        cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    hemei.wait_ready(f"http://127.0.0.1:{port}/readyz", process)
    return process


def start_targets(
    names: list[str], database: str, config: Path, leaf: str, counted: bool
) -> Callable[[], Any]:
    """A coroutine function starting the targets (behind counting relays when ``counted``)."""

    async def start() -> dict[str, Target]:
        started: dict[str, Target] = {}
        try:
            for name in names:
                sqlite = name in (HEMEI_SQLITE, CEILING_SQLITE)
                # SQLite has no wire protocol to count statements on.
                counter = StatementCounter() if counted and not sqlite else None
                db_port = await counter.start() if counter else 5432
                url = f"postgres://postgres@127.0.0.1:{db_port}/{database}"
                if sqlite:
                    url = f"sqlite://{SQLITE_FILE}"
                port = free_port()
                log = WORK / f"{name}.log"
                if name in (HEMEI, HEMEI_SQLITE):
                    process = await asyncio.to_thread(
                        hemei.serve, config, hemei_env(url), 1, port, log=log
                    )
                elif name == POSTGRAPHILE:
                    process = await asyncio.to_thread(postgraphile.serve, WORK, url, port, log)
                else:
                    process = await asyncio.to_thread(start_ceiling, url, port, leaf, log)
                started[name] = Target(name, f"http://127.0.0.1:{port}", process, counter)
        except BaseException:
            for target in started.values():
                target.stop()
            raise
        return started

    return start


@dataclass
class Plan:
    """The workloads as each database's targets send them (ids differ between databases)."""

    postgres: dict[str, Workload]
    sqlite: dict[str, Workload] = field(default_factory=dict)

    def requests(self, workload: str, target: str) -> tuple[Request, ...] | None:
        if target == POSTGRAPHILE:
            return self.postgres[workload].postgraphile
        if target in (HEMEI, CEILING):
            return self.postgres[workload].hemei
        if target == CEILING_SQLITE and workload not in SQLITE_CEILING_WORKLOADS:
            return None
        return self.sqlite[workload].hemei


def reference(target: str) -> str:
    """The target whose answers another's must match: Hemei on the same database."""
    return HEMEI_SQLITE if target in (HEMEI_SQLITE, CEILING_SQLITE) else HEMEI


def peer_ceiling(target: str) -> str:
    return CEILING_SQLITE if target in (HEMEI_SQLITE, CEILING_SQLITE) else CEILING


def prepared(requests: tuple[Request, ...], tokens: dict[str, str]) -> list[Prepared]:
    return [
        Prepared(orjson.dumps(r.body), {"Content-Type": "application/json",
                                        "Authorization": f"Bearer {tokens[r.role]}"},
                 r.weight, r.write)
        for r in requests
    ]  # fmt: skip


async def _send(client: httpx.AsyncClient, target: Target, request: Prepared) -> Any:
    body = request.body
    if request.write:
        body = body.replace(TITLE_MARK.encode(), f"check {time.time_ns()}".encode())
    response = await client.post(f"{target.url}/graphql", content=body, headers=request.headers)
    answer = response.json()
    if response.status_code != 200 or answer.get("errors") or answer.get("data") is None:
        raise SystemExit(
            f"{target.name} answered {response.status_code}: {response.text[:600]}\n"
            f"to {request.body[:300]!r}"
        )
    return answer["data"]


async def check(
    targets: dict[str, Target], plan: Plan, tokens: dict[str, Any],
    cells: dict[tuple[str, str], Cell],
) -> None:  # fmt: skip
    """Fail loudly unless every target answers every read with the same data; count the
    statements each sends per request."""
    async with httpx.AsyncClient(timeout=120) as client:
        writes: list[tuple[str, str, Prepared, float]] = []
        for workload in plan.postgres.values():
            answers: dict[str, Any] = {}
            for name, target in targets.items():
                requests = plan.requests(workload.name, name)
                if requests is None:
                    continue
                counts = []
                for request in prepared(requests, tokens[reference(name)]):
                    if request.write:
                        writes.append((workload.name, name, request, request.weight))
                        continue
                    answer = await _send(client, target, request)  # warm-up, and the answer
                    answers.setdefault(name, []).append(normalise(answer))
                    for _ in range(WARM_UP_REQUESTS - 1):
                        await _send(client, target, request)
                    if target.counter is None:
                        continue
                    before = target.counter.statements
                    for _ in range(CHECK_REQUESTS):
                        await _send(client, target, request)
                    counts.append(
                        ((target.counter.statements - before) / CHECK_REQUESTS, request.weight)
                    )
                if target.counter is not None:
                    cells[(workload.name, name)].statements = sum(c * w for c, w in counts)
            if workload.check:
                for name, answer in answers.items():
                    expected = answers[reference(name)]
                    if not any(expected):
                        raise SystemExit(f"{workload.name}: {name}'s answer is empty: {answer}")
                    difference = first_difference(expected, answer)
                    if difference:
                        raise SystemExit(
                            f"{workload.name}: {name}'s answer differs from "
                            f"{reference(name)}'s at {difference}"
                        )
                print(f"  {workload.name}: same data from {', '.join(answers)}", flush=True)
        # Writes last: a case made earlier would change the other targets' newest cases.
        for workload_name, name, request, weight in writes:
            target = targets[name]
            before = target.counter.statements if target.counter else 0
            for _ in range(CHECK_REQUESTS):
                await _send(client, target, request)
            if target.counter is None:
                print(f"  {workload_name}: {name}'s write works")
                continue
            per_request = (target.counter.statements - before) / CHECK_REQUESTS
            cell = cells[(workload_name, name)]
            cell.statements = (cell.statements or 0) + per_request * weight
            print(f"  {workload_name}: {name}'s write works ({per_request:.1f} statements)")


async def detect_leaf(url: str, token: str) -> str:
    """``cases`` when Hemei has ``Grid.cases``, else ``compounds`` (the nested read's leaf)."""
    from bench.workloads import nested_hemei

    async with httpx.AsyncClient(timeout=120) as client:
        headers = {"Authorization": f"Bearer {token}"}
        body = {"query": nested_hemei("cases")}
        answer = (await client.post(f"{url}/graphql", json=body, headers=headers)).json()
    errors = answer.get("errors") or []
    return "compounds" if any('"cases" on type "Grid"' in e["message"] for e in errors) else "cases"


async def log_in(url: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        return {role: await hemei.login(client, username) for role, username in LOGINS.items()}


def print_table(chosen: dict[str, Workload], cells: dict[tuple[str, str], Cell]) -> None:
    header = (f"{'workload':<10} {'target':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'CPU ms/req':>10} {'SQL/req':>8} {'errors':>6} {'×PostGraphile':>13} "
              f"{'×ceiling':>9}")  # fmt: skip
    print("\n" + header + "\n" + "-" * len(header))
    for workload in chosen.values():
        rates = {t: cells[(w, t)].summary()["req_s"] for (w, t) in cells if w == workload.name}
        for (w, t), cell in cells.items():
            if w != workload.name or not cell.rounds:
                continue
            s = cell.summary()
            if s["req_s"] is None:
                seconds = max(r.seconds for r in cell.rounds)
                print(f"{w:<10} {t:<14} no request finished within a {seconds:.0f} s round "
                      "(raise --seconds)")  # fmt: skip
                continue

            def ratio(peer: str, s: dict[str, Any] = s, rates: dict[str, Any] = rates) -> str:
                other = rates.get(peer)
                return f"{s['req_s'] / other:.2f}" if other else "—"

            cpu = s["cpu_ms_per_request"]
            sql = s["sql_per_request"]
            versus_peer = "—" if reference(t) == HEMEI_SQLITE else ratio(POSTGRAPHILE)
            print(f"{w:<10} {t:<14} {s['req_s']:>8.1f} {s['p50_ms']:>8.1f} {s['p99_ms']:>8.1f} "
                  f"{'—' if cpu is None else f'{cpu:.2f}':>10} "
                  f"{'—' if sql is None else f'{sql:.1f}':>8} {s['errors']:>6} "
                  f"{versus_peer:>13} {ratio(peer_ceiling(t)):>9}")  # fmt: skip
        if workload.notes:
            print(f"{'':<10} note: {workload.notes}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=7, help="per round (default 7)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--workloads", default="nested,cases100,node,dashboard,mix")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--database", default="hemei_bench", help="PostgreSQL database")
    parser.add_argument("--reuse", action="store_true", help="keep already loaded data")
    parser.add_argument("--sqlite", action="store_true", help="also Hemei on SQLite")
    parser.add_argument("--no-postgraphile", action="store_true", help="skip PostGraphile")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    config = bench_config(WORK / "hemei.toml")
    names = [HEMEI] + ([] if args.no_postgraphile else [POSTGRAPHILE]) + [CEILING]
    if args.sqlite:
        names += [HEMEI_SQLITE, CEILING_SQLITE]
    if POSTGRAPHILE in names:
        postgraphile.install(WORK)
    asyncio.run(prepare_postgres(args.database, config, args.reuse))
    if args.sqlite:
        prepare_sqlite(config, args.reuse)
    asyncio.run(analyze(args.database, args.sqlite))
    fixture = asyncio.run(read_fixture(args.database))
    sqlite_fixture = read_sqlite_fixture() if args.sqlite else fixture
    wanted = args.workloads.split(",")
    unknown = set(wanted) - set(workloads(fixture))
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")

    def plan_for(leaf: str) -> Plan:
        return Plan(
            {n: w for n, w in workloads(fixture, leaf).items() if n in wanted},
            {n: w for n, w in workloads(sqlite_fixture, leaf).items() if n in wanted},
        )

    cells: dict[tuple[str, str], Cell] = {}
    tokens: dict[str, dict[str, str]] = {}

    async def checking() -> tuple[str, Plan]:
        print("Checking the answers (servers behind statement-counting relays) ...", flush=True)
        leaf = "cases"
        targets = await start_targets(names, args.database, config, leaf, True)()
        try:
            for hemei_target in (HEMEI, HEMEI_SQLITE):
                if hemei_target in targets:
                    tokens[hemei_target] = await log_in(targets[hemei_target].url)
            leaf = await detect_leaf(targets[HEMEI].url, tokens[HEMEI]["city"])
            if leaf != "cases":
                print("  Hemei has no Grid.cases yet: the nested read fetches compounds")
                for name in (CEILING, CEILING_SQLITE):
                    if name in targets:
                        targets.pop(name).stop()
                        targets.update(
                            await start_targets([name], args.database, config, leaf, True)()
                        )
            plan = plan_for(leaf)
            for name in names:
                for w in plan.postgres:
                    if plan.requests(w, name) is not None:
                        cells[(w, name)] = Cell()
            await check(targets, plan, tokens, cells)
        finally:
            for target in targets.values():
                target.stop()
                if target.counter is not None:
                    await target.counter.close()
        return leaf, plan

    leaf, plan = asyncio.run(checking())
    targets = asyncio.run(start_targets(names, args.database, config, leaf, False)())
    rss: dict[str, float] = {}
    try:
        loads = {
            w: {t: prepared(r, tokens[reference(t)]) for t in names
                if (r := plan.requests(w, t)) is not None}
            for w in plan.postgres
        }  # fmt: skip
        print("Warming up ...", flush=True)
        for by_target in loads.values():
            for name, requests in by_target.items():
                run_load(targets[name].url, requests, 2, args.connections, WORK)
                asyncio.run(settle(args.database))
                wait_idle(targets[name].process.pid)
        for round_number in range(1, args.rounds + 1):
            print(f"Round {round_number} of {args.rounds} ...", flush=True)
            for workload_name, by_target in loads.items():
                for name, requests in by_target.items():
                    pid = targets[name].process.pid
                    cpu = cpu_seconds(pid)
                    result = run_load(targets[name].url, requests, args.seconds,
                                      args.connections, WORK)  # fmt: skip
                    # CPU over the load's window only: the window its requests are counted in.
                    cpu = cpu_seconds(pid) - cpu
                    asyncio.run(settle(args.database))
                    wait_idle(pid)
                    cell = cells[(workload_name, name)]
                    cell.cpu_seconds += cpu
                    cell.rounds.append(result)
        rss = {name: rss_mb(target.process.pid) for name, target in targets.items()}
    finally:
        for target in targets.values():
            target.stop()

    if args.json:
        args.json.write_text(json.dumps({
            "settings": {k: str(v) for k, v in vars(args).items()},
            "fixture": asdict(fixture),
            "leaf": leaf,
            "rss_mb": rss,
            "results": {f"{w}/{t}": cell.summary() for (w, t), cell in cells.items()},
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    print_table(plan.postgres, cells)
    print("\nServer RSS after the run: "
          + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()))  # fmt: skip
    print(
        "SQL/req: statements (simple Query + extended Execute messages, transaction control and "
        f"pool resets included) counted by a relay over {CHECK_REQUESTS} requests after a "
        "warm-up; none on SQLite."
    )
    print(
        f"{args.connections} connections, {args.rounds} round(s) of {args.seconds:g} s, "
        f"{'wrk' if WRK else 'Python'} load; nested leaf: {leaf}; "
        f"total {time.monotonic() - started:.0f} s"
    )
    if args.json:
        print(f"Wrote {args.json}")
