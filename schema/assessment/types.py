"""GraphQL types of the three-colour warning: results, their figures, rubric and appeal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.assessment import models
from core.assessment.appeals import AppealOutcome
from core.assessment.rules import RESULT_SCOPE
from core.assessment.scoring import Colour, WorkerFigures
from schema.access.rules import scoped
from schema.access.types import PERSON, Person
from schema.context import Context
from schema.ids import global_id
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.regions.types import COMMUNITY, Community

strawberry.enum(
    Colour,
    name="WarningColour",
    description="三色预警: GREEN no warning, YELLOW 黄牌提醒 (a reminder), ORANGE 橙牌谈话 (a "
    "talk), RED 红牌清退 (recommended for dismissal).",
)
strawberry.enum(AppealOutcome, name="AppealOutcome", description="How an appeal was decided.")


@strawberry.type(description="What a worker did in the quarter, from the case records.")
class AssessmentFigures:
    handled: int = strawberry.field(description="Cases the worker took a step on in the quarter.")
    rejected: int = strawberry.field(description="Of those, rejected cases.")
    completed: int = strawberry.field(
        description="Of those not rejected, resolved or closed by the quarter's end."
    )
    resolved: int = strawberry.field(description="Of those, last resolved within the quarter.")
    on_time: int = strawberry.field(description="Of those resolved, before their deadline.")
    rated: int = strawberry.field(description="Handled cases the resident rated.")
    complaints: int = strawberry.field(
        description="Ratings at or below the rubric's `complaintMaxRating`."
    )
    completion_rate: float | None = strawberry.field(
        description="completed / (handled − rejected)."
    )
    on_time_rate: float | None = strawberry.field(description="onTime / resolved.")
    satisfaction: float | None = strawberry.field(description="Mean rating, 1–5.")


def figures_type(stored: dict[str, Any]) -> AssessmentFigures:
    f = WorkerFigures(**stored)
    return AssessmentFigures(
        handled=f.handled, rejected=f.rejected, completed=f.completed, resolved=f.resolved,
        on_time=f.on_time, rated=f.rated, complaints=f.complaints,
        completion_rate=f.completion_rate, on_time_rate=f.on_time_rate,
        satisfaction=f.satisfaction,
    )  # fmt: skip


@strawberry.type(description="The rubric a result was judged by, exactly as it was then.")
class AssessmentRubric:
    version: str = strawberry.field(description="A fingerprint of its content (12 hex digits).")
    weight_completion_rate: float = strawberry.field(description="Weight of the completion rate.")
    weight_on_time_rate: float = strawberry.field(description="Weight of the on-time rate.")
    weight_satisfaction: float = strawberry.field(description="Weight of satisfaction (0–1).")
    complaint_penalty: float = strawberry.field(description="Points off per complaint.")
    complaint_max_rating: int = strawberry.field(description="A rating at or below: a complaint.")
    green_from: float = strawberry.field(description="GREEN from this score.")
    yellow_from: float = strawberry.field(description="YELLOW from this score.")
    orange_from: float = strawberry.field(description="ORANGE from this score; below it RED.")
    min_cases: int = strawberry.field(description="Fewest handled cases for a score.")
    sparse_colour: Colour = strawberry.field(description="The colour below `minCases`.")


@strawberry.type(description="A worker's appeal against a result and its review.")
class AssessmentAppeal:
    id: strawberry.ID = strawberry.field(description="Send it to `reviewAssessmentAppeal`.")
    status: str = strawberry.field(description="PENDING, UPHELD or CHANGED.")
    reason: str = strawberry.field(description="What the worker wrote.")
    filed_at: datetime = strawberry.field(description="When (UTC).")
    colour_before: Colour = strawberry.field(description="The colour appealed against.")
    colour_after: Colour | None = strawberry.field(description="The colour after review.")
    review_note: str | None = strawberry.field(description="Why the reviewer decided so.")
    reviewed_at: datetime | None = strawberry.field(description="When it was reviewed (UTC).")


@scoped(RESULT_SCOPE)
@strawberry.type(
    description="A community worker's colour for a quarter, with the figures and the rubric that "
    "produced it: seen by the worker and by the officers above their community."
)
class AssessmentResult(relay.Node):
    id: relay.NodeID[int]
    quarter: str = strawberry.field(description="The quarter, e.g. 2026Q3.")
    colour: Colour = strawberry.field(description="The colour (after any appeal review).")
    score: float | None = strawberry.field(
        description="0–100; null when the worker handled too few cases to score."
    )
    computed_at: datetime = strawberry.field(description="When the figures were computed (UTC).")
    version: int = strawberry.field(description="Changes whenever the result does.")
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    rubric_id: strawberry.Private[int]
    figures: strawberry.Private[dict[str, Any]]

    @strawberry.field(name="figures", description="The figures behind the score.")
    def figures_info(self) -> AssessmentFigures:
        return figures_type(self.figures)

    @strawberry.field(description="The rubric it was judged by.")
    async def rubric(self, info: Info) -> AssessmentRubric:
        return await rubrics(info.context).load(self.rubric_id)

    @strawberry.field(description="The worker's appeal, if any.")
    async def appeal(self, info: Info) -> AssessmentAppeal | None:
        return await appeals(info.context).load(self.id)

    @strawberry.field(description="The worker; null when you may not see their record.")
    async def person(self, info: Info) -> Person | None:
        return await by_id(info.context, PERSON).load(self.person_id)

    @strawberry.field(description="The worker's name.")
    async def person_name(self, info: Info) -> str | None:
        person = await by_id(info.context, PERSON).load(self.person_id)
        return person.name if person else await _name(self.person_id)

    @strawberry.field(description="The community the worker serves.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)


async def _name(person_id: int) -> str | None:
    from core.people.directory import names_of

    return (await names_of([person_id])).get(person_id)


def rubrics(context: Context) -> DataLoader[int, AssessmentRubric]:
    async def load(ids: Sequence[int]) -> list[AssessmentRubric]:
        rows = await models.AssessmentRubric.filter(id__in=list(ids)).values(
            "id", "digest", "content"
        )
        found = {
            row["id"]: AssessmentRubric(version=row["digest"][:12], **row["content"])
            for row in rows
        }
        return [found[i] for i in ids]

    return context.loader("assessment_rubrics", lambda: DataLoader(load))


def appeals(context: Context) -> DataLoader[int, AssessmentAppeal | None]:
    async def load(ids: Sequence[int]) -> list[AssessmentAppeal | None]:
        rows = await models.AssessmentAppeal.filter(result_id__in=list(ids)).values(
            "id", "result_id", "status", "reason", "filed_at", "colour_before", "colour_after",
            "review_note", "reviewed_at",
        )  # fmt: skip
        found = {}
        for row in rows:
            result_id = row.pop("result_id")
            row["id"] = strawberry.ID(global_id("AssessmentAppeal", row["id"]))
            found[result_id] = AssessmentAppeal(**row)
        return [found.get(i) for i in ids]

    return context.loader("assessment_appeals", lambda: DataLoader(load))


ASSESSMENT_RESULT = NodeSource(AssessmentResult, models.AssessmentResult)
