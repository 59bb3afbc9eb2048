"""Each worker's figures for a quarter, from the case timeline: three statements for the whole
city, however many workers (the steps they took, and the cases those steps were on)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from tortoise.expressions import Subquery

from core.assessment.scoring import WorkerFigures
from core.cases.machine import Status
from core.cases.models import Case, CaseStep

DONE = (Status.RESOLVED.value, Status.CLOSED.value)


async def worker_figures(
    workers: Iterable[int],
    start: datetime,
    end: datetime,
    complaint_max_rating: Callable[[int], int],
) -> dict[int, WorkerFigures]:
    """Figures of each person in ``workers`` for [start, end); ``complaint_max_rating(person)``
    is the rating at or below which a rating counts as a complaint where that person works."""
    wanted = set(workers)
    steps = CaseStep.filter(actor_id__in=list(wanted), at__gte=start, at__lt=end)
    pairs = await steps.distinct().values_list("actor_id", "case_id")
    handled: dict[int, set[int]] = {person: set() for person in wanted}
    for person, case_id in pairs:
        handled[person].add(case_id)
    cases = {
        row["id"]: row
        for row in await Case.filter(id__in=Subquery(steps.distinct().values("case_id"))).values(
            "id", "status", "resolved_at", "due_at", "rating"
        )
    }
    found = {}
    for person, ids in handled.items():
        rows = [cases[i] for i in ids if i in cases]
        resolved = [r for r in rows if r["resolved_at"] and start <= r["resolved_at"] < end]
        ratings = [r["rating"] for r in rows if r["rating"] is not None]
        limit = complaint_max_rating(person)
        found[person] = WorkerFigures(
            handled=len(rows),
            rejected=sum(1 for r in rows if r["status"] == Status.REJECTED.value),
            completed=sum(
                1 for r in rows
                if r["status"] in DONE and r["resolved_at"] is not None and r["resolved_at"] < end
            ),
            resolved=len(resolved),
            on_time=sum(1 for r in resolved if r["due_at"] and r["resolved_at"] <= r["due_at"]),
            rated=len(ratings),
            rating_sum=sum(ratings),
            complaints=sum(1 for rating in ratings if rating <= limit),
        )  # fmt: skip
    return found
