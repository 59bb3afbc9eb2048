"""Root fields of volunteer teams: listing them (anyone signed in), and creating and editing
them, their members and what is attached to them (the community's managers)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.volunteers.rules import TEAM_SCOPE
from core.volunteers.teams import (
    NewMember,
    TeamChanges,
    TeamDraft,
    attach,
    create_team,
    set_members,
    update_team,
)
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.ids import global_id, key_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection
from schema.volunteers.types import VOLUNTEER_TEAM, VolunteerTeam


@strawberry.input(description="A new volunteer team of a community.")
class CreateVolunteerTeamInput:
    community_id: strawberry.ID = strawberry.field(description="The community it serves.")
    name: str = strawberry.field(description="Name, 1–100 characters, unique in the community.")
    kind: str = strawberry.field(
        default="银发志愿服务队", description="Kind of team, 1–50 characters."
    )
    description: str = strawberry.field(default="", description="What the team does.")
    skills: list[str] = strawberry.field(
        default_factory=list, description="What it can do (labels of 1–30 characters, ≤ 20)."
    )
    leader_id: strawberry.ID | None = strawberry.field(
        default=None, description="A person you may see; they become the first member."
    )


@strawberry.input(description="Changes to a team; fields left out stay as they are.")
class UpdateVolunteerTeamInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    version: int = strawberry.field(description="The team's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="New name.")
    kind: str | None = strawberry.field(default=None, description="New kind.")
    description: str | None = strawberry.field(default=None, description="New description.")
    skills: list[str] | None = strawberry.field(
        default=None, description="New skills (replace the old ones)."
    )
    leader_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="New leader, who must be a member; an explicit null removes the leader.",
    )
    active: bool | None = strawberry.field(
        default=None,
        description="False retires the team (refused while it has assigned work orders).",
    )


@strawberry.input(description="A member of a team and the skills they bring.")
class VolunteerMemberInput:
    person_id: strawberry.ID = strawberry.field(description="A person you may see.")
    skills: list[str] = strawberry.field(
        default_factory=list, description="Their skills (labels of 1–30 characters, ≤ 20)."
    )


def _ids(values: list[strawberry.ID] | None, type_name: str, what: str) -> list[int]:
    return [key_of(v, type_name, what=what) for v in values or []]


TeamId = Annotated[strawberry.ID, strawberry.argument(description="The team.")]
CompoundIds = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(description="Compounds of the team's community (责任区)."),
]
PostIds = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(description="Pioneer posts in compounds of the team's community."),
]


@strawberry.type
class TeamQuery:
    @strawberry.field(
        description="Volunteer teams, oldest first, optionally of one community: anyone signed "
        "in may list them.",
        permission_classes=[IsAuthenticated],
    )
    async def volunteer_teams(
        self,
        info: Info,
        community_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this community's teams.")
        ] = None,
        include_inactive: Annotated[
            bool, strawberry.argument(description="Also list retired teams.")
        ] = False,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[VolunteerTeam]:
        filters = [] if include_inactive else [Q(active=True)]
        if community_id is not None:
            filters.append(Q(community_id=key_of(community_id, "Community", what="community")))
        return await scoped_connection(info, VOLUNTEER_TEAM, TEAM_SCOPE, first, after, *filters)


@strawberry.type
class TeamMutation:
    @strawberry.mutation(
        description="Create a volunteer team in a community: for its community workers and "
        "those above.",
        permission_classes=[IsAuthenticated],
    )
    async def create_volunteer_team(
        self,
        info: Info,
        input: Annotated[
            CreateVolunteerTeamInput, strawberry.argument(description="The new team.")
        ],
    ) -> VolunteerTeam:
        context: Context = info.context
        draft = TeamDraft(
            name=input.name,
            kind=input.kind,
            description=input.description,
            skills=input.skills,
            leader_id=key_of(input.leader_id, "Person", what="person") if input.leader_id else None,
        )
        community_id = key_of(input.community_id, "Community", what="community")
        team, grant = await create_team(context.viewer, community_id, draft)
        context.note.used(grant)
        context.note.about(global_id("VolunteerTeam", team.id), team.district_id, name=team.name)
        return await _fresh(context, team.id)

    @strawberry.mutation(
        description="Change a team's name, kind, description, skills, leader or whether it is "
        "active: for its community's workers and those above. A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def update_volunteer_team(
        self,
        info: Info,
        input: Annotated[
            UpdateVolunteerTeamInput,
            strawberry.argument(description="The changes, with the version you read."),
        ],
    ) -> VolunteerTeam:
        context: Context = info.context
        leader = input.leader_id
        changes = TeamChanges(
            name=input.name,
            kind=input.kind,
            description=input.description,
            skills=input.skills,
            leader_id=key_of(leader, "Person", what="person") if leader else None,
            clear_leader=leader is None,
            active=input.active,
        )
        team_id = key_of(input.team_id, "VolunteerTeam", what="volunteer team")
        team, grant = await update_team(context.viewer, team_id, input.version, changes)
        context.note.used(grant)
        context.note.about(input.team_id, team.district_id, active=team.active)
        return await _fresh(context, team.id)

    @strawberry.mutation(
        description="Replace a team's members (and their skills) with this list: for its "
        "community's workers and those above. The leader must stay in it. A stale `version` "
        "is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def set_volunteer_members(
        self,
        info: Info,
        team_id: TeamId,
        version: Annotated[int, strawberry.argument(description="The team's `version`.")],
        members: Annotated[
            list[VolunteerMemberInput],
            strawberry.argument(description="Everyone in the team from now on (≤ 200)."),
        ],
    ) -> VolunteerTeam:
        context: Context = info.context
        new = [
            NewMember(key_of(m.person_id, "Person", what="person"), list(m.skills)) for m in members
        ]
        key = key_of(team_id, "VolunteerTeam", what="volunteer team")
        team, grant = await set_members(context.viewer, key, version, new)
        context.note.used(grant)
        context.note.about(team_id, team.district_id, members=len(new))
        return await _fresh(context, team.id)

    @strawberry.mutation(
        description="Attach compounds (责任区) and pioneer posts of the team's community to the "
        "team: for its community's workers and those above. What is attached already stays.",
        permission_classes=[IsAuthenticated],
    )
    async def attach_to_volunteer_team(
        self,
        info: Info,
        team_id: TeamId,
        compound_ids: CompoundIds = None,
        pioneer_post_ids: PostIds = None,
    ) -> VolunteerTeam:
        return await _attach(info, team_id, compound_ids, pioneer_post_ids, detach=False)

    @strawberry.mutation(
        description="Detach compounds and pioneer posts from the team: for its community's "
        "workers and those above. What is not attached is ignored.",
        permission_classes=[IsAuthenticated],
    )
    async def detach_from_volunteer_team(
        self,
        info: Info,
        team_id: TeamId,
        compound_ids: CompoundIds = None,
        pioneer_post_ids: PostIds = None,
    ) -> VolunteerTeam:
        return await _attach(info, team_id, compound_ids, pioneer_post_ids, detach=True)


async def _attach(
    info: Info,
    team_id: strawberry.ID,
    compound_ids: list[strawberry.ID] | None,
    post_ids: list[strawberry.ID] | None,
    *,
    detach: bool,
) -> VolunteerTeam:
    context: Context = info.context
    compounds = _ids(compound_ids, "Compound", "compound")
    posts = _ids(post_ids, "PioneerPost", "pioneer post")
    key = key_of(team_id, "VolunteerTeam", what="volunteer team")
    team, grant = await attach(context.viewer, key, compounds, posts, detach=detach)
    context.note.used(grant)
    context.note.about(team_id, team.district_id, compounds=len(compounds), posts=len(posts))
    return await _fresh(context, team.id)


async def _fresh(context: Context, team_id: int) -> VolunteerTeam:
    found = await by_id(context, VOLUNTEER_TEAM).load(team_id)
    assert found is not None
    return found
