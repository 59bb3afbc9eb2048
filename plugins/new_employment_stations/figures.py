"""The module's figures for a place and a period [start, end), by SQL aggregation.

- *workers served*: distinct workers who checked in at a station of the place;
- *check-ins*: check-ins at stations of the place;
- *reports made*: snap-and-reports by registered workers of problems in the place;
- *reports confirmed*: of those, the ones a handler accepted as valid in the period;
- *problems solved*: the ones resolved in the period (each case counts once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from plugins.new_employment_stations.models import Award, Visit, WorkerReport
from plugins.new_employment_stations.points import CONFIRMED, RESOLVED


@dataclass(frozen=True)
class Figures:
    workers_served: int
    check_ins: int
    reports_made: int
    reports_confirmed: int
    problems_solved: int


async def figures(where: Q, start: datetime, end: datetime) -> Figures:
    """``where`` selects the rows of the place (and leaves out places where the module is off)."""
    visits = Visit.filter(where, checked_in_at__gte=start, checked_in_at__lt=end)
    served = await visits.annotate(n=Count("worker_id", distinct=True)).first().values("n")
    awards = Award.filter(where, awarded_at__gte=start, awarded_at__lt=end)
    return Figures(
        workers_served=int(served["n"] or 0) if served else 0,
        check_ins=await visits.count(),
        reports_made=await WorkerReport.filter(
            where, reported_at__gte=start, reported_at__lt=end
        ).count(),
        reports_confirmed=await awards.filter(reason=CONFIRMED).count(),
        problems_solved=await awards.filter(reason=RESOLVED).count(),
    )
