"""Case figures for a place, a department or a worker over a period, by SQL aggregation.

Definitions (the README repeats them for dashboard readers), for the period [start, end):

- received: cases reported in the period.
- resolved: cases with at least one resolution (RESOLVE step) in the period.
- closed: cases closed in the period (rated above 2, or closed without a rating).
- rejected: cases received in the period that are now rejected.
- completion rate (办结率): of the cases received in the period and not rejected, the share
  now resolved or closed.
- on-time rate: of the cases last resolved in the period, the share resolved before the
  deadline of the level they were resolved at.
- escalations: ESCALATE steps in the period, by the level they led to.
- average satisfaction: the mean rating of the cases closed in the period that were rated.
- by category / by source: cases received in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Avg, Count

from core.cases.machine import Status
from core.cases.models import Case, CaseStep


@dataclass(frozen=True)
class CaseFigures:
    received: int
    resolved: int
    closed: int
    rejected: int
    completion_rate: float | None
    on_time_rate: float | None
    escalations: dict[str, int]
    average_satisfaction: float | None
    by_category: dict[str, int]
    by_source: dict[str, int]


async def case_figures(scope: Q, start: datetime, end: datetime) -> CaseFigures:
    """The figures of the cases matching ``scope`` (a filter on cases) in [start, end)."""
    received = Case.filter(scope, created_at__gte=start, created_at__lt=end)
    counts = await _grouped(received, "status")
    total = sum(counts.values())
    rejected = counts.get(Status.REJECTED.value, 0)
    done = counts.get(Status.RESOLVED.value, 0) + counts.get(Status.CLOSED.value, 0)

    steps = CaseStep.filter(_on_case(scope), at__gte=start, at__lt=end)
    resolved = (
        await steps.filter(action="RESOLVE").annotate(n=Count("case_id", distinct=True)).values("n")
    )
    escalations = await _grouped(steps.filter(action="ESCALATE"), "to_level")

    last_resolved = Case.filter(scope, resolved_at__gte=start, resolved_at__lt=end)
    resolved_total = await last_resolved.count()
    on_time = await last_resolved.filter(resolved_at__lte=F("due_at")).count()

    closed = Case.filter(scope, closed_at__gte=start, closed_at__lt=end)
    satisfaction = await closed.filter(rating__isnull=False).annotate(r=Avg("rating")).values("r")
    return CaseFigures(
        received=total,
        resolved=resolved[0]["n"] if resolved else 0,
        closed=await closed.count(),
        rejected=rejected,
        completion_rate=_share(done, total - rejected),
        on_time_rate=_share(on_time, resolved_total),
        escalations=escalations,
        average_satisfaction=float(satisfaction[0]["r"])
        if satisfaction and satisfaction[0]["r"] is not None
        else None,
        by_category=await _grouped(received, "category"),
        by_source=await _grouped(received, "source"),
    )


async def _grouped(rows: Any, column: str) -> dict[str, int]:
    found = await rows.annotate(n=Count("id")).group_by(column).values(column, "n")
    return {row[column]: row["n"] for row in found}


def _on_case(scope: Q) -> Q:
    """``scope`` (written for cases) applied to timeline steps through their case."""
    return Q(case_id__in=Subquery(Case.filter(scope).values("id")))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
