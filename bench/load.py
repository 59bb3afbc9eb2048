"""Loading a server for a bounded time: ``wrk`` with a generated Lua script (POST bodies, a
weighted mix, GraphQL errors counted), or a Python fallback when ``wrk`` is missing; and the
server's CPU time and memory from /proc."""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from bench.workloads import TITLE_MARK

WRK = shutil.which("wrk")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Prepared:
    """A request ready to send: body bytes and headers, with a weight in the mix."""

    body: bytes
    headers: dict[str, str]
    weight: float
    write: bool


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def wait_idle(pid: int, seconds: float = 30) -> None:
    """Wait until a server stops using CPU: it may still be working on requests the load
    generator gave up on, and that work must not slow the next target down."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.2)
        if cpu_seconds(pid) - before < 0.02:
            return


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _lua_string(text: str) -> str:
    level = "=" * 3
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def lua_script(requests: list[Prepared]) -> str:
    """A wrk script sending ``requests`` by weight; writes get a unique number in place of
    :data:`TITLE_MARK`. Non-200 answers and answers with ``"errors"`` are counted."""
    total = sum(r.weight for r in requests)
    specs = []
    cumulative = 0.0
    for r in requests:
        cumulative += r.weight / total
        headers = ", ".join(
            f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in r.headers.items()
        )
        specs.append(
            f"{{upto = {cumulative:.6f}, write = {'true' if r.write else 'false'}, "
            f"headers = {{{headers}}}, body = {_lua_string(r.body.decode())}}}"
        )
    return f"""
local specs = {{{", ".join(specs)}}}
local ready = {{}}
local counter = 0
errors = 0
local threads = {{}}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tag", thread_count)
  table.insert(threads, thread)
end

function init(args)
  tag = tag or 0
  math.randomseed(os.time() + (tag or 0))
  for i, s in ipairs(specs) do
    ready[i] = wrk.format("POST", "/graphql", s.headers, s.body)
  end
end

function request()
  local x = math.random()
  for i, s in ipairs(specs) do
    if x <= s.upto or i == #specs then
      if s.write then
        counter = counter + 1
        local n = tag .. "-" .. counter .. "-" .. math.random(1, 1000000000)
        local body = string.gsub(s.body, "{TITLE_MARK}", n)
        return wrk.format("POST", "/graphql", s.headers, body)
      end
      return ready[i]
    end
  end
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  local s = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e + s.connect + s.read + s.write + s.timeout))
end
"""


def run_wrk(
    url: str,
    requests: list[Prepared],
    seconds: float,
    connections: int,
    script_dir: Path,
    threads: int = 2,
) -> Result:
    script = script_dir / f"load-{os.getpid()}-{random.randrange(10**9)}.lua"
    script.write_text(lua_script(requests), encoding="utf-8")
    try:
        threads = min(threads, connections)
        completed = subprocess.run(
            [str(WRK), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
             "--timeout", "30s", "-s", str(script), f"{url}/graphql"],
            capture_output=True, text=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        script.unlink(missing_ok=True)
    found = re.search(
        r"BENCH requests=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+) errors=(\d+)",
        completed.stdout,
    )
    if found is None:
        raise SystemExit(f"wrk failed: {completed.stdout}\n{completed.stderr}")
    count, duration, p50, p99, errors = (int(g) for g in found.groups())
    return Result(count, duration / 1e6, p50 / 1000, p99 / 1000, errors)


async def _run_python(
    url: str, requests: list[Prepared], seconds: float, connections: int
) -> Result:
    latencies: list[float] = []
    errors = 0
    weights = [r.weight for r in requests]
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.monotonic()
        end = started + seconds

        async def one(rng: random.Random) -> None:
            nonlocal errors
            counter = 0
            while time.monotonic() < end:
                r = rng.choices(requests, weights)[0]
                body = r.body
                if r.write:
                    counter += 1
                    body = body.replace(TITLE_MARK.encode(), f"{id(rng)}-{counter}".encode())
                began = time.perf_counter()
                response = await client.post("/graphql", content=body, headers=r.headers)
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200 or "errors" in orjson.loads(response.content):
                    errors += 1

        await asyncio.gather(*(one(random.Random(i)) for i in range(connections)))
        elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies), elapsed, q[49] * 1000, q[98] * 1000, errors)


def run_load(
    url: str, requests: list[Prepared], seconds: float, connections: int, script_dir: Path
) -> Result:
    """Load ``url`` for ``seconds`` with ``connections`` connections: wrk if installed."""
    if WRK is not None:
        return run_wrk(url, requests, seconds, connections, script_dir)
    return asyncio.run(_run_python(url, requests, seconds, connections))
