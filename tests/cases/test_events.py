"""The outbox: every change leaves an event, delivered at least once to plugins."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.cases.models import Case, CaseEvent
from core.events.broker import Broker
from core.events.relay import OutboxRelay
from tests import kernel_plugin
from tests.cases.test_ladder_api import report


async def relay_for(client) -> OutboxRelay:
    # The test owns the outbox: earlier tests' events count as delivered.
    await CaseEvent.filter(delivered_at=None).update(delivered_at=datetime.now(UTC))
    kernel_plugin.RECEIVED.clear()
    return OutboxRelay(client.runtime.host, Broker())


async def test_hook_on_case_event_receives_each_committed_change(api):
    client = await api()
    relay = await relay_for(client)
    case = await report(await client.signed_in("resident_xinhong"))
    assert await relay.run_once() == 1
    [event] = kernel_plugin.RECEIVED
    assert (event.kind, event.payload["status"]) == ("REPORT", "REPORTED")
    assert event.case_id == int(GlobalID.from_id(case["id"]).node_id)
    assert await relay.run_once() == 0, "delivered once"


async def test_a_plugin_that_raises_gets_the_event_again_and_the_case_stays(api, caplog):
    client = await api()
    relay = await relay_for(client)
    kernel_plugin.FAILURES[0] = 1
    case = await report(await client.signed_in("resident_xinhong"), title="会失败的投递")
    with caplog.at_level(logging.ERROR, logger="hemei.events"):
        assert await relay.run_once() == 1
    assert "plugin kernel_test failed on case event" in caplog.text
    event = await CaseEvent.filter(kind="REPORT").order_by("-id").first()
    assert event.delivered_at is None and event.attempts == 1
    assert "the kernel test plugin is down" in event.last_error
    assert await Case.filter(title="会失败的投递").exists(), "the case change stays"
    assert kernel_plugin.RECEIVED == []
    assert await relay.run_once() == 0, "not before its back-off"
    later = OutboxRelay(
        client.runtime.host, relay.broker, now=lambda: datetime.now(UTC) + timedelta(minutes=1)
    )
    assert await later.run_once() == 1
    assert [e.kind for e in kernel_plugin.RECEIVED] == ["REPORT"]
    assert (await CaseEvent.get(id=event.id)).delivered_at is not None
    assert case["status"] == "REPORTED"


async def test_two_relays_never_deliver_one_event_at_the_same_time(api):
    import asyncio

    client = await api()
    first = await relay_for(client)
    second = OutboxRelay(client.runtime.host, Broker())
    resident = await client.signed_in("resident_xinhong")
    for i in range(5):
        await report(resident, title=f"并发投递{i}")
    counts = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(counts) == 5
    assert len(kernel_plugin.RECEIVED) == 5
