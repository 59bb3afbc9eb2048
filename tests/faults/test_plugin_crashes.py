"""A plugin that crashes — even with ``SystemExit``, ``KeyboardInterrupt`` or a
``BaseException`` of its own — fails only its own field, its own hook delivery or its own
dashboard figure; the rest of the response is served and so is the next request."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from core.cases.models import Case, CaseEvent
from core.events.broker import Broker
from core.events.relay import OutboxRelay
from core.runtime import start_runtime
from schema.app import create_app
from tests import kernel_plugin
from tests.cases.test_ladder_api import report
from tests.faults.crashing_plugin import CRASH_ON, EVENTS
from tests.faults.snapshot import changed, snapshot
from tests.support.api import Api
from tests.support.configs import TEST_CONFIG
from tests.support.distributions import installed

PLUGIN = "tests.faults.crashing_plugin:CrashingPlugin"
KINDS = ["error", "exit", "interrupt", "meltdown"]
CONFIG = TEST_CONFIG.replace(
    'load = ["kernel_test", ', 'load = ["kernel_test", "crash_test", ', 1
).replace('modules = ["kernel_test", ', 'modules = ["kernel_test", "crash_test", ', 1)
PERIODS = dict(zip(KINDS, ["2026-01", "2026-02", "2026-03", "2026-04"], strict=True))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def served(orm, tmp_path_factory) -> AsyncIterator[Api]:
    """One app for the module, with the crash plugin installed and on in 工农区."""
    folder = tmp_path_factory.mktemp("crash")
    with installed(folder / "site", "hemei-crash-test", {"crash_test": PLUGIN}):
        (folder / "hemei.toml").write_text(CONFIG, encoding="utf-8")
        runtime = start_runtime(folder / "hemei.toml")
    app = create_app(runtime, manage_database=False, watch_config=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hemei.test"
    ) as http:
        yield Api(client=http, runtime=runtime)


@pytest_asyncio.fixture
async def client(served) -> AsyncIterator[Api]:
    yield await served.signed_in("city_admin")
    CRASH_ON.update(event=None, figure=None)
    EVENTS.clear()


def masked(error: dict) -> bool:
    return error["extensions"]["code"] == "INTERNAL_SERVER_ERROR" and "hunter2" not in str(error)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_crashing_resolver_fails_only_its_own_field(client, kind):
    query = """query($k: String!) {
      sync: crashSync(kind: $k) async: crashAsync(kind: $k)
      crashThings { name crash(kind: $k) }
      district(code: "gongnong") { name crashHere(kind: $k) }
      districts { code }
    }"""
    response = await client.client.post(
        "/graphql",
        json={"query": query, "variables": {"k": kind}},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    paths = sorted(".".join(map(str, e["path"])) for e in body["errors"])
    assert paths == sorted(
        ["sync", "async", "crashThings.0.crash", "crashThings.1.crash",
         "district.crashHere"]
    ), body  # fmt: skip
    assert all(masked(e) for e in body["errors"]), body["errors"]
    assert len(body["data"]["districts"]) == 8 and body["data"]["district"]["name"] == "工农区"
    assert [t["name"] for t in body["data"]["crashThings"]] == ["a", "b"]
    again = await client.post("{ districts { code } }")
    assert "errors" not in again, "the process keeps serving"


@pytest.mark.parametrize("kind", KINDS)
async def test_a_mutation_that_crashes_after_writing_leaves_nothing(client, kind):
    before = await snapshot()
    body = await client.post("mutation($k: String!) { crashAfterWriting(kind: $k) }", {"k": kind})
    assert [e["path"] for e in body["errors"]] == [["crashAfterWriting"]]
    assert masked(body["errors"][0]), body
    assert not changed(before, await snapshot())
    assert "errors" not in await client.post("{ districts { code } }")


@pytest.mark.parametrize("kind", KINDS)
async def test_a_crashing_event_hook_fails_only_its_own_delivery(client, kind, caplog):
    # The test owns the outbox: earlier tests' events count as delivered.
    await CaseEvent.filter(delivered_at=None).update(delivered_at=datetime.now(UTC))
    kernel_plugin.RECEIVED.clear()
    relay = OutboxRelay(client.runtime.host, Broker())
    CRASH_ON["event"] = kind
    title = f"插件崩溃-{kind}"
    await report(await client.signed_in("resident_xinhong"), title=title)
    with caplog.at_level(logging.ERROR, logger="hemei.events"):
        assert await relay.run_once() == 1
    assert "plugin crash_test failed on case event" in caplog.text
    assert [e.kind for e in kernel_plugin.RECEIVED] == ["REPORT"], "the other plugin got it"
    event = await CaseEvent.filter(kind="REPORT").order_by("-id").first()
    assert event is not None
    assert event.delivered_at is None and "crash_test" in event.last_error, "offered again"
    assert await Case.filter(title=title).exists(), "the case change stays"

    CRASH_ON["event"] = None
    later = OutboxRelay(
        client.runtime.host, relay.broker, now=lambda: datetime.now(UTC) + timedelta(minutes=1)
    )
    assert await later.run_once() == 1
    assert [e.id for e in EVENTS] == [event.id]
    assert (await CaseEvent.get(id=event.id)).delivered_at is not None
    assert "errors" not in await client.post("{ districts { code } }")


STATS = """query($p: String!) { district(code: "gongnong") {
  stats(period: $p, keys: ["cases.received", "crash_test.boom", "regions.grids"]) { key value }
} }"""


@pytest.mark.parametrize("kind", KINDS)
async def test_a_crashing_figure_fails_only_its_own_value(client, kind, caplog):
    CRASH_ON["figure"] = kind
    with caplog.at_level(logging.ERROR, logger="hemei.plugins"):
        body = await client.post(STATS, {"p": PERIODS[kind]})
    assert "errors" not in body, body
    values = {s["key"]: s["value"] for s in body["data"]["district"]["stats"]}
    assert values["crash_test.boom"] is None
    assert values["cases.received"] is not None and values["regions.grids"] is not None
    assert "plugin crash_test failed to compute figure crash_test.boom" in caplog.text
    CRASH_ON["figure"] = None
    # A failed value is cached like any other (a minute); a new period computes afresh.
    again = await client.post(STATS, {"p": "2025"})
    assert {s["key"]: s["value"] for s in again["data"]["district"]["stats"]}[
        "crash_test.boom"
    ] == 1
