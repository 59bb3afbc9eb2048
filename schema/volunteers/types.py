"""GraphQL types of volunteer teams and work orders, their loaders and node sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.cases.rules import OVERSIGHT
from core.volunteers import models
from core.volunteers.flow import WorkOrderAction
from core.volunteers.orders import WorkOrderKind, WorkOrderSource, WorkOrderStatus
from core.volunteers.photos import PhotoStage
from core.volunteers.rules import (
    TEAM_SCOPE,
    WORK_ORDER_SCOPE,
    allowed_for,
    is_requester,
    scope_facts,
)
from schema.access.posts import PIONEER_POST, PioneerPost
from schema.access.rules import scoped
from schema.access.types import PERSON, Person
from schema.cases.types import CASE, Case
from schema.context import Context
from schema.ids import global_id
from schema.limits import cost
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.regions.types import COMMUNITY, COMPOUND, Community, Compound
from schema.volunteers.photos import WorkOrderPhoto, photos_by_order

strawberry.enum(WorkOrderKind, description="What a volunteer team is asked to do.")
strawberry.enum(
    WorkOrderSource,
    description="Who asked for a work order: a RESIDENT, a CASE handler, a DELIBERATION "
    "decision, or community STAFF.",
)
strawberry.enum(
    WorkOrderStatus,
    description="REQUESTED → ASSIGNED → DONE → CONFIRMED, or CANCELLED before it is done.",
)
strawberry.enum(WorkOrderAction, description="What can happen to a work order.")

TOPIC_TYPE = "DeliberationTopic"
"""The GraphQL type name of deliberation topics (global ids in ``WorkOrder.topicId``)."""


@strawberry.type(description="A person in a volunteer team, with the skills they bring.")
class VolunteerMember:
    name: str = strawberry.field(
        description="The volunteer's name: volunteers are named to the residents they serve, "
        "whatever the scope of their own record."
    )
    skills: list[str] = strawberry.field(description="Skills, e.g. 水电维修.")
    joined_at: datetime = strawberry.field(description="When they joined the team (UTC).")
    person_id: strawberry.Private[int]

    @strawberry.field(description="The person; null when you may not see their record.")
    async def person(self, info: Info) -> Person | None:
        return await by_id(info.context, PERSON).load(self.person_id)


@scoped(TEAM_SCOPE)
@strawberry.type(
    description="银发志愿服务队 and the like: a volunteer team of a community, with its "
    "members, skills, responsibility areas and pioneer posts. Anyone signed in may see teams."
)
class VolunteerTeam(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Name, unique in its community.")
    kind: str = strawberry.field(description="Kind of team, e.g. 银发志愿服务队.")
    description: str = strawberry.field(description="What the team does.")
    skills: list[str] = strawberry.field(description="What the team can do, e.g. 水电维修.")
    active: bool = strawberry.field(description="Whether it takes work orders.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    version: int = strawberry.field(
        description="Send it back with a change: a stale one is CONFLICT."
    )
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    leader_id: strawberry.Private[int | None]

    @strawberry.field(description="The community the team serves.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(description="The leader; null when there is none or you may not see them.")
    async def leader(self, info: Info) -> Person | None:
        return await by_id(info.context, PERSON).load(self.leader_id) if self.leader_id else None

    @strawberry.field(description="The leader's name (named to everyone, as members are).")
    async def leader_name(self, info: Info) -> str | None:
        if self.leader_id is None:
            return None
        members = await members_by_team(info.context).load(self.id)
        return next((m.name for m in members if m.person_id == self.leader_id), None)

    @strawberry.field(description="The members, in the order they joined.", metadata=cost(size=100))
    async def members(self, info: Info) -> list[VolunteerMember]:
        return await members_by_team(info.context).load(self.id)

    @strawberry.field(
        description="责任区: the compounds the team is responsible for.", metadata=cost(size=50)
    )
    async def compounds(self, info: Info) -> list[Compound]:
        ids = await attached(info.context, models.VolunteerTeamArea, "compound_id").load(self.id)
        found = await by_id(info.context, COMPOUND).load_many(ids)
        return [c for c in found if c is not None]

    @strawberry.field(description="党员先锋岗 attached to the team.", metadata=cost(size=20))
    async def pioneer_posts(self, info: Info) -> list[PioneerPost]:
        ids = await attached(info.context, models.VolunteerTeamPost, "post_id").load(self.id)
        found = await by_id(info.context, PIONEER_POST).load_many(ids)
        return [p for p in found if p is not None]


@scoped(WORK_ORDER_SCOPE)
@strawberry.type(
    description="A job for a volunteer team (a repair, a hazard check): REQUESTED, ASSIGNED to "
    "a team, DONE with before and after photos, CONFIRMED by who asked for it. Seen by who "
    "asked for it, the members of its team and the staff at its place."
)
class WorkOrder(relay.Node):
    id: relay.NodeID[int]
    kind: WorkOrderKind = strawberry.field(description="What is to be done.")
    title: str = strawberry.field(description="Short title.")
    description: str = strawberry.field(description="What is wrong.")
    source: WorkOrderSource = strawberry.field(description="Who asked for it.")
    status: WorkOrderStatus = strawberry.field(description="Where it stands.")
    address: str = strawberry.field(description="Free-text address (flat, building).")
    completed_at: datetime | None = strawberry.field(description="When it was done (UTC).")
    confirmed_at: datetime | None = strawberry.field(description="When confirmed (UTC).")
    satisfied: bool | None = strawberry.field(
        description="Whether who asked for it was satisfied, once confirmed."
    )
    feedback: str | None = strawberry.field(description="What they said when confirming.")
    cancel_reason: str | None = strawberry.field(
        description="Why it was cancelled, once CANCELLED."
    )
    created_at: datetime = strawberry.field(description="When it was opened (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    version: int = strawberry.field(
        description="Send it back with a step: a stale one is CONFLICT."
    )
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    requester_id: strawberry.Private[int | None]
    case_id: strawberry.Private[int | None]
    topic_id: strawberry.Private[int | None]
    team_id: strawberry.Private[int | None]
    completed_by_id: strawberry.Private[int | None]
    completion_note: strawberry.Private[str]
    member_ids: strawberry.Private[frozenset[int]] = frozenset()
    grid_ids: strawberry.Private[frozenset[int]] = frozenset()
    department_ids: strawberry.Private[frozenset[int]] = frozenset()
    case_anonymous: strawberry.Private[bool] = False

    @strawberry.field(description="The community it is in.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(description="The compound, if it is at one.")
    async def compound(self, info: Info) -> Compound | None:
        if self.compound_id is None:
            return None
        return await by_id(info.context, COMPOUND).load(self.compound_id)

    @strawberry.field(description="The team it is assigned to, if any.")
    async def team(self, info: Info) -> VolunteerTeam | None:
        return (
            await by_id(info.context, VOLUNTEER_TEAM).load(self.team_id) if self.team_id else None
        )

    @strawberry.field(
        description="Who asked for it (for a work order from a case: the case's reporter); "
        "null when nobody did, when you may not see them, or when they reported the case "
        "anonymously (except to themself and to administrators)."
    )
    async def requester(self, info: Info) -> Person | None:
        if self.requester_id is None:
            return None
        viewer, row = info.context.viewer, vars(self)
        if (
            self.case_anonymous
            and not is_requester(viewer, row)
            and not OVERSIGHT.covering_grant(viewer, row)
        ):
            return None
        return await by_id(info.context, PERSON).load(self.requester_id)

    @strawberry.field(description="The case it was spawned from; null if none or not visible.")
    async def case(self, info: Info) -> Case | None:
        return await by_id(info.context, CASE).load(self.case_id) if self.case_id else None

    @strawberry.field(
        name="topicId",
        description="The global id of the deliberation topic (DeliberationTopic) whose "
        "decision spawned it, if any.",
    )
    def topic(self) -> strawberry.ID | None:
        if self.topic_id is None:
            return None
        return strawberry.ID(global_id(TOPIC_TYPE, self.topic_id))

    @strawberry.field(description="The team member who did the job; null if not visible.")
    async def completed_by(self, info: Info) -> Person | None:
        if self.completed_by_id is None:
            return None
        return await by_id(info.context, PERSON).load(self.completed_by_id)

    @strawberry.field(
        name="completionNote", description="What the team wrote when it was done, once DONE."
    )
    def done_note(self) -> str | None:
        done = self.status in (WorkOrderStatus.DONE, WorkOrderStatus.CONFIRMED)
        return self.completion_note if done else None

    @strawberry.field(description="Photos before and after the job, oldest first.")
    async def photos(
        self,
        info: Info,
        stage: Annotated[
            PhotoStage | None, strawberry.argument(description="Only the photos of this stage.")
        ] = None,
    ) -> list[WorkOrderPhoto]:
        photos = await photos_by_order(info.context).load(self.id)
        return [p for p in photos if stage is None or p.stage == stage]

    @strawberry.field(description="The steps you may take on it now (empty: none).")
    def allowed_actions(self, info: Info) -> list[WorkOrderAction]:
        return allowed_for(info.context.viewer, vars(self))


def members_by_team(context: Context) -> DataLoader[int, list[VolunteerMember]]:
    async def load(ids: Sequence[int]) -> list[list[VolunteerMember]]:
        rows = (
            await models.VolunteerMember.filter(team_id__in=list(ids))
            .order_by("id")
            .values("team_id", "person_id", "skills", "joined_at", name="person__name")
        )
        found: dict[int, list[VolunteerMember]] = {i: [] for i in ids}
        for row in rows:
            found[row.pop("team_id")].append(VolunteerMember(**row))
        return [found[i] for i in ids]

    return context.loader("volunteer_members", lambda: DataLoader(load))


def attached(
    context: Context, model: type[models.VolunteerTeamArea | models.VolunteerTeamPost], column: str
) -> DataLoader[int, list[int]]:
    """The ids of the compounds or posts attached to many teams, in one statement."""

    async def load(ids: Sequence[int]) -> list[list[int]]:
        rows = (
            await model.filter(team_id__in=list(ids)).order_by("id").values_list("team_id", column)
        )
        found: dict[int, list[int]] = {i: [] for i in ids}
        for team_id, other in rows:
            found[team_id].append(other)
        return [found[i] for i in ids]

    return context.loader(("volunteer_attached", column), lambda: DataLoader(load))


def orders_by_case(context: Context) -> DataLoader[int, list[WorkOrder]]:
    async def load(ids: Sequence[int]) -> list[list[WorkOrder]]:
        rows = (
            await models.WorkOrder.filter(case_id__in=list(ids))
            .order_by("id")
            .values(*WORK_ORDER.columns)
        )
        orders = [WORK_ORDER.build(row) for row in rows]
        await _with_facts(orders)
        found: dict[int, list[WorkOrder]] = {i: [] for i in ids}
        for order in orders:
            found[order.case_id].append(order)
        return [found[i] for i in ids]

    return context.loader("work_orders_by_case", lambda: DataLoader(load))


@strawberry.type
class CaseWorkOrders:
    """Fields of ``Case`` that live with the volunteers domain."""

    @strawberry.field(
        description="Work orders spawned from this case (those you may see).",
        metadata=cost(size=20),
    )
    async def work_orders(self, info: Info) -> list[WorkOrder]:
        case_id: int = self.id  # type: ignore[attr-defined]  # resolved on a Case
        return await orders_by_case(info.context).load(case_id)


async def _with_facts(orders: Sequence[Any]) -> None:
    if not orders:
        return
    facts = await scope_facts(vars(o) for o in orders)
    for order in orders:
        for name, value in vars(facts[order.id]).items():
            setattr(order, name, value)


VOLUNTEER_TEAM = NodeSource(VolunteerTeam, models.VolunteerTeam)
WORK_ORDER = NodeSource(WorkOrder, models.WorkOrder, enrich=_with_facts)
