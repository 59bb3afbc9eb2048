"""The quarterly assessment as a scheduled job: once a quarter is over (``[assessment]
scheduled_days_after`` days and ``scheduled_hour`` into the next, city time), each district's
community workers are assessed for it, once across all processes.

The quarter is the job's slot in the ``job_run`` ledger (:class:`core.cluster.jobs.JobLedger`):
one process claims it, a process that died mid-run is replaced after the lease, and a finished
quarter is never run again by the schedule. Only the last quarter that ended is considered (a
new deployment does not assess years of history), and a district an admin already assessed
after the quarter ended (``runAssessment``) is left as the admin left it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from core.assessment.models import AssessmentRun
from core.assessment.quarters import Quarter
from core.assessment.runs import run_assessment
from core.cluster.jobs import JobLedger
from core.config.model import HemeiConfig
from core.regions.models import District

log = logging.getLogger("hemei.assessment.schedule")

JOB = "assessment.quarterly"


def last_ended(now: datetime, zone: str) -> Quarter:
    """The quarter before the one ``now`` falls in (city time)."""
    local = now.astimezone(ZoneInfo(zone))
    number = (local.month - 1) // 3 + 1
    return Quarter(local.year - 1, 4) if number == 1 else Quarter(local.year, number - 1)


def due_at(quarter: Quarter, config: HemeiConfig) -> datetime:
    """When the scheduled run of ``quarter`` is due (UTC)."""
    assessment, zone = config.assessment, config.city.time_zone
    end = quarter.bounds(zone)[1].astimezone(ZoneInfo(zone))
    due = end + timedelta(days=assessment.scheduled_days_after, hours=assessment.scheduled_hour)
    return due.astimezone(UTC)


def slot_of(quarter: Quarter) -> int:
    """The quarter as a ledger slot (``2026Q3`` is 20263)."""
    return quarter.year * 10 + quarter.number


async def assess_quarter(config: HemeiConfig, quarter: Quarter) -> str:
    """Assess every district not yet assessed since ``quarter`` ended; raises when a district
    failed (after trying the others), so that the run is retried after its lease."""
    ended = quarter.bounds(config.city.time_zone)[1]
    done = 0
    failed = []
    districts: list[Any] = list(await District.all().order_by("id").values_list("id", flat=True))
    for district_id in districts:
        assessed = await AssessmentRun.filter(
            Q(district_id=district_id) | Q(district_id=None),
            quarter=quarter.name, started_at__gte=ended, finished_at__not_isnull=True,
        ).exists()  # fmt: skip
        if assessed:
            continue
        try:
            summary = await run_assessment(config, quarter, district_id)
        except Exception as exc:
            log.exception("assessment of %s failed in district %s", quarter.name, district_id)
            failed.append(f"{district_id}: {type(exc).__name__}")
            continue
        done += summary.workers
        log.info("assessed %s in district %s: %s", quarter.name, district_id, summary.colours)
    if failed:
        raise RuntimeError(f"{quarter.name}: districts failed ({', '.join(failed)})")
    return f"{quarter.name}: {done} workers"


async def assess_if_due(
    config: HemeiConfig, ledger: JobLedger, now: datetime | None = None
) -> str | None:
    """Run the last ended quarter's assessment if it is due and no process ran it yet;
    returns what was done (None: nothing to do here)."""
    now = now or datetime.now(UTC)
    if not config.assessment.scheduled:
        return None
    quarter = last_ended(now, config.city.time_zone)
    slot = slot_of(quarter)
    if now < due_at(quarter, config) or await ledger.done(JOB, slot):
        return None
    if not await ledger.claim(JOB, slot):
        return None  # another process is running it
    result = await assess_quarter(config, quarter)
    await ledger.finish(JOB, slot, result)
    return result


async def run_quarterly_assessment(
    config: Callable[[], HemeiConfig],
    stop: asyncio.Event,
    ledger: JobLedger,
    poll: float = 60.0,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Look every ``poll`` seconds whether a quarter's assessment is due, with the config in
    force at the time (a reload can switch the schedule off); a failed run is logged and taken
    up again once its lease has run out."""
    while not stop.is_set():
        try:
            if result := await assess_if_due(config(), ledger, now()):
                log.info("scheduled assessment ran: %s", result)
        except Exception:
            log.exception("scheduled assessment failed; it is retried after its lease")
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=poll)
