"""PostgreSQL goes away under load and comes back: a real ``hemei`` server reaches the database
through a TCP proxy that the test cuts (open connections reset, new ones refused) and restores.

While it is down every request fails cleanly: ``DATABASE_UNAVAILABLE`` (masked, no traceback),
never a 500, within a bounded time, and ``/healthz`` answers 503. Once it is back the service
recovers by itself (no restart) and every write that was answered as committed is there.
PostgreSQL only: SQLite is a file, there is no server to lose.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from core.cases.models import Case
from tests.cases.test_ladder_api import gid, xinhong_compound
from tests.conftest import database_kind
from tests.faults.proxy import proxied
from tests.support.configs import TEST_CONFIG
from tests.support.server import clean_env, free_port, running

ROOT = Path(__file__).resolve().parents[2]
REQUEST_TIMEOUT = 10.0
"""No request may take longer than this, outage or not."""
DOWN_SECONDS = 2.0

pytestmark = pytest.mark.skipif(
    database_kind() != "postgres",
    reason="needs PostgreSQL (HEMEI_TEST_DATABASE=postgres): SQLite has no server to lose",
)

REPORT = """mutation($i: ReportCaseInput!) { reportCase(input: $i) { id title } }"""
READ = "{ cases(first: 5) { totalCount edges { node { id title } } } }"


@dataclass
class Outcome:
    phase: str
    kind: str
    status: int
    seconds: float
    codes: list[str | None]
    body: str
    title: str | None = None
    committed: bool = False


@dataclass
class Load:
    base: str
    token: str
    compound: str
    phase: str = "before"
    outcomes: list[Outcome] = field(default_factory=list)
    titles: Any = field(default_factory=lambda: itertools.count())

    async def worker(self, client: httpx.AsyncClient, stop: asyncio.Event, index: int) -> None:
        while not stop.is_set():
            if index % 2 == 0:
                await self.write(client)
            else:
                await self.request(client, "read", {"query": READ})
            await asyncio.sleep(0.02)

    async def write(self, client: httpx.AsyncClient) -> None:
        title = f"断库测试{next(self.titles)}"
        variables = {"i": {"title": title, "category": "property_management",
                           "compoundId": self.compound}}  # fmt: skip
        outcome = await self.request(client, "write", {"query": REPORT, "variables": variables})
        outcome.title = title
        try:
            outcome.committed = bool(
                httpx.Response(200, text=outcome.body).json()["data"]["reportCase"]
            )
        except (ValueError, KeyError, TypeError):
            outcome.committed = False

    async def request(
        self, client: httpx.AsyncClient, kind: str, payload: dict[str, Any]
    ) -> Outcome:
        phase, started = self.phase, time.monotonic()
        response = await client.post(
            f"{self.base}/graphql",
            json=payload,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=REQUEST_TIMEOUT,
        )
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            errors = [{"extensions": {"code": f"not JSON: {response.text[:80]!r}"}}]
        # A request in flight when the proxy is cut counts as one made while it was down.
        phase = "down" if phase == "before" and self.phase != "before" else phase
        outcome = Outcome(phase, kind, response.status_code, time.monotonic() - started,
                          [(e.get("extensions") or {}).get("code") for e in errors],
                          response.text)  # fmt: skip
        self.outcomes.append(outcome)
        return outcome


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = f"{netloc[0]}@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


# The server uses the run's database (migrated and seeded by ``orm``), with its own jobs slowed
# down so that it changes nothing but the cases this test reports.
SERVER_CONFIG = (
    TEST_CONFIG
    + '\n[security]\nsecret_key = "database-outage-test-key-0123456789"\n'
    + "\n[cases]\njobs_interval_seconds = 3600\n\n[assessment]\nscheduled = false\n"
)


async def test_postgres_away_under_load_fails_cleanly_and_recovers(
    tmp_path, orm, kernel_plugin_site, capsys
):
    database_url = orm
    real = urlsplit(database_url)
    with proxied(real.hostname or "127.0.0.1", real.port or 5432) as proxy:
        env = clean_env(
            HEMEI_DATABASE_URL=_through(database_url, proxy.port),
            PYTHONPATH=f"{kernel_plugin_site}:{ROOT}",
        )
        config = tmp_path / "hemei.toml"
        config.write_text(SERVER_CONFIG, encoding="utf-8")
        with running(["serve", "--config", str(config)], tmp_path, env, free_port()) as base:
            async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
                load = await _load_for(client, base)
                stop = asyncio.Event()
                workers = [asyncio.create_task(load.worker(client, stop, i)) for i in range(6)]
                await asyncio.sleep(1.0)
                load.phase = "down"
                proxy.cut()
                await asyncio.sleep(0.3)
                health_down = (await client.get(f"{base}/healthz")).status_code
                await asyncio.sleep(DOWN_SECONDS)
                proxy.restore()
                load.phase = "back"
                recovered_after = await _until_recovered(load)
                load.phase = "after"
                await asyncio.sleep(1.0)
                stop.set()
                await asyncio.gather(*workers)
                health_after = (await client.get(f"{base}/healthz")).status_code
    outcomes = load.outcomes
    by_phase = Counter(
        (o.phase, "ok" if not o.codes else ",".join(sorted({str(c) for c in o.codes})))
        for o in outcomes
    )
    with capsys.disabled():
        statuses = dict(Counter(o.status for o in outcomes))
        print(f"\noutage: {len(outcomes)} requests, {dict(by_phase)}, HTTP {statuses}; "
              f"recovered {recovered_after:.2f} s after restore; slowest "
              f"{max(o.seconds for o in outcomes):.2f} s", end="")  # fmt: skip

    assert health_down == 503 and health_after == 200
    assert all(o.status in (200, 503) and "Traceback" not in o.body for o in outcomes), [
        (o.status, o.body[:300])
        for o in outcomes
        if o.status not in (200, 503) or "Traceback" in o.body
    ][:3]
    assert max(o.seconds for o in outcomes) < REQUEST_TIMEOUT
    failed = [o for o in outcomes if o.codes]
    assert failed, "the outage was noticed"
    assert all(set(o.codes) == {"DATABASE_UNAVAILABLE"} for o in failed), [
        (o.phase, o.status, o.body[:300])
        for o in failed
        if set(o.codes) != {"DATABASE_UNAVAILABLE"}
    ][:5]
    assert all(not o.codes for o in outcomes if o.phase in ("before", "after")), [
        (o.phase, o.kind, o.status, o.body[:300])
        for o in outcomes
        if o.codes and o.phase in ("before", "after")
    ][:5]
    assert any(not o.codes for o in outcomes if o.phase == "after"), "it serves again"

    committed = {o.title for o in outcomes if o.kind == "write" and o.committed and o.title}
    stored = set(await Case.filter(title__startswith="断库测试").values_list("title", flat=True))
    assert committed <= stored, f"lost committed writes: {sorted(committed - stored)[:5]}"


async def _load_for(client: httpx.AsyncClient, base: str) -> Load:
    login = await client.post(
        f"{base}/graphql",
        json={"query": 'mutation { login(username: "resident_xinhong", password: "hemei-demo") '
              "{ token } }"},
    )  # fmt: skip
    compound = await xinhong_compound()
    return Load(base, login.json()["data"]["login"]["token"], gid("Compound", compound.id))


async def _until_recovered(load: Load) -> float:
    """Seconds from restore until a write succeeds again (at most 15)."""
    restored = time.monotonic()
    seen = len(load.outcomes)
    while time.monotonic() - restored < 15:
        if any(o.kind == "write" and not o.codes for o in load.outcomes[seen:]):
            return time.monotonic() - restored
        await asyncio.sleep(0.05)
    raise AssertionError("the service did not recover within 15 s of the database coming back")
