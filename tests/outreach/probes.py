"""Probes of this area's root operations for the authorization matrix (see tests/access/probes.py).

Teams are made at the street of the relation's grid, activities in that grid's community
(schema/outreach/authorization.toml says what "own" means for each operation). Every probe
removes what it made.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from tests.access.probes import Probe, answers, gid, ok

PROBE_TEAM = "探针宣讲队"


@asynccontextmanager
async def team_at(
    p: Probe, relation: str, *, member: int | None = None
) -> AsyncIterator[OutreachTeam]:
    """A street team at the street of the relation's grid (with one member, if given)."""
    grid = p.target(relation).grid
    team = await OutreachTeam.create(
        name=PROBE_TEAM, district_id=grid.district_id, street_id=grid.street_id
    )
    if member is not None:
        await OutreachMember.create(team_id=team.id, person_id=member)
    try:
        yield team
    finally:
        await drop_team(team.id)


async def drop_team(team_id: int) -> None:
    await OutreachActivity.filter(team_id=team_id).delete()
    await OutreachMember.filter(team_id=team_id).delete()
    await OutreachTeam.filter(id=team_id).delete()


async def activity_of(
    p: Probe, relation: str, team: OutreachTeam, *, starts_in: timedelta
) -> OutreachActivity:
    """An activity of ``team`` in the relation's community, organised by the relation's person
    (own: by the viewer)."""
    target = p.target(relation)
    grid = target.grid
    starts_at = datetime.now(UTC) + starts_in
    return await OutreachActivity.create(
        team_id=team.id,
        kind="CORRIDOR_CLASS",
        topic="探针活动",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        organiser_id=target.person,
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
    )


async def outreach_activities(p: Probe, relation: str) -> bool:
    async with team_at(p, relation) as team:
        activity = await activity_of(p, relation, team, starts_in=timedelta(minutes=30))
        wanted = gid("OutreachActivity", activity.id)
        after = None
        while True:
            body = await p.client.post(
                "query($a: String) { outreachActivities(first: 100, after: $a) { pageInfo { "
                "hasNextPage endCursor } edges { node { id } } } }",
                {"a": after},
            )
            if not ok(body):
                return False
            page = body["data"]["outreachActivities"]
            if any(e["node"]["id"] == wanted for e in page["edges"]):
                return True
            if not page["pageInfo"]["hasNextPage"]:
                return False
            after = page["pageInfo"]["endCursor"]


async def outreach_figures(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'query($c: ID!) { outreachFigures(placeId: $c, from: "2026-01-01T00:00:00Z", '
        'to: "2027-01-01T00:00:00Z") { held } }',
        {"c": gid("Community", p.target(relation).grid.community_id)},
    )
    return ok(body)


async def create_outreach_team(p: Probe, relation: str) -> bool:
    name = "探针新建宣讲队"
    body = await p.client.post(
        "mutation($i: CreateOutreachTeamInput!) { createOutreachTeam(input: $i) { id } }",
        {"i": {"name": name, "placeId": gid("Street", p.target(relation).grid.street_id)}},
    )
    for team_id in await OutreachTeam.filter(name=name).values_list("id", flat=True):
        await drop_team(team_id)
    return ok(body)


async def update_outreach_team(p: Probe, relation: str) -> bool:
    async with team_at(p, relation) as team:
        body = await p.client.post(
            "mutation($i: UpdateOutreachTeamInput!) { updateOutreachTeam(input: $i) { active } }",
            {"i": {"teamId": gid("OutreachTeam", team.id), "version": 1, "active": False}},
        )
        return ok(body)


async def set_outreach_members(p: Probe, relation: str) -> bool:
    async with team_at(p, relation) as team:
        body = await p.client.post(
            "mutation($t: ID!, $p: [ID!]!) { setOutreachMembers(teamId: $t, version: 1, "
            "personIds: $p) { memberCount } }",
            {"t": gid("OutreachTeam", team.id), "p": [gid("Person", p.target(relation).person)]},
        )
        return ok(body)


async def schedule_outreach_activity(p: Probe, relation: str) -> bool:
    member = p.viewer_person if relation == "own" else None
    async with team_at(p, relation, member=member) as team:
        starts_at = datetime.now(UTC) + timedelta(days=2)
        body = await p.client.post(
            "mutation($i: ScheduleOutreachActivityInput!) { "
            "scheduleOutreachActivity(input: $i) { id } }",
            {
                "i": {
                    "teamId": gid("OutreachTeam", team.id),
                    "kind": "POLICY_TALK",
                    "topic": "探针宣讲",
                    "communityId": gid("Community", p.target(relation).grid.community_id),
                    "startsAt": starts_at.isoformat(),
                    "endsAt": (starts_at + timedelta(hours=1)).isoformat(),
                }
            },
        )
        return ok(body)


async def record_outreach_attendance(p: Probe, relation: str) -> bool:
    async with team_at(p, relation) as team:
        activity = await activity_of(p, relation, team, starts_in=timedelta(hours=-1))
        body = await p.client.post(
            "mutation($a: ID!) { recordOutreachAttendance(activityId: $a, version: 1, "
            "attendance: 12) { status } }",
            {"a": gid("OutreachActivity", activity.id)},
        )
        return ok(body)


async def cancel_outreach_activity(p: Probe, relation: str) -> bool:
    async with team_at(p, relation) as team:
        activity = await activity_of(p, relation, team, starts_in=timedelta(days=1))
        body = await p.client.post(
            'mutation($a: ID!) { cancelOutreachActivity(activityId: $a, version: 1, reason: "下雨") '
            "{ status } }",
            {"a": gid("OutreachActivity", activity.id)},
        )
        return ok(body)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "outreachTeams": answers("{ outreachTeams(first: 1) { totalCount } }", "outreachTeams"),
    "outreachActivities": outreach_activities,
    "outreachFigures": outreach_figures,
    "createOutreachTeam": create_outreach_team,
    "updateOutreachTeam": update_outreach_team,
    "setOutreachMembers": set_outreach_members,
    "scheduleOutreachActivity": schedule_outreach_activity,
    "recordOutreachAttendance": record_outreach_attendance,
    "cancelOutreachActivity": cancel_outreach_activity,
}
