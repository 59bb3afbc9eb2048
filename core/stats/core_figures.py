"""Core's dashboard figures: the kinds of figures the article publishes, from the records."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

from core.access.models import RoleGrant
from core.assessment.models import GridVisit
from core.cases.models import Case, CaseStep
from core.deliberation.models import DeliberationTopic
from core.outreach.models import OutreachActivity
from core.regions.models import Compound, Grid
from core.stations.models import ServiceApplication, ServiceStation
from core.stats.figures import FigureSpec, Unit
from core.stats.scope import PlaceScope
from core.volunteers.models import VolunteerTeam, WorkOrder

NO_GRID = {"grid": None}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def grids(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(grid="id")
    return None if q is None else await Grid.filter(q, created_at__lt=end).count()


async def grid_workers(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q()
    if q is None:
        return None
    found = await (
        RoleGrant.filter(q, role="GRID_WORKER", created_at__lt=end)
        .annotate(n=Count("person_id", distinct=True))
        .values("n")
    )
    return found[0]["n"] if found else 0


async def stations(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    return None if q is None else await ServiceStation.filter(q, created_at__lt=end).count()


async def property_coverage(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q()
    if q is None:
        return None
    compounds = Compound.filter(q, created_at__lt=end)
    return _share(
        await compounds.filter(has_property_management=True).count(), await compounds.count()
    )


def _cases(place: PlaceScope) -> Q | None:
    return place.q()


async def cases_received(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    return (
        None
        if q is None
        else await Case.filter(q, created_at__gte=start, created_at__lt=end).count()
    )


async def cases_solved(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    if q is None:
        return None
    found = await (
        CaseStep.filter(
            case_id__in=Subquery(Case.filter(q).values("id")), action="RESOLVE",
            at__gte=start, at__lt=end,
        ).annotate(n=Count("case_id", distinct=True)).values("n")
    )  # fmt: skip
    return found[0]["n"] if found else 0


async def completion_rate(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    if q is None:
        return None
    received = Case.filter(q, created_at__gte=start, created_at__lt=end).exclude(status="REJECTED")
    done = await received.filter(status__in=("RESOLVED", "CLOSED")).count()
    return _share(done, await received.count())


async def satisfaction(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    if q is None:
        return None
    ratings = await Case.filter(
        q, closed_at__gte=start, closed_at__lt=end, rating__isnull=False
    ).values_list("rating", flat=True)
    return round(sum(ratings) / len(ratings), 2) if ratings else None  # type: ignore[arg-type]


async def disputes_mediated(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    if q is None:
        return None
    return await Case.filter(
        q, category="neighbour_dispute", resolved_at__gte=start, resolved_at__lt=end
    ).count()


async def snap_reports(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = _cases(place)
    if q is None:
        return None
    return await Case.filter(
        q, source="SNAPSHOT", created_at__gte=start, created_at__lt=end
    ).count()


async def volunteer_teams(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    return (
        None
        if q is None
        else await VolunteerTeam.filter(q, active=True, created_at__lt=end).count()
    )


async def work_orders_done(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    return await WorkOrder.filter(q, completed_at__gte=start, completed_at__lt=end).count()


async def activities_held(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    return await OutreachActivity.filter(
        q, status="HELD", starts_at__gte=start, starts_at__lt=end
    ).count()


async def activity_attendance(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    rows = await OutreachActivity.filter(
        q, status="HELD", starts_at__gte=start, starts_at__lt=end
    ).values("attendance")
    return sum(row["attendance"] or 0 for row in rows)


async def services_done(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    return await ServiceApplication.filter(
        q, status="DONE", finished_at__gte=start, finished_at__lt=end
    ).count()


async def doorstep_rate(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    done = ServiceApplication.filter(q, status="DONE", finished_at__gte=start, finished_at__lt=end)
    return _share(await done.filter(at_doorstep=True).count(), await done.count())


async def topics_decided(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(**NO_GRID)
    if q is None:
        return None
    return await DeliberationTopic.filter(
        q, status="DECIDED", decided_at__gte=start, decided_at__lt=end
    ).count()


async def grid_visits(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q()
    if q is None:
        return None
    return await GridVisit.filter(q, visited_at__gte=start, visited_at__lt=end).count()


async def people_served(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    """Distinct people whose case was resolved, whose application was done or whose work
    order was confirmed in the period."""
    q, q_no_grid = place.q(), place.q(**NO_GRID)
    if q is None:
        return None
    people: set[int] = set()
    people |= set(
        await Case.filter(
            q, resolved_at__gte=start, resolved_at__lt=end, reporter_id__isnull=False
        ).values_list("reporter_id", flat=True)  # type: ignore[arg-type]
    )
    if q_no_grid is not None and place.level != "grid":
        people |= set(
            await ServiceApplication.filter(
                q_no_grid, status="DONE", finished_at__gte=start, finished_at__lt=end
            ).values_list("applicant_id", flat=True)  # type: ignore[arg-type]
        )
        people |= set(
            await WorkOrder.filter(
                q_no_grid, confirmed_at__gte=start, confirmed_at__lt=end, requester_id__isnull=False
            ).values_list("requester_id", flat=True)  # type: ignore[arg-type]
        )
    return len(people)


CORE_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("regions.grids", "服务微网格", "Service grids",
               "Grids at the place at the end of the period.", Unit.COUNT, grids, stock=True),
    FigureSpec("people.grid_workers", "下沉网格干部", "Cadres sunk into grids",
               "Distinct people holding the grid worker role at the place.", Unit.COUNT,
               grid_workers, stock=True),
    FigureSpec("stations.count", "党群服务站点", "Party-mass service stations",
               "Service stations at the place.", Unit.COUNT, stations, stock=True),
    FigureSpec("regions.property_coverage", "物业覆盖率", "Property-management coverage",
               "Share of compounds with a property company.", Unit.RATE, property_coverage,
               stock=True),
    FigureSpec("cases.received", "受理诉求", "Cases received",
               "Cases reported in the period.", Unit.COUNT, cases_received),
    FigureSpec("cases.solved", "解决诉求", "Cases solved",
               "Cases with a resolution in the period.", Unit.COUNT, cases_solved),
    FigureSpec("cases.completion_rate", "办结率", "Completion rate",
               "Of the cases received in the period and not rejected, the share now resolved "
               "or closed.", Unit.RATE, completion_rate),
    FigureSpec("cases.satisfaction", "群众满意度", "Residents' satisfaction",
               "Mean rating (1–5) of the rated cases closed in the period.", Unit.RATING,
               satisfaction),
    FigureSpec("cases.disputes_mediated", "化解矛盾纠纷", "Disputes mediated",
               "Neighbour-dispute cases resolved in the period.", Unit.COUNT, disputes_mediated),
    FigureSpec("cases.snap_reports", "随手拍", "Snap reports",
               "Cases reported from a phone (source SNAPSHOT) in the period.", Unit.COUNT,
               snap_reports),
    FigureSpec("volunteers.teams", "志愿服务队", "Volunteer teams",
               "Active volunteer teams at the place.", Unit.COUNT, volunteer_teams, stock=True),
    FigureSpec("volunteers.work_orders_done", "志愿服务工单", "Volunteer jobs done",
               "Work orders completed in the period.", Unit.COUNT, work_orders_done),
    FigureSpec("outreach.activities_held", "开展活动", "Activities held",
               "Outreach activities held in the period.", Unit.COUNT, activities_held),
    FigureSpec("outreach.attendance", "活动参与人次", "Activity attendance",
               "People at the outreach activities held in the period.", Unit.COUNT,
               activity_attendance),
    FigureSpec("services.done", "一站式办结", "One-stop services done",
               "Applications done in the period.", Unit.COUNT, services_done),
    FigureSpec("services.doorstep_rate", "上门办理率", "Handled at the doorstep",
               "Of the applications done in the period, the share done at the applicant's "
               "home.", Unit.RATE, doorstep_rate),
    FigureSpec("deliberation.topics_decided", "议事决定", "Deliberations decided",
               "Deliberation topics decided in the period.", Unit.COUNT, topics_decided),
    FigureSpec("visits.grid_visits", "网格走访", "Grid visits",
               "Patrol visits recorded by grid workers in the period.", Unit.COUNT, grid_visits),
    FigureSpec("people.served", "服务群众", "People served",
               "Distinct people whose case was resolved, whose application was done or whose "
               "work order was confirmed in the period.", Unit.COUNT, people_served),
)  # fmt: skip
