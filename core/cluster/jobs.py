"""Scheduled jobs that run once per due time across processes.

Each due time is a *slot* (the job's interval counted from the epoch). A process that finds a
slot due claims it in the ``job_run`` ledger: an INSERT that the unique key lets only one
process make; a run whose claimant did not finish within its lease can be claimed again by
another process (an UPDATE conditioned on the lease having run out). So a slot runs once while
its processes live, and still runs when the one that claimed it died.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.cluster.models import JobRun

log = logging.getLogger("hemei.jobs")


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class JobLedger:
    lease: timedelta = timedelta(minutes=5)
    owner: str = field(default_factory=process_name)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def claim(self, job: str, slot: int) -> bool:
        """Whether this process may run ``job`` for ``slot`` (it then must :meth:`finish`)."""
        now = self.now()
        try:
            async with in_transaction():
                await JobRun.create(job=job, slot=slot, owner=self.owner,
                                    claimed_until=now + self.lease)  # fmt: skip
            return True
        except IntegrityError:
            taken = await JobRun.filter(
                job=job, slot=slot, finished_at=None, claimed_until__lt=now
            ).update(owner=self.owner, claimed_until=now + self.lease)
            return bool(taken)

    async def done(self, job: str, slot: int) -> bool:
        """Whether ``job`` already ran for ``slot`` (a cheap check before :meth:`claim` for
        jobs that look often at a slot that stays due, so the ledger sees no failing INSERT
        each time)."""
        return await JobRun.exists(job=job, slot=slot, finished_at__not_isnull=True)

    async def finish(self, job: str, slot: int, result: str = "") -> None:
        await JobRun.filter(job=job, slot=slot, owner=self.owner).update(
            finished_at=self.now(), result=result[:200]
        )


async def run_every(
    job: str,
    interval: float,
    step: Callable[[], Awaitable[str]],
    stop: asyncio.Event,
    ledger: JobLedger,
    poll: float | None = None,
) -> None:
    """Run ``step`` once per ``interval``-second slot, in whichever process claims the slot
    first; ``poll`` is how often a process looks (default: a tenth of the interval, so a slot
    left by a dead process is taken over soon after its lease ends)."""
    poll = poll if poll is not None else max(interval / 10, 0.05)
    while not stop.is_set():
        slot = int(ledger.now().timestamp() // interval)
        try:
            if await ledger.claim(job, slot):
                result = await step()
                await ledger.finish(job, slot, result)
                log.info("job %s ran for slot %s: %s", job, slot, result)
        except Exception:
            log.exception("job %s failed for slot %s; it is retried after its lease", job, slot)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=poll)
