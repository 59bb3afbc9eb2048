"""Deadlines: overdue cases are flagged and, where configured, escalated; unrated
resolutions close. Safe when two processes run the jobs at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.cases.jobs import DeadlineJobs
from core.cases.models import Case
from core.cases.services import CaseService
from core.config.model import CasesConfig
from tests.cases.test_ladder_api import ACT, TIMELINE, report


def service(client, **config) -> CaseService:
    categories = {code: c for code, (_, c) in client.runtime.host.case_categories.items()}
    return CaseService(CasesConfig(**config), categories)


async def test_overdue_cases_are_flagged_and_escalated_once(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    case = await report(resident, title="逾期未处理")
    key = int(GlobalID.from_id(case["id"]).node_id)
    await Case.filter(id=key).update(due_at=datetime.now(UTC) - timedelta(hours=1))
    worker = await client.signed_in("xinhong_grid1")
    flagged = await worker.data(
        "query($id: ID!) { node(id: $id) { ... on Case { overdue } } }", {"id": case["id"]}
    )
    assert flagged["node"]["overdue"] is True

    assert await DeadlineJobs(service(client)).escalate_overdue() == 0, "off unless configured"
    first, second = (
        DeadlineJobs(service(client, auto_escalate_overdue=True)),
        DeadlineJobs(service(client, auto_escalate_overdue=True)),
    )
    moved = await asyncio.gather(first.escalate_overdue(), second.escalate_overdue())
    stored = await Case.get(id=key)
    assert stored.level == "COMMUNITY" and stored.status == "REPORTED"
    node = (await worker.data(TIMELINE, {"id": case["id"]}))["node"]
    escalations = [s for s in node["timeline"] if s["action"] == "ESCALATE"]
    assert len(escalations) == 1, f"escalated once, not {moved}"
    assert (
        escalations[0]["actorRole"] == "SYSTEM"
        and "escalated automatically" in escalations[0]["note"]
    )
    assert stored.due_at > datetime.now(UTC), "a new deadline at the new level"


async def test_unrated_resolutions_close_without_a_rating(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_grid1")
    case = await report(resident, title="无人评价")
    for action in ("ACCEPT", "START", "RESOLVE"):
        case = (
            await worker.data(
                ACT, {"i": {"caseId": case["id"], "version": case["version"], "action": action}}
            )
        )["actOnCase"]
    key = int(GlobalID.from_id(case["id"]).node_id)
    jobs = DeadlineJobs(service(client, close_unrated_after_days=7))
    await jobs.close_unrated()
    assert (await Case.get(id=key)).status == "RESOLVED", "just resolved: not closed yet"
    await Case.filter(id=key).update(resolved_at=datetime.now(UTC) - timedelta(days=8))
    assert await jobs.close_unrated() >= 1
    stored = await Case.get(id=key)
    assert stored.status == "CLOSED" and stored.closed_without_rating and stored.rating is None
