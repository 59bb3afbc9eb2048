"""The quarterly assessment runs by itself once a quarter is over: once per district across
every process sharing the job ledger, and still when the process that took it died."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from core.assessment.models import AssessmentResult, AssessmentRun
from core.assessment.schedule import JOB, assess_if_due, run_quarterly_assessment
from core.cluster.jobs import JobLedger
from core.cluster.models import JobRun
from core.regions.models import District
from tests.cases.test_ladder_api import gid

QUARTER, SLOT = "2023Q3", 20233  # no other test assesses it
# Due 8 days and 2 hours after the quarter ends, city time (Asia/Shanghai): 2023-10-09 02:00.
DUE = datetime(2023, 10, 8, 18, 0, tzinfo=UTC)
RESULTS = """query { assessmentResults(quarter: "2023Q3", first: 100) { totalCount } }"""
RUN = """mutation($d: ID) { runAssessment(quarter: "2023Q3", districtId: $d) { workers } }"""


@pytest.fixture
async def quarter(orm):
    async def clear() -> None:
        await AssessmentResult.filter(quarter=QUARTER).delete()
        await AssessmentRun.filter(quarter=QUARTER).delete()
        await JobRun.filter(job=JOB).delete()

    await clear()
    yield
    await clear()


async def _runs() -> Counter[int | None]:
    return Counter(
        await AssessmentRun.filter(quarter=QUARTER).values_list("district_id", flat=True)
    )


async def test_two_runners_assess_the_ended_quarter_once(api, quarter):
    client = await api()
    admin = await client.signed_in("city_admin")
    config = client.runtime.config
    districts = await District.all().values_list("id", flat=True)
    # An admin assessed one district after the quarter ended: the schedule leaves it alone.
    gongnong = await District.get(code="gongnong")
    await admin.data(RUN, {"d": gid("District", gongnong.id)})

    stop = asyncio.Event()
    runners = [
        asyncio.create_task(
            run_quarterly_assessment(
                lambda: config,
                stop,
                JobLedger(owner=name),
                poll=0.05,
                now=lambda: DUE + timedelta(minutes=1),
            )
        )
        for name in ("a", "b")
    ]
    try:

        async def finished() -> None:
            done = JobRun.filter(job=JOB, slot=SLOT, finished_at__not_isnull=True)
            while not await done.exists():  # noqa: ASYNC110  # a row another task writes
                await asyncio.sleep(0.05)

        await asyncio.wait_for(finished(), timeout=30)
        await asyncio.sleep(0.3)  # both runners look again: the finished quarter stays done
    finally:
        stop.set()
        await asyncio.gather(*runners)
    assert await _runs() == Counter(districts), "one run per district"
    assert await JobRun.filter(job=JOB).count() == 1
    total = (await admin.data(RESULTS))["assessmentResults"]["totalCount"]
    assert total == await AssessmentResult.filter(quarter=QUARTER).count() > 0


async def test_a_quarter_taken_by_a_runner_that_died_is_run_by_another(api, quarter):
    config = (await api()).runtime.config
    clock = [datetime.now(UTC)]
    gone = JobLedger(lease=timedelta(seconds=30), owner="gone", now=lambda: clock[0])
    alive = JobLedger(lease=timedelta(seconds=30), owner="alive", now=lambda: clock[0])
    assert await gone.claim(JOB, SLOT)  # ... and its process dies before assessing anything

    assert await assess_if_due(config, alive, DUE + timedelta(hours=1)) is None, "leased"
    clock[0] += timedelta(seconds=31)
    assert await assess_if_due(config, alive, DUE + timedelta(hours=1)) is not None
    districts = await District.all().values_list("id", flat=True)
    assert await _runs() == Counter(districts)
    assert await JobRun.filter(job=JOB, owner="alive", finished_at__not_isnull=True).count() == 1


async def test_nothing_runs_before_the_due_time_or_when_switched_off(api, quarter):
    config = (await api()).runtime.config
    ledger = JobLedger(owner="a")
    assert await assess_if_due(config, ledger, DUE - timedelta(minutes=1)) is None
    off = config.model_copy(
        update={"assessment": config.assessment.model_copy(update={"scheduled": False})}
    )
    assert await assess_if_due(off, ledger, DUE + timedelta(days=1)) is None
    assert await _runs() == Counter() and not await JobRun.exists(job=JOB)
