"""Two Hemei processes on one PostgreSQL and one Redis, as behind a load balancer: a
subscription on one sees a change made through the other, a config edit reaches both, and the
deadline job runs once per due time while both are up and still runs when one is stopped."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from tests.conftest import database_kind
from tests.schema.test_subscriptions import login, subscribed
from tests.support.server import clean_env, free_port, running

pytestmark = pytest.mark.skipif(
    database_kind() != "postgres", reason="several processes share a PostgreSQL database"
)

REPORT = """mutation { reportCase(input: {title: "楼道灯坏了", category: "property_management",
  lon: 130.25, lat: 47.31}) { id } }"""


def _config(redis_url: str) -> str:
    return f"""
[city]
name = "鹤岗市"
[security]
secret_key = "two-process-test-key"
[cluster]
redis_url = "{redis_url}"
[cases]
jobs_interval_seconds = 0.5
"""


def _job_runs(database_url: str) -> list[tuple[int, str, bool]]:
    import asyncpg

    async def read() -> list[tuple[int, str, bool]]:
        conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            rows = await conn.fetch(
                "SELECT slot, owner, finished_at IS NOT NULL AS done FROM job_run "
                "WHERE job = 'cases.deadlines' ORDER BY slot"
            )
            return [(r["slot"], r["owner"], r["done"]) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(read())


def _city(base: str, token: str) -> str:
    response = httpx.post(f"{base}/graphql", json={"query": "{ city { name } }"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    return str(response.json()["data"]["city"]["name"])


def test_two_processes_share_events_config_and_jobs(tmp_path, scratch_database_url, redis_url):
    config = tmp_path / "hemei.toml"
    config.write_text(_config(redis_url), encoding="utf-8")
    env = clean_env(HEMEI_DATABASE_URL=scratch_database_url)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    args = ["--config", str(config)]
    with running(["demo", *args], tmp_path / "a", env, free_port()) as a:
        with running(["serve", *args], tmp_path / "b", env, free_port()) as b:
            token_from_b = login(b, "resident_xinhong")
            # Subscriptions on both processes receive the case reported through B: only one
            # relay delivers each event, so at least one of them got it through Redis.
            query = "subscription { caseUpdated { title } }"
            with (
                subscribed(a, token_from_b, query) as on_a,
                subscribed(b, token_from_b, query) as on_b,
            ):
                time.sleep(0.5)  # the subscriptions are registered before the change
                reported = httpx.post(f"{b}/graphql", json={"query": REPORT}, timeout=10,
                                      headers={"Authorization": f"Bearer {token_from_b}"})  # fmt: skip
                assert "errors" not in reported.json(), reported.json()
                messages = [json.loads(ws.recv(timeout=15)) for ws in (on_a, on_b)]
            titles = [m["payload"]["data"]["caseUpdated"]["title"] for m in messages]
            assert titles == ["楼道灯坏了", "楼道灯坏了"]

            # A config edit (the city's name) is seen by both.
            config.write_text(
                _config(redis_url).replace("鹤岗市", "鹤岗市（测试）"), encoding="utf-8"
            )
            deadline = time.monotonic() + 10
            while {_city(a, token_from_b), _city(b, token_from_b)} != {"鹤岗市（测试）"}:
                assert time.monotonic() < deadline, "the config edit did not reach both"
                time.sleep(0.2)

            # The deadline job: one run per due time, whichever process claimed it.
            time.sleep(2)
            both_up = _job_runs(scratch_database_url)
        slots = [slot for slot, _, _ in both_up]
        assert len(slots) >= 3 and len(slots) == len(set(slots))
        assert all(done for *_, done in both_up[:-1])
        # B is stopped: the job goes on in A alone. B may have claimed a slot while it was
        # shutting down, so count from the slots claimed once it was gone.
        stopped = max(slot for slot, _, _ in _job_runs(scratch_database_url))
        time.sleep(2)
        after = [run for run in _job_runs(scratch_database_url) if run[0] > stopped]
        assert len(after) >= 2 and len({owner for _, owner, _ in after}) == 1
