"""GraphQL types of outreach: teams of cadres and their activities.

Teams and activities are announcements, readable by every signed-in user (and, like the region
tree, through ``node``). The people in them are named as staff on duty (``memberNames``,
``organiserName``) to signed-in viewers only; ``members`` gives the Person records the viewer
may see under the people's own scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.outreach import models
from core.outreach.kinds import KIND_NAMES, ActivityKind
from core.outreach.rules import manager_grant
from schema.access.types import PERSON, Person
from schema.context import Context
from schema.limits import cost
from schema.loaders import by_id, child_counts
from schema.nodes import NodeSource
from schema.regions.types import (
    COMMUNITY,
    COMPOUND,
    DISTRICT,
    STREET,
    Community,
    Compound,
    District,
    Street,
)


@strawberry.enum(name="OutreachKind", description="What sort of outreach activity it is.")
class OutreachKind(Enum):
    POLICY_TALK = strawberry.enum_value(
        "POLICY_TALK", description="政策宣讲: cadres explain a policy to residents."
    )
    CORRIDOR_CLASS = strawberry.enum_value(
        "CORRIDOR_CLASS", description="楼道党课: a party class in a building's corridor."
    )
    COURTYARD_MEETING = strawberry.enum_value(
        "COURTYARD_MEETING",
        description="院落会议: residents of a compound meet in its courtyard about shared matters.",
    )
    STOOL_CLASS = strawberry.enum_value(
        "STOOL_CLASS",
        description="小马扎课堂: an informal open-air class; residents bring their own stools.",
    )


@strawberry.enum(name="OutreachActivityStatus", description="Where an outreach activity stands.")
class OutreachActivityStatus(Enum):
    PLANNED = strawberry.enum_value("PLANNED", description="Scheduled; not yet recorded as held.")
    HELD = strawberry.enum_value("HELD", description="Held, with its attendance recorded.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Called off before it was held.")


@strawberry.type(description="宣讲队: a team of cadres doing outreach at a district or a street.")
class OutreachTeam(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The team's name, e.g. 红旗街道政策宣讲队.")
    description: str = strawberry.field(description="What the team does.")
    active: bool = strawberry.field(
        description="Whether it still schedules activities (inactive teams schedule none)."
    )
    version: int = strawberry.field(
        description="Send it back when changing the team: a stale one is CONFLICT."
    )
    created_at: datetime = strawberry.field(description="When the team was created (UTC).")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int | None]

    @strawberry.field(description="The district the team belongs to.")
    async def district(self, info: Info) -> District:
        return await by_id(info.context, DISTRICT).load(self.district_id)

    @strawberry.field(description="The street of a street team; null for a district-wide team.")
    async def street(self, info: Info) -> Street | None:
        return await by_id(info.context, STREET).load(self.street_id) if self.street_id else None

    @strawberry.field(
        description="Members whose records you may see (people's own scope applies: others are "
        "left out; `memberNames` names them all).",
        metadata=cost(size=100),
    )
    async def members(self, info: Info) -> list[Person]:
        ids = await member_ids(info.context).load(self.id)
        found = await by_id(info.context, PERSON).load_many(ids)
        return [p for p in found if p is not None]

    @strawberry.field(description="How many members the team has.")
    async def member_count(self, info: Info) -> int:
        return len(await member_ids(info.context).load(self.id))

    @strawberry.field(
        description="The names of all members, in the order they were added: cadres on duty are "
        "named to the residents they serve. Empty when you are not signed in."
    )
    async def member_names(self, info: Info) -> list[str]:
        if info.context.viewer is None:
            return []
        ids = await member_ids(info.context).load(self.id)
        found = await by_id(info.context, PERSON).load_many(ids)
        return [p.name for p in found if p is not None]

    @strawberry.field(description="How many activities the team has scheduled (any status).")
    async def activity_count(self, info: Info) -> int:
        return await child_counts(info.context, ACTIVITY, "team_id").load(self.id)

    @strawberry.field(
        description="Whether you manage the team (change it, set its members, run its activities)."
    )
    def viewer_manages(self, info: Info) -> bool:
        return manager_grant(info.context.viewer, vars(self)) is not None

    @strawberry.field(description="Whether you are a member (you may schedule its activities).")
    async def viewer_is_member(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.person_id in await member_ids(info.context).load(
            self.id
        )


@strawberry.type(
    description="宣讲活动: an outreach activity (政策宣讲, 楼道党课, 院落会议 or 小马扎课堂) "
    "of a team, in a community."
)
class OutreachActivity(relay.Node):
    id: relay.NodeID[int]
    kind: OutreachKind = strawberry.field(description="What sort of activity it is.")
    topic: str = strawberry.field(description="What it is about, e.g. 供暖收费新政.")
    description: str = strawberry.field(description="More about it, for residents.")
    location: str = strawberry.field(
        description="Where exactly, in words, e.g. 3号楼2单元楼道 (may be empty)."
    )
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    status: OutreachActivityStatus = strawberry.field(description="Where it stands.")
    attendance: int | None = strawberry.field(
        description="How many people came, once it is HELD; null before."
    )
    cancel_reason: str | None = strawberry.field(
        description="Why it was called off, once CANCELLED (so residents know)."
    )
    version: int = strawberry.field(
        description="Send it back when recording attendance or cancelling: a stale one is CONFLICT."
    )
    created_at: datetime = strawberry.field(description="When it was scheduled (UTC).")
    team_id: strawberry.Private[int]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    compound_id: strawberry.Private[int | None]
    organiser_id: strawberry.Private[int]

    @strawberry.field(description="The kind's Chinese name, e.g. 楼道党课.")
    def kind_name(self) -> str:
        # Built from rows, ``kind`` holds the stored string; built by hand, the enum member.
        kind = self.kind.name if isinstance(self.kind, OutreachKind) else str(self.kind)
        return KIND_NAMES[ActivityKind(kind)]

    @strawberry.field(description="The community it takes place in.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(description="The compound it takes place in, if it is held in one.")
    async def compound(self, info: Info) -> Compound | None:
        if self.compound_id is None:
            return None
        return await by_id(info.context, COMPOUND).load(self.compound_id)

    @strawberry.field(description="The team that holds it.")
    async def team(self, info: Info) -> OutreachTeam:
        return await by_id(info.context, TEAM).load(self.team_id)

    @strawberry.field(
        description="The name of the cadre who organised it (staff on duty are named to the "
        "residents they serve); null when you are not signed in."
    )
    async def organiser_name(self, info: Info) -> str | None:
        if info.context.viewer is None:
            return None
        person = await by_id(info.context, PERSON).load(self.organiser_id)
        return person.name if person else None


def member_ids(context: Context) -> DataLoader[int, list[int]]:
    """The person ids of each team's members, in the order they were added."""

    async def load(team_ids: Sequence[int]) -> list[list[int]]:
        rows = (
            await models.OutreachMember.filter(team_id__in=list(team_ids))
            .order_by("id")
            .values_list("team_id", "person_id")
        )
        found: dict[int, list[int]] = {i: [] for i in team_ids}
        for team_id, person_id in rows:
            found[team_id].append(person_id)
        return [found[i] for i in team_ids]

    return context.loader("outreach_member_ids", lambda: DataLoader(load))


TEAM = NodeSource(OutreachTeam, models.OutreachTeam)
ACTIVITY = NodeSource(OutreachActivity, models.OutreachActivity)
