"""Deadline jobs: escalate overdue cases (where the config says so) and close resolutions
nobody rated. Safe to run in several processes at once: each step carries the version it read,
so when two processes race for one case, one moves it and the other gets CONFLICT and skips;
and the ``job_run`` ledger gives each minute's run to one process only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.cases.machine import OPEN, Action, Level, Status
from core.cases.models import Case
from core.cases.services import CaseService, Step
from core.cluster.jobs import JobLedger, run_every
from core.errors import HemeiError

log = logging.getLogger("hemei.cases.jobs")


@dataclass
class DeadlineJobs:
    service: CaseService
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def escalate_overdue(self) -> int:
        """Move every overdue open case below STREET one level up; returns how many moved."""
        if not self.service.config.auto_escalate_overdue:
            return 0
        overdue = (
            await Case.filter(status__in=[s.value for s in OPEN], due_at__lt=self.now())
            .exclude(level=Level.STREET.value)
            .values_list("id", "version", "level")
        )
        moved = 0
        for case_id, version, level in overdue:
            note = f"Deadline at {level} passed: escalated automatically."
            moved += await self._try(case_id, Step(Action.ESCALATE, version, note=note))
        return moved

    async def close_unrated(self) -> int:
        """Close resolutions nobody rated within ``close_unrated_after_days``."""
        days = self.service.config.close_unrated_after_days
        stale = await Case.filter(
            status=Status.RESOLVED.value, resolved_at__lt=self.now() - timedelta(days=days)
        ).values_list("id", "version")
        closed = 0
        for case_id, version in stale:
            note = f"Not rated within {days} days: closed without a rating."
            closed += await self._try(case_id, Step(Action.CLOSE, version, note=note))
        return closed

    async def _try(self, case_id: int, step: Step) -> int:
        try:
            async with in_transaction():
                await self.service.act_as_system(case_id, step)
            return 1
        except HemeiError as exc:  # another process was first, or the case moved meanwhile
            log.info("deadline job skipped case %s: %s", case_id, exc.code)
            return 0


async def run_deadline_jobs(
    make_service: Callable[[], CaseService],
    stop: asyncio.Event,
    interval: float = 60.0,
    ledger: JobLedger | None = None,
) -> None:
    """Run both jobs once per ``interval`` seconds across every process (the ``job_run``
    ledger picks one), with the config in force at each run (a reload changes deadlines
    without a restart)."""

    async def step() -> str:
        jobs = DeadlineJobs(make_service())
        escalated = await jobs.escalate_overdue()
        closed = await jobs.close_unrated()
        return f"escalated {escalated}, closed {closed}"

    await run_every("cases.deadlines", interval, step, stop, ledger or JobLedger())
