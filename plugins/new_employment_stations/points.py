"""移动哨兵: following workers' snap-and-reports through case events, and their points.

A worker reports through core's ``snapReport`` (source SNAPSHOT); the module learns of it from
the case's events (``on_case_event``) where the module is on at the case's place:

- any event of a SNAPSHOT case reported by a registered worker (after they registered) makes
  sure the module follows it (a ``WorkerReport``);
- ACCEPT — a handler confirmed the report valid — awards ``points_per_valid_report``;
- RESOLVE awards ``points_per_resolved_report``;
- a rejected report (a repeat linked with ``duplicateOf``, or not a problem) is never accepted,
  so it earns nothing.

Each award is one row under a unique key (case, reason): an event delivered twice, or a case
accepted or resolved again after reopening, awards once. Points are read from the settings in
force at the case's place when the award is made, and count in the month (city time) they
were earned.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from core import Activation, CaseFacts, DomainEvent, case_facts
from plugins.new_employment_stations.models import Award, GigWorker, WorkerReport
from plugins.new_employment_stations.places import NAME, places_of, settings_at

log = logging.getLogger("hemei.plugins.new_employment_stations")

CONFIRMED, RESOLVED = "CONFIRMED", "RESOLVED"
FOLLOWED = ("REPORT", "ACCEPT", "RESOLVE")


def month_of(at: datetime, zone: str) -> str:
    """YYYY-MM of an instant, in city time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m")


async def react(event: DomainEvent, activation: Activation | None) -> None:
    """The module's reaction to one case event; safe to run twice for the same event."""
    if event.kind not in FOLLOWED:
        return
    if activation is None:
        log.debug("case event %s: no config to read switches from; ignored", event.id)
        return
    facts = (await case_facts([event.case_id])).get(event.case_id)
    if facts is None or facts.source != "SNAPSHOT" or facts.reporter_id is None:
        return
    worker = await GigWorker.filter(person_id=facts.reporter_id).first()
    if worker is None or worker.created_at > facts.created_at:
        return
    key = (facts.district_id, facts.street_id, facts.community_id)
    place = (await places_of([key]))[key]
    if not activation.state(NAME, place).enabled:
        return
    settings = settings_at(activation, place)
    report = await _follow(worker, facts)
    if event.kind == "ACCEPT":
        await _award(report, CONFIRMED, settings.points_per_valid_report, event, activation)
    elif event.kind == "RESOLVE":
        await _award(report, RESOLVED, settings.points_per_resolved_report, event, activation)


async def _follow(worker: GigWorker, facts: CaseFacts) -> WorkerReport:
    found = await WorkerReport.filter(case_id=facts.id).first()
    if found is not None:
        return found
    try:
        async with in_transaction():
            return await WorkerReport.create(
                case_id=facts.id, worker_id=worker.id, person_id=worker.person_id,
                category=facts.category, reported_at=facts.created_at,
                district_id=facts.district_id, street_id=facts.street_id,
                community_id=facts.community_id,
            )  # fmt: skip
    except IntegrityError:  # the same event, delivered twice at once
        return await WorkerReport.get(case_id=facts.id)


async def _award(
    report: WorkerReport, reason: str, points: int, event: DomainEvent, activation: Activation
) -> None:
    at = event.created_at if event.created_at.tzinfo else event.created_at.replace(tzinfo=UTC)
    stamp = {"confirmed_at": at} if reason == CONFIRMED else {"solved_at": at}
    try:
        async with in_transaction():
            await Award.create(
                case_id=report.case_id, reason=reason, worker_id=report.worker_id,
                points=points, month=month_of(at, activation.config.city.time_zone),
                awarded_at=at, event_id=event.id, district_id=report.district_id,
                street_id=report.street_id, community_id=report.community_id,
            )  # fmt: skip
            await WorkerReport.filter(id=report.id).update(
                points=F("points") + points, updated_at=datetime.now(UTC), **stamp
            )
    except IntegrityError:
        return  # awarded before: at-least-once delivery, or accepted again after reopening


@dataclass(frozen=True)
class Standing:
    """One worker's month in a district."""

    worker_id: int
    points: int
    confirmed: int
    solved: int


async def standings(district_id: int, month: str, visible: Q) -> list[Standing]:
    """Every worker with points in the district and month, best first (ties: fewer ids first,
    i.e. who registered earlier). ``visible`` leaves out places where the module is off."""
    rows = (
        await Award.filter(visible, district_id=district_id, month=month)
        .annotate(total=Sum("points"), n=Count("id"))
        .group_by("worker_id", "reason")
        .values("worker_id", "reason", "total", "n")
    )
    totals: dict[int, dict[str, Any]] = defaultdict(lambda: {"points": 0, CONFIRMED: 0,
                                                             RESOLVED: 0})  # fmt: skip
    for row in rows:
        entry = totals[row["worker_id"]]
        entry["points"] += int(row["total"] or 0)
        entry[row["reason"]] += int(row["n"])
    found = [
        Standing(worker_id=w, points=t["points"], confirmed=t[CONFIRMED], solved=t[RESOLVED])
        for w, t in totals.items()
    ]
    return sorted(found, key=lambda s: (-s.points, s.worker_id))


def ranks(points: list[int]) -> list[int]:
    """Competition ranking of a descending list: 30, 20, 20, 10 → 1, 2, 2, 4."""
    result: list[int] = []
    for index, value in enumerate(points):
        result.append(result[-1] if index and points[index - 1] == value else index + 1)
    return result
