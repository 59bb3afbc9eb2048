"""Root fields of outreach: the team and activity lists, managing teams, scheduling activities,
recording their attendance and cancelling them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.errors import NotFound
from core.outreach.rules import nearby
from core.outreach.services import ActivityPlan, OutreachService, TeamChanges
from core.people.models import Person as PersonRow
from core.regions.models import Community as CommunityRow
from core.regions.models import District as DistrictRow
from schema.access.permissions import IsAuthenticated
from schema.context import Context
from schema.ids import global_id, key_of, type_name_of
from schema.loaders import by_id
from schema.outreach.lists import activity_page, team_page
from schema.outreach.types import ACTIVITY, TEAM, OutreachActivity, OutreachKind, OutreachTeam
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection

VERSION = strawberry.argument(description="The `version` you read: a stale one is CONFLICT.")


def service() -> OutreachService:
    return OutreachService()


@strawberry.input(description="A new outreach team at a district or at one of its streets.")
class CreateOutreachTeamInput:
    name: str = strawberry.field(description="The team's name (1–100 characters).")
    place_id: strawberry.ID = strawberry.field(
        description="The District (a district-wide team) or Street (a street team) it belongs "
        "to. City admins create teams anywhere, district admins in their district, street "
        "officers for their own street."
    )
    description: str = strawberry.field(default="", description="What the team does.")


@strawberry.input(description="Changes to a team; fields left out stay as they are.")
class UpdateOutreachTeamInput:
    team_id: strawberry.ID = strawberry.field(description="The team.")
    version: int = strawberry.field(description="The team's `version` when you read it.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    active: bool | None = strawberry.field(
        default=None, description="False retires the team: it schedules no more activities."
    )


@strawberry.input(description="An outreach activity to schedule.")
class ScheduleOutreachActivityInput:
    team_id: strawberry.ID = strawberry.field(
        description="The team holding it: you must be one of its members or managers."
    )
    kind: OutreachKind = strawberry.field(description="What sort of activity it is.")
    topic: str = strawberry.field(description="What it is about (1–200 characters).")
    starts_at: datetime = strawberry.field(
        description="When it starts, with a time zone offset; in the future."
    )
    ends_at: datetime = strawberry.field(
        description="When it ends, with a time zone offset: after the start, at most one day later."
    )
    community_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The community it takes place in (inside the team's district, and street "
        "for a street team). Give this or `compoundId`.",
    )
    compound_id: strawberry.ID | None = strawberry.field(
        default=None, description="Or the compound it takes place in (its community follows)."
    )
    location: str = strawberry.field(
        default="", description="Where exactly, in words, e.g. 3号楼2单元楼道."
    )
    description: str = strawberry.field(default="", description="More about it, for residents.")


@strawberry.type
class OutreachQuery:
    @strawberry.field(
        description="Outreach teams in creation order, for any signed-in user; optionally of "
        "one district (its district-wide and street teams) and only active or inactive ones.",
        permission_classes=[IsAuthenticated],
    )
    async def outreach_teams(
        self,
        info: Info,
        district_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only teams of this district.")
        ] = None,
        active: Annotated[
            bool | None, strawberry.argument(description="Only active (true) or retired (false).")
        ] = None,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[OutreachTeam]:
        filters = []
        if district_id is not None:
            key = key_of(district_id, "District", what="district")
            if not await DistrictRow.exists(id=key):
                raise NotFound("No such district.", argument="districtId")
            filters.append(Q(district_id=key))
        if active is not None:
            filters.append(Q(active=active))
        return await team_page(first, after, *filters)

    @strawberry.field(
        description="Outreach activities (any status, cancelled ones too), for any signed-in "
        "user. With `communityId`, that community's; without, those around you: your home "
        "community's and those of the places where you hold a role (a street or district role "
        "covers all of it, a city role everything; a department role adds nothing). "
        "`upcoming` (the default) lists those starting now or later, soonest first; false "
        "lists those that already started, latest first.",
        permission_classes=[IsAuthenticated],
    )
    async def outreach_activities(
        self,
        info: Info,
        community_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The community; default: around you."),
        ] = None,
        upcoming: Annotated[
            bool,
            strawberry.argument(
                description="True: starting now or later, soonest first. False: already "
                "started, latest first."
            ),
        ] = True,
        kind: Annotated[
            OutreachKind | None, strawberry.argument(description="Only activities of this kind.")
        ] = None,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
    ) -> Connection[OutreachActivity]:
        context: Context = info.context
        viewer = context.viewer
        assert viewer is not None  # IsAuthenticated
        filters = [Q(kind=kind.name)] if kind is not None else []
        if community_id is not None:
            key = key_of(community_id, "Community", what="community")
            if not await CommunityRow.exists(id=key):
                raise NotFound("No such community.", argument="communityId")
            filters.append(Q(community_id=key))
        else:
            me = await PersonRow.filter(id=viewer.person_id).first().values("home_community_id")
            filters.append(nearby(viewer, me["home_community_id"] if me else None))
        return await activity_page(first, after, datetime.now(UTC), upcoming, *filters)


@strawberry.type
class OutreachMutation:
    @strawberry.mutation(
        description="Create an outreach team at a district or a street: city admins anywhere, "
        "district admins in their district, street officers for their own street.",
        permission_classes=[IsAuthenticated],
    )
    async def create_outreach_team(
        self,
        info: Info,
        input: Annotated[
            CreateOutreachTeamInput, strawberry.argument(description="The team to create.")
        ],
    ) -> OutreachTeam:
        context: Context = info.context
        kind = type_name_of(input.place_id, what="place")
        key = key_of(input.place_id, kind, what="place")
        team, grant = await service().create_team(
            context.viewer, input.name, input.description, kind, key
        )
        context.note.used(grant)
        context.note.about(global_id("OutreachTeam", team.id), team.district_id, place=kind)
        return await _team(context, team.id)

    @strawberry.mutation(
        description="Rename, describe, retire or revive a team: for its managers (those who may "
        "create it). A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def update_outreach_team(
        self,
        info: Info,
        input: Annotated[
            UpdateOutreachTeamInput, strawberry.argument(description="The team and what changes.")
        ],
    ) -> OutreachTeam:
        context: Context = info.context
        changes = TeamChanges(name=input.name, description=input.description, active=input.active)
        team, grant = await service().update_team(
            context.viewer, key_of(input.team_id, "OutreachTeam", what="team"), input.version,
            changes,
        )  # fmt: skip
        context.note.used(grant)
        changed = sorted(k for k, v in vars(changes).items() if v is not None)
        context.note.about(input.team_id, team.district_id, changed=changed, active=team.active)
        return await _team(context, team.id)

    @strawberry.mutation(
        description="Replace a team's members: for its managers. Each member is someone you may "
        "see (living where you hold your role) or staff serving in the team's district (a "
        "staff role there, city-wide or in a city department); anyone else is NOT_FOUND. At "
        "most 100; an empty list removes everyone. A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def set_outreach_members(
        self,
        info: Info,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team.")],
        version: Annotated[int, VERSION],
        person_ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="Every member the team is to have (Person ids)."),
        ],
    ) -> OutreachTeam:
        context: Context = info.context
        people = [key_of(p, "Person", what="person") for p in person_ids]
        team, grant = await service().set_members(
            context.viewer, key_of(team_id, "OutreachTeam", what="team"), version, people
        )
        context.note.used(grant)
        context.note.about(team_id, team.district_id, members=len(set(people)))
        return await _team(context, team.id)

    @strawberry.mutation(
        description="Schedule an activity of a team, with you as its organiser: for the team's "
        "members and managers, at a community (or compound) inside the team's district and, for "
        "a street team, its street; starting in the future and lasting at most one day.",
        permission_classes=[IsAuthenticated],
    )
    async def schedule_outreach_activity(
        self,
        info: Info,
        input: Annotated[
            ScheduleOutreachActivityInput,
            strawberry.argument(description="The activity to schedule."),
        ],
    ) -> OutreachActivity:
        context: Context = info.context
        plan = ActivityPlan(
            team_id=key_of(input.team_id, "OutreachTeam", what="team"),
            kind=input.kind.name,
            topic=input.topic,
            description=input.description,
            community_id=key_of(input.community_id, "Community", what="community")
            if input.community_id
            else None,
            compound_id=key_of(input.compound_id, "Compound", what="compound")
            if input.compound_id
            else None,
            location=input.location,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
        )
        activity, grant = await service().schedule(context.viewer, plan)
        if grant is not None:
            context.note.used(grant)
        context.note.about(
            global_id("OutreachActivity", activity.id), activity.district_id,
            kind=activity.kind, team=input.team_id,
        )  # fmt: skip
        return await _activity(context, activity.id)

    @strawberry.mutation(
        description="Record how many people came (0–10000): the activity becomes HELD. Only once "
        "it has started; by its organiser, the team's members or managers; call again with "
        "the new `version` to correct it. A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def record_outreach_attendance(
        self,
        info: Info,
        activity_id: Annotated[strawberry.ID, strawberry.argument(description="The activity.")],
        version: Annotated[int, VERSION],
        attendance: Annotated[
            int, strawberry.argument(description="How many people came (0–10000).")
        ],
    ) -> OutreachActivity:
        context: Context = info.context
        activity, grant = await service().record_attendance(
            context.viewer, key_of(activity_id, "OutreachActivity", what="activity"), version,
            attendance,
        )  # fmt: skip
        if grant is not None:
            context.note.used(grant)
        context.note.about(activity_id, activity.district_id, attendance=attendance)
        return await _activity(context, activity.id)

    @strawberry.mutation(
        description="Call off a PLANNED activity, saying why: by its organiser, the team's "
        "members or managers. A stale `version` is CONFLICT.",
        permission_classes=[IsAuthenticated],
    )
    async def cancel_outreach_activity(
        self,
        info: Info,
        activity_id: Annotated[strawberry.ID, strawberry.argument(description="The activity.")],
        version: Annotated[int, VERSION],
        reason: Annotated[
            str, strawberry.argument(description="Why it is called off (1–300 characters).")
        ],
    ) -> OutreachActivity:
        context: Context = info.context
        activity, grant = await service().cancel(
            context.viewer, key_of(activity_id, "OutreachActivity", what="activity"), version,
            reason,
        )  # fmt: skip
        if grant is not None:
            context.note.used(grant)
        context.note.about(activity_id, activity.district_id, status=activity.status)
        return await _activity(context, activity.id)


async def _team(context: Context, key: int) -> OutreachTeam:
    found: OutreachTeam | None = await by_id(context, TEAM).load(key)
    assert found is not None
    return found


async def _activity(context: Context, key: int) -> OutreachActivity:
    found: OutreachActivity | None = await by_id(context, ACTIVITY).load(key)
    assert found is not None
    return found
