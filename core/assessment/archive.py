"""The performance archive (一线实绩档案) of a cadre over a period, aggregated from the records:
grid visits, the cases they took steps on (by the level they acted at), residents' ratings of
those cases, the work orders they completed or opened, the outreach activities they organised,
and their assessment colours. Nothing in it is typed in by hand.

Visible to the cadre and to those above them: a viewer whose grant sits at a higher level of
the region tree than one of the cadre's grants and covers that grant's place (a community's
grid worker is seen by the community's workers, its street's officers, its district's admins
and the city admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from core.access.models import RoleGrant
from core.access.viewer import Grant, Viewer
from core.assessment.models import AssessmentResult, GridVisit
from core.cases.models import Case, CaseStep
from core.outreach.models import OutreachActivity
from core.volunteers.models import WorkOrder

RANK = {"city": 0, "district": 1, "street": 2, "community": 3, "grid": 4}
OVERSEERS = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})


@dataclass(frozen=True)
class Archive:
    grid_visits: int
    cases_by_level: dict[str, int]
    cases_handled: int
    cases_resolved: int
    rated: int
    average_rating: float | None
    work_orders_completed: int
    work_orders_opened: int
    outreach_organised: int
    outreach_attendance: int
    colours: dict[str, str]


async def oversees(viewer: Viewer | None, cadre_id: int) -> Grant | None:
    """The viewer's grant that sits above one of the cadre's, if any (None for the cadre)."""
    if viewer is None:
        return None
    theirs = await RoleGrant.filter(person_id=cadre_id).values(
        "level", "district_id", "street_id", "community_id", "grid_id"
    )
    for grant in viewer.grants:
        if grant.role not in OVERSEERS or grant.level not in RANK:
            continue
        for other in theirs:
            if other["level"] not in RANK or RANK[grant.level] >= RANK[other["level"]]:
                continue
            if grant.level == "city" or other[f"{grant.level}_id"] == grant.place_id(grant.level):
                return grant
    return None


async def archive(cadre_id: int, start: datetime, end: datetime) -> Archive:
    steps = CaseStep.filter(actor_id=cadre_id, at__gte=start, at__lt=end)
    by_level = await (
        steps.annotate(n=Count("case_id", distinct=True))
        .group_by("from_level")
        .values_list("from_level", "n")
    )
    case_ids = set(await steps.distinct().values_list("case_id", flat=True))
    ratings = [
        row["rating"]
        for row in await Case.filter(id__in=list(case_ids), rating__isnull=False).values("rating")
    ]
    resolved = await steps.filter(action="RESOLVE").distinct().values_list("case_id", flat=True)
    held = OutreachActivity.filter(
        organiser_id=cadre_id, status="HELD", starts_at__gte=start, starts_at__lt=end
    )
    attendance = [row["attendance"] or 0 for row in await held.values("attendance")]
    colours = await AssessmentResult.filter(
        person_id=cadre_id, computed_at__lt=end
    ).values_list("quarter", "colour")  # fmt: skip
    return Archive(
        grid_visits=await GridVisit.filter(
            person_id=cadre_id, visited_at__gte=start, visited_at__lt=end
        ).count(),
        cases_by_level={level or "REPORT": n for level, n in by_level},
        cases_handled=len(case_ids),
        cases_resolved=len(set(resolved)),
        rated=len(ratings),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        work_orders_completed=await WorkOrder.filter(
            completed_by_id=cadre_id, completed_at__gte=start, completed_at__lt=end
        ).count(),
        work_orders_opened=await WorkOrder.filter(
            requester_id=cadre_id, created_at__gte=start, created_at__lt=end
        ).count(),
        outreach_organised=await held.count(),
        outreach_attendance=sum(attendance),
        colours=dict(sorted(colours)),
    )
