"""Root fields of the assessment: results, runs, appeals, grid visits, the performance archive."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.assessment import appeals as appeal_service
from core.assessment.archive import archive, oversees
from core.assessment.quarters import Quarter
from core.assessment.rules import ASSESSORS, RESULT_SCOPE
from core.assessment.runs import run_assessment
from core.assessment.scoring import Colour
from core.assessment.visits import VisitPlace, record_visit
from core.errors import BadUserInput, Forbidden
from core.regions.places import find_place
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.assessment.types import ASSESSMENT_RESULT, AppealOutcome, AssessmentResult
from schema.context import Context
from schema.ids import global_id, key_of, type_name_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection

PLACE_COLUMNS = {"District": "district_id", "Street": "street_id", "Community": "community_id"}


@strawberry.type(description="A count of results of one colour.")
class ColourCount:
    colour: Colour = strawberry.field(description="The colour.")
    count: int = strawberry.field(description="How many workers got it.")


@strawberry.type(description="What a run of the assessment did.")
class AssessmentRunSummary:
    quarter: str = strawberry.field(description="The quarter assessed.")
    workers: int = strawberry.field(description="Community workers assessed.")
    colours: list[ColourCount] = strawberry.field(description="Results by colour.")
    frozen: int = strawberry.field(
        description="Results left as they were because the worker appealed them."
    )
    seconds: float = strawberry.field(description="How long the run took.")


@strawberry.type(description="A grid visit recorded on patrol.")
class GridVisitRecord:
    id: strawberry.ID = strawberry.field(description="The visit's id.")
    visited_at: datetime = strawberry.field(description="When (UTC).")


@strawberry.type(description="Cases a cadre took steps on, at one level.")
class LevelCount:
    level: str = strawberry.field(description="GRID, COMMUNITY, DEPARTMENT, STREET or REPORT.")
    cases: int = strawberry.field(description="Distinct cases.")


@strawberry.type(description="A quarter's colour in the archive.")
class QuarterColour:
    quarter: str = strawberry.field(description="The quarter.")
    colour: Colour = strawberry.field(description="The colour.")


@strawberry.type(
    description="一线实绩档案: a cadre's record over a period, aggregated from the records "
    "(never typed in): the evidence list for promotion reviews."
)
class PerformanceArchive:
    grid_visits: int = strawberry.field(description="Grid visits recorded on patrol.")
    cases_handled: int = strawberry.field(description="Distinct cases they took a step on.")
    cases_by_level: list[LevelCount] = strawberry.field(
        description="Those cases by the level they acted at."
    )
    cases_resolved: int = strawberry.field(description="Cases they resolved.")
    rated: int = strawberry.field(description="Handled cases the resident rated.")
    average_rating: float | None = strawberry.field(description="Mean rating of those, 1–5.")
    work_orders_completed: int = strawberry.field(description="Volunteer work orders completed.")
    work_orders_opened: int = strawberry.field(description="Work orders they asked for.")
    outreach_organised: int = strawberry.field(description="Outreach activities held.")
    outreach_attendance: int = strawberry.field(description="People at those activities.")
    colours: list[QuarterColour] = strawberry.field(description="Assessment colours by quarter.")


@strawberry.type
class AssessmentQuery:
    @strawberry.field(
        description="Assessment results of a quarter you may see (your own; the workers below "
        "you), optionally in a place and of one colour, lowest score first.",
        permission_classes=[IsAuthenticated],
    )
    async def assessment_results(
        self, info: Info, quarter: str, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None,
        place_id: strawberry.ID | None = None, colour: Colour | None = None,
    ) -> Connection[AssessmentResult]:  # fmt: skip
        filters = [Q(quarter=Quarter.parse(quarter).name)]
        if place_id is not None:
            kind = type_name_of(place_id, what="place")
            if kind not in PLACE_COLUMNS:
                raise BadUserInput("Give a district, street or community.", argument="placeId")
            lookup: dict[str, Any] = {PLACE_COLUMNS[kind]: key_of(place_id, kind, what="place")}
            filters.append(Q(**lookup))
        if colour is not None:
            filters.append(Q(colour=colour.value))
        return await scoped_connection(
            info, ASSESSMENT_RESULT, RESULT_SCOPE, first, after, *filters
        )

    @strawberry.field(
        description="A cadre's performance archive for [from, to): for the cadre and those above "
        "them (their place's officers and admins).",
        permission_classes=[IsAuthenticated],
    )
    async def performance_archive(
        self,
        info: Info,
        person_id: strawberry.ID,
        start: Annotated[datetime, strawberry.argument(name="from", description="Start.")],
        end: Annotated[datetime, strawberry.argument(name="to", description="End (exclusive).")],
    ) -> PerformanceArchive:
        context: Context = info.context
        if end <= start:
            raise BadUserInput("The period must end after it starts.", argument="to")
        cadre = key_of(person_id, "Person", what="person")
        viewer = context.viewer
        if not (viewer and viewer.person_id == cadre) and await oversees(viewer, cadre) is None:
            raise Forbidden("An archive is for the cadre and those above them.")
        a = await archive(cadre, start, end)
        return PerformanceArchive(
            grid_visits=a.grid_visits, cases_handled=a.cases_handled,
            cases_by_level=[LevelCount(level=k, cases=v)
                            for k, v in sorted(a.cases_by_level.items())],
            cases_resolved=a.cases_resolved, rated=a.rated, average_rating=a.average_rating,
            work_orders_completed=a.work_orders_completed, work_orders_opened=a.work_orders_opened,
            outreach_organised=a.outreach_organised, outreach_attendance=a.outreach_attendance,
            colours=[QuarterColour(quarter=q, colour=Colour(c)) for q, c in a.colours.items()],
        )  # fmt: skip


@strawberry.type
class AssessmentMutation:
    @strawberry.mutation(
        description="Assess the community workers of a quarter (2026Q3), city-wide (city admins) "
        "or in one district (its admins). Safe to run again: results follow the records, except "
        "appealed ones, which stay as judged until reviewed.",
        permission_classes=[IsAuthenticated],
    )
    async def run_assessment(
        self, info: Info, quarter: str, district_id: strawberry.ID | None = None
    ) -> AssessmentRunSummary:
        context: Context = info.context
        parsed = Quarter.parse(quarter)
        district = key_of(district_id, "District", what="district") if district_id else None
        place = (await find_place("District", district)).row() if district else {}
        grant = ASSESSORS.covering_grant(context.viewer, place)
        if grant is None or (district is None and grant.level != "city"):
            raise Forbidden("City admins assess the city; district admins their district.")
        viewer = context.viewer
        summary = await run_assessment(
            context.activation.config, parsed, district, viewer.person_id if viewer else None
        )
        context.note.used(grant)
        context.note.about(district_id, district, quarter=parsed.name, workers=summary.workers)
        return AssessmentRunSummary(
            quarter=summary.quarter, workers=summary.workers,
            colours=[ColourCount(colour=Colour(c), count=n)
                     for c, n in sorted(summary.colours.items())],
            frozen=summary.frozen, seconds=round(summary.seconds, 3),
        )  # fmt: skip

    @strawberry.mutation(
        description="Appeal your own YELLOW, ORANGE or RED result, once, saying why. The result "
        "stays as judged until a district admin reviews the appeal.",
        permission_classes=[IsAuthenticated],
    )
    async def appeal_assessment(
        self, info: Info, result_id: strawberry.ID, reason: str
    ) -> AssessmentResult:
        context: Context = info.context
        key = key_of(result_id, "AssessmentResult", what="assessment result")
        made = await appeal_service.appeal(context.viewer, key, reason)
        result = await _result(context, key)
        context.note.about(
            result_id, result.district_id, appeal=global_id("AssessmentAppeal", made.id)
        )
        return result

    @strawberry.mutation(
        description="Decide a pending appeal (the admins of the worker's district): UPHELD keeps "
        "the colour, CHANGED sets `colour`; `note` records why.",
        permission_classes=[IsAuthenticated],
    )
    async def review_assessment_appeal(
        self, info: Info, appeal_id: strawberry.ID, outcome: AppealOutcome, note: str,
        colour: Colour | None = None,
    ) -> AssessmentResult:  # fmt: skip
        context: Context = info.context
        key = key_of(appeal_id, "AssessmentAppeal", what="appeal")
        decided, grant = await appeal_service.review(context.viewer, key, outcome, note, colour)
        context.note.used(grant)
        result = await _result(context, decided.result_id)
        context.note.about(
            global_id("AssessmentResult", result.id), result.district_id, outcome=outcome.value,
            colour=decided.colour_after,
        )  # fmt: skip
        return result

    @strawberry.mutation(
        description="走访: record a patrol visit in your grid, at a compound, a grid or the point "
        "you stand on (grid workers of that grid).",
        permission_classes=[IsAuthenticated],
    )
    async def record_grid_visit(
        self, info: Info, compound_id: strawberry.ID | None = None,
        grid_id: strawberry.ID | None = None, lon: float | None = None, lat: float | None = None,
        note: str = "",
    ) -> GridVisitRecord:  # fmt: skip
        context: Context = info.context
        place = VisitPlace(
            compound_id=key_of(compound_id, "Compound", what="compound") if compound_id else None,
            grid_id=key_of(grid_id, "Grid", what="grid") if grid_id else None, lon=lon, lat=lat,
        )  # fmt: skip
        visit, grant = await record_visit(context.viewer, place, note)
        context.note.used(grant)
        context.note.about(global_id("Grid", visit.grid_id), visit.district_id)
        return GridVisitRecord(
            id=strawberry.ID(global_id("GridVisit", visit.id)), visited_at=visit.visited_at
        )


async def _result(context: Context, key: int) -> AssessmentResult:
    context.forget_loaders()
    found = await by_id(context, ASSESSMENT_RESULT).load(key)
    assert found is not None
    return found
