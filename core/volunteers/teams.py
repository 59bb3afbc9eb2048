"""Managing volunteer teams: creating and editing them, their members and skills, and the
compounds (责任区) and pioneer posts (党员先锋岗) attached to them.

Every change is for the team community's managers (:data:`rules.TEAM_MANAGERS`), carries the
version the client read where it rewrites what the client saw, and is checked in full before
anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.access.viewer import Grant, Viewer
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.people.models import Person, PioneerPost
from core.people.rules import PERSON_SCOPE
from core.regions.models import Community, Compound
from core.volunteers.models import (
    VolunteerMember,
    VolunteerTeam,
    VolunteerTeamArea,
    VolunteerTeamPost,
    WorkOrder,
)
from core.volunteers.orders import WorkOrderStatus
from core.volunteers.rules import TEAM_MANAGERS

MAX_SKILLS = 20
MAX_MEMBERS = 200
MAX_ATTACH = 100
_PERSON_COLUMNS = ("id", "home_district_id", "home_street_id", "home_community_id", "home_grid_id")


@dataclass
class TeamDraft:
    """A new team, as the client sent it."""

    name: str
    kind: str = "银发志愿服务队"
    description: str = ""
    skills: list[str] = field(default_factory=list)
    leader_id: int | None = None


@dataclass
class TeamChanges:
    """Fields to change on a team; ``None`` leaves a field as it is (``clear_leader`` removes
    the leader)."""

    name: str | None = None
    kind: str | None = None
    description: str | None = None
    skills: list[str] | None = None
    leader_id: int | None = None
    clear_leader: bool = False
    active: bool | None = None


@dataclass
class NewMember:
    person_id: int
    skills: list[str] = field(default_factory=list)


def clean_skills(values: Sequence[str], argument: str) -> list[str]:
    """Skills as labels (水电维修, 助老陪护, ...): trimmed, each 1–30 characters, at most
    ``MAX_SKILLS``, repeats dropped, order kept."""
    skills = list(dict.fromkeys(v.strip() for v in values))
    if any(not 1 <= len(s) <= 30 for s in skills):
        raise BadUserInput("Each skill is a label of 1–30 characters.", argument=argument)
    if len(skills) > MAX_SKILLS:
        raise BadUserInput(f"At most {MAX_SKILLS} skills.", argument=argument, max=MAX_SKILLS)
    return skills


def _text(value: str, argument: str, low: int, high: int) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise BadUserInput(f"{argument} must have {low}–{high} characters.", argument=argument)
    return value


def _manager(viewer: Viewer | None, place: Mapping[str, Any]) -> Grant:
    if viewer is None:
        raise Unauthenticated("Sign in first.")
    grant = TEAM_MANAGERS.covering_grant(viewer, place)
    if grant is None:
        raise Forbidden("Teams are managed by their community's workers and those above.")
    return grant


async def managed_team(viewer: Viewer | None, team_id: int) -> tuple[VolunteerTeam, Grant]:
    """The team and the grant that lets the viewer manage it (teams are public: a team the
    viewer may not manage is FORBIDDEN, not NOT_FOUND)."""
    team = await VolunteerTeam.filter(id=team_id).first()
    if team is None:
        raise NotFound("No such volunteer team.")
    return team, _manager(viewer, vars(team))


async def _visible_people(viewer: Viewer, ids: Sequence[int], argument: str) -> None:
    """Every person must exist and be one the viewer may see (else NOT_FOUND, as for any
    person outside one's scope)."""
    rows = await Person.filter(id__in=list(ids)).values(*_PERSON_COLUMNS)
    seen = {r["id"] for r in rows if PERSON_SCOPE.admits(viewer, r)}
    if missing := [i for i in ids if i not in seen]:
        raise NotFound("No such person.", argument=argument, count=len(missing))


async def _name_free(community_id: int, name: str, team_id: int | None = None) -> None:
    taken = VolunteerTeam.filter(community_id=community_id, name=name)
    if team_id is not None:
        taken = taken.exclude(id=team_id)
    if await taken.exists():
        raise Conflict("The community already has a team of that name.", argument="name")


async def _bump(team: VolunteerTeam, version: int, **changes: Any) -> None:
    """The conditional UPDATE every versioned change goes through."""
    if team.version != version or not await VolunteerTeam.filter(
        id=team.id, version=version
    ).update(version=version + 1, **changes):
        raise Conflict(
            "The team changed since you read it: reload it and try again.",
            currentVersion=team.version,
        )


async def create_team(
    viewer: Viewer | None, community_id: int, draft: TeamDraft
) -> tuple[VolunteerTeam, Grant]:
    community = await Community.filter(id=community_id).first()
    if community is None:
        raise NotFound("No such community.")
    place = {
        "district_id": community.district_id,
        "street_id": community.street_id,
        "community_id": community.id,
    }
    grant = _manager(viewer, place)
    assert viewer is not None
    name = _text(draft.name, "name", 1, 100)
    kind = _text(draft.kind, "kind", 1, 50)
    description = _text(draft.description, "description", 0, 2000)
    skills = clean_skills(draft.skills, "skills")
    if draft.leader_id is not None:
        await _visible_people(viewer, [draft.leader_id], "leaderId")
    await _name_free(community.id, name)
    team = await VolunteerTeam.create(
        district_id=community.district_id,
        street_id=community.street_id,
        community_id=community.id,
        name=name,
        kind=kind,
        description=description,
        skills=skills,
        leader_id=draft.leader_id,
    )
    if draft.leader_id is not None:
        await VolunteerMember.create(team_id=team.id, person_id=draft.leader_id)
    return team, grant


async def update_team(
    viewer: Viewer | None, team_id: int, version: int, changes: TeamChanges
) -> tuple[VolunteerTeam, Grant]:
    team, grant = await managed_team(viewer, team_id)
    values: dict[str, Any] = {}
    if changes.name is not None:
        values["name"] = _text(changes.name, "name", 1, 100)
        await _name_free(team.community_id, values["name"], team.id)
    if changes.kind is not None:
        values["kind"] = _text(changes.kind, "kind", 1, 50)
    if changes.description is not None:
        values["description"] = _text(changes.description, "description", 0, 2000)
    if changes.skills is not None:
        values["skills"] = clean_skills(changes.skills, "skills")
    if changes.clear_leader:
        values["leader_id"] = None
    elif changes.leader_id is not None:
        if not await VolunteerMember.exists(team_id=team.id, person_id=changes.leader_id):
            raise BadUserInput(
                "The leader must be a member of the team (set the members first).",
                argument="leaderId",
            )
        values["leader_id"] = changes.leader_id
    if changes.active is False and team.active and await _has_open_orders(team.id):
        raise BadUserInput(
            "The team still has assigned work orders: hand them to another team first.",
            argument="active",
        )
    if changes.active is not None:
        values["active"] = changes.active
    await _bump(team, version, **values)
    return await VolunteerTeam.get(id=team.id), grant


async def _has_open_orders(team_id: int) -> bool:
    return await WorkOrder.exists(team_id=team_id, status=WorkOrderStatus.ASSIGNED.value)


async def set_members(
    viewer: Viewer | None, team_id: int, version: int, members: Sequence[NewMember]
) -> tuple[VolunteerTeam, Grant]:
    """Replace the team's members (and their skills) with ``members``."""
    team, grant = await managed_team(viewer, team_id)
    assert viewer is not None
    if len(members) > MAX_MEMBERS:
        raise BadUserInput(f"At most {MAX_MEMBERS} members.", argument="members", max=MAX_MEMBERS)
    ids = [m.person_id for m in members]
    if len(set(ids)) != len(ids):
        raise BadUserInput("A person is listed twice.", argument="members")
    skills = [clean_skills(m.skills, "members") for m in members]
    await _visible_people(viewer, ids, "members")
    if team.leader_id is not None and team.leader_id not in ids:
        raise BadUserInput(
            "The leader must stay a member: change or clear the leader first.",
            argument="members",
        )
    await _bump(team, version)
    await VolunteerMember.filter(team_id=team.id).delete()
    await VolunteerMember.bulk_create(
        [
            VolunteerMember(team_id=team.id, person_id=person_id, skills=s)
            for person_id, s in zip(ids, skills, strict=True)
        ]
    )
    return await VolunteerTeam.get(id=team.id), grant


async def attach(
    viewer: Viewer | None,
    team_id: int,
    compound_ids: Sequence[int],
    post_ids: Sequence[int],
    *,
    detach: bool = False,
) -> tuple[VolunteerTeam, Grant]:
    """Attach compounds (责任区) and pioneer posts of the team's community to it, or detach
    them. Attaching what is attached, or detaching what is not, changes nothing."""
    team, grant = await managed_team(viewer, team_id)
    if len(compound_ids) > MAX_ATTACH or len(post_ids) > MAX_ATTACH:
        raise BadUserInput(f"At most {MAX_ATTACH} of each at a time.", argument="compoundIds")
    compound_ids, post_ids = list(dict.fromkeys(compound_ids)), list(dict.fromkeys(post_ids))
    if not detach:
        await _in_community(team, compound_ids, post_ids)
    areas = VolunteerTeamArea.filter(team_id=team.id, compound_id__in=compound_ids)
    posts = VolunteerTeamPost.filter(team_id=team.id, post_id__in=post_ids)
    if detach:
        await areas.delete()
        await posts.delete()
        return team, grant
    have_areas = set(await areas.values_list("compound_id", flat=True))
    have_posts = set(await posts.values_list("post_id", flat=True))
    await VolunteerTeamArea.bulk_create(
        [
            VolunteerTeamArea(team_id=team.id, compound_id=c)
            for c in compound_ids
            if c not in have_areas
        ]
    )
    await VolunteerTeamPost.bulk_create(
        [VolunteerTeamPost(team_id=team.id, post_id=p) for p in post_ids if p not in have_posts]
    )
    return team, grant


async def _in_community(team: VolunteerTeam, compound_ids: list[int], post_ids: list[int]) -> None:
    inside = set(
        await Compound.filter(id__in=compound_ids, community_id=team.community_id).values_list(
            "id", flat=True
        )
    )
    if outside := [c for c in compound_ids if c not in inside]:
        raise BadUserInput(
            "Only compounds of the team's community can be its responsibility areas.",
            argument="compoundIds",
            count=len(outside),
        )
    posts = await PioneerPost.filter(id__in=post_ids).values_list("id", "compound_id")
    compounds = {post_id: compound_id for post_id, compound_id in posts}
    in_community = set(
        await Compound.filter(
            id__in=set(compounds.values()), community_id=team.community_id
        ).values_list("id", flat=True)
    )
    if outside := [p for p in post_ids if compounds.get(p) not in in_community]:
        raise BadUserInput(
            "Only pioneer posts in compounds of the team's community can be attached.",
            argument="pioneerPostIds",
            count=len(outside),
        )
