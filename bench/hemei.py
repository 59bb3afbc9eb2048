"""Starting Hemei for a benchmark and logging in: shared by ``python -m bench`` and the worker
benchmark (tests/benchmarks/bench_workers.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

HEMEI = str(Path(sys.executable).parent / "hemei")
DEMO_PASSWORD = "hemei-demo"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"

# Production settings, except the rate limits: a handful of accounts send all the load, which is
# what is measured. The key only signs the benchmark's own tokens.
BENCH_SETTINGS = """\
[security]
secret_key = "hemei-bench-not-a-secret-0123456789abcdef"
[server]
production = true
[limits]
rate_per_minute = 0
anonymous_rate_per_minute = 0
"""


async def login(client: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """A bearer token of a demo login."""
    body = (
        await client.post("/graphql", json={"query": LOGIN, "variables": {"u": username,
                                                                          "p": password}})
    ).json()  # fmt: skip
    if not body.get("data") or not body["data"].get("login"):
        raise SystemExit(f"cannot log in as {username}: {body.get('errors')}")
    return str(body["data"]["login"]["token"])


def wait_ready(
    url: str, process: subprocess.Popen[bytes], seconds: float = 120, *, post: bool = False
) -> None:
    """Wait until ``url`` answers 200 (``post``: to a trivial GraphQL query), or stop
    ``process`` and fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server behind {url} exited with {process.returncode}")
        try:
            response = (
                httpx.post(url, json={"query": "{ __typename }"}, timeout=2)
                if post
                else httpx.get(url, timeout=1)
            )
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server behind {url} did not start")


def serve(
    config: Path,
    env: dict[str, str],
    workers: int,
    port: int,
    *,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """``hemei serve`` on loopback, started and ready. With one worker the returned process is
    the server itself (its CPU and memory are what the benchmark reads)."""
    output = subprocess.DEVNULL if log is None else log.open("ab")
    process = subprocess.Popen(
        [HEMEI, "serve", "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_ready(f"http://127.0.0.1:{port}/readyz", process)
    return process
