"""The job ledger gives each due time to one process; Redis carries events between brokers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.cluster.jobs import JobLedger, run_every
from core.cluster.models import JobRun
from core.cluster.redis import RedisBroker
from core.events.broker import DomainEvent


async def test_one_claim_per_slot_and_a_dead_claimant_is_replaced(orm):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    first = JobLedger(lease=timedelta(seconds=30), owner="a", now=lambda: now[0])
    second = JobLedger(lease=timedelta(seconds=30), owner="b", now=lambda: now[0])
    claims = await asyncio.gather(*(ledger.claim("t.job", 1) for ledger in [first, second] * 5))
    assert claims.count(True) == 1
    winner = first if claims[0] else second
    await winner.finish("t.job", 1, "done")
    assert not await second.claim("t.job", 1) and not await first.claim("t.job", 1)

    assert await first.claim("t.job", 2)  # ... and "a" dies without finishing
    assert not await second.claim("t.job", 2), "the lease still runs"
    now[0] += timedelta(seconds=31)
    assert await second.claim("t.job", 2), "after the lease, another process takes over"
    await JobRun.filter(job="t.job").delete()


async def test_run_every_runs_each_slot_once_across_processes(orm):
    runs: list[str] = []
    stop = asyncio.Event()

    def step(name: str):
        async def run() -> str:
            runs.append(name)
            return name

        return run

    ledgers = [JobLedger(owner=name) for name in ("a", "b", "c")]
    tasks = [
        asyncio.create_task(run_every("t.tick", 0.5, step(ledger.owner), stop, ledger, poll=0.05))
        for ledger in ledgers
    ]
    await asyncio.sleep(1.6)
    stop.set()
    await asyncio.gather(*tasks)
    rows = await JobRun.filter(job="t.tick").values_list("slot", "finished_at")
    assert len(runs) == len(rows) >= 3, "one run per slot, whichever process claimed it"
    assert len({slot for slot, _ in rows}) == len(rows) and all(done for _, done in rows)
    await JobRun.filter(job="t.tick").delete()


async def test_an_event_published_on_one_broker_reaches_the_others(redis_url):
    a, b = RedisBroker(redis_url), RedisBroker(redis_url)
    await a.start()
    await b.start()
    try:
        await asyncio.wait_for(asyncio.gather(a.ready.wait(), b.ready.wait()), timeout=5)
        event = DomainEvent(7, 42, 3, "ACCEPT", {"level": "GRID"}, datetime.now(UTC))
        async with a.subscribe() as on_a, b.subscribe() as on_b:
            await b.publish(event)
            got = await asyncio.wait_for(asyncio.gather(on_a.get(), on_b.get()), timeout=5)
        assert got == [event, event]
    finally:
        await a.close()
        await b.close()
