"""Volunteer teams through GraphQL: public to everyone signed in, managed by their community's
staff, every input checked with a clear error."""

from __future__ import annotations

from strawberry.relay import GlobalID

from core.people.models import PioneerPost
from core.volunteers.models import VolunteerMember, VolunteerTeam
from tests.access.probes import reference_targets
from tests.volunteers.support import (
    TEAM_FIELDS,
    assign,
    code,
    compound_in,
    create_team,
    gid,
    request_repair,
    volunteer_login,
    xinhong,
)

UPDATE = f"""mutation($i: UpdateVolunteerTeamInput!) {{ updateVolunteerTeam(input: $i) {{
  {TEAM_FIELDS} }} }}"""
MEMBERS = f"""mutation($t: ID!, $v: Int!, $m: [VolunteerMemberInput!]!) {{ setVolunteerMembers(
  teamId: $t, version: $v, members: $m) {{ {TEAM_FIELDS} }} }}"""
ATTACH = f"""mutation($t: ID!, $c: [ID!], $p: [ID!]) {{ attachToVolunteerTeam(teamId: $t,
  compoundIds: $c, pioneerPostIds: $p) {{ {TEAM_FIELDS} }} }}"""
DETACH = f"""mutation($t: ID!, $c: [ID!], $p: [ID!]) {{ detachFromVolunteerTeam(teamId: $t,
  compoundIds: $c, pioneerPostIds: $p) {{ {TEAM_FIELDS} }} }}"""
TEAMS = """query($c: ID, $x: Boolean) { volunteerTeams(communityId: $c, includeInactive: $x,
  first: 100) { totalCount edges { node { id name leaderName members { name skills
  person { id } } } } } }"""


async def test_teams_are_managed_by_community_staff_and_seen_by_residents(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    _, leader = await volunteer_login(client)
    _, helper = await volunteer_login(client, "xinhong-g1")
    team = await create_team(worker, leader=leader, description="义务维修水电")
    assert (team["kind"], team["skills"], team["active"]) == (
        "银发志愿服务队",
        ["水电维修", "助老陪护"],
        True,
    )
    assert team["leader"]["id"] == leader and team["leaderName"] == "志愿者老王"

    team = (
        await worker.data(
            MEMBERS,
            {
                "t": team["id"],
                "v": team["version"],
                "m": [
                    {"personId": leader, "skills": ["水电维修"]},
                    {"personId": helper, "skills": [" 助老陪护 ", "助老陪护", "理发"]},
                ],
            },
        )
    )["setVolunteerMembers"]
    assert [m["skills"] for m in team["members"]] == [["水电维修"], ["助老陪护", "理发"]]

    home = await compound_in("xinhong-g1")
    post = await PioneerPost.filter(compound__community_id=home.community_id).first()
    team = (
        await worker.data(
            ATTACH,
            {"t": team["id"], "c": [gid("Compound", home.id)], "p": [gid("PioneerPost", post.id)]},
        )
    )["attachToVolunteerTeam"]
    again = (await worker.data(ATTACH, {"t": team["id"], "c": [gid("Compound", home.id)]}))[
        "attachToVolunteerTeam"
    ]
    assert again["compounds"] == [{"id": gid("Compound", home.id)}], "attaching twice is once"
    assert again["pioneerPosts"] == [{"id": gid("PioneerPost", post.id), "title": post.title}]

    listed = (await resident.data(TEAMS, {"c": team["community"]["id"]}))["volunteerTeams"]
    found = next(e["node"] for e in listed["edges"] if e["node"]["id"] == team["id"])
    assert found["leaderName"] == "志愿者老王"
    assert [m["name"] for m in found["members"]] == ["志愿者老王", "志愿者老王"]
    assert [m["person"] for m in found["members"]] == [None, None], "their records stay private"
    stranger = await client.signed_in("resident_nanshan")
    theirs = await stranger.data(TEAMS, {"c": team["community"]["id"]})
    assert team["id"] in [e["node"]["id"] for e in theirs["volunteerTeams"]["edges"]]
    assert code(await client.post(TEAMS, {})) == "UNAUTHENTICATED"

    team = (await worker.data(DETACH, {"t": team["id"], "c": [gid("Compound", home.id)]}))[
        "detachFromVolunteerTeam"
    ]
    assert team["compounds"] == [] and len(team["pioneerPosts"]) == 1


async def test_team_input_is_checked_before_anything_is_written(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    _, leader = await volunteer_login(client)
    _, other = await volunteer_login(client, "xinhong-g1")
    team = await create_team(worker, leader=leader)
    community = gid("Community", (await xinhong()).id)

    async def refused(query: str, variables: dict) -> dict:
        body = await worker.post(query, variables)
        assert body.get("errors"), body
        return body["errors"][0]["extensions"]

    create = "mutation($i: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $i) { id } }"
    assert await refused(create, {"i": {"communityId": community, "name": " "}}) == {
        "code": "BAD_USER_INPUT",
        "argument": "name",
    }
    assert await refused(create, {"i": {"communityId": community, "name": team["name"]}}) == {
        "code": "CONFLICT",
        "argument": "name",
    }
    assert (
        await refused(
            create, {"i": {"communityId": community, "name": "新队", "skills": ["x" * 31]}}
        )
    )["argument"] == "skills"
    before = await VolunteerTeam.filter(community_id=(await xinhong()).id).count()

    version = team["version"]
    stale = await refused(
        UPDATE, {"i": {"teamId": team["id"], "version": version - 1, "name": "改名"}}
    )
    assert stale["code"] == "CONFLICT"
    not_member = await refused(
        UPDATE, {"i": {"teamId": team["id"], "version": version, "leaderId": other}}
    )
    assert not_member == {"code": "BAD_USER_INPUT", "argument": "leaderId"}
    twice = await refused(
        MEMBERS, {"t": team["id"], "v": version, "m": [{"personId": leader}, {"personId": leader}]}
    )
    assert twice == {"code": "BAD_USER_INPUT", "argument": "members"}
    leaderless = await refused(MEMBERS, {"t": team["id"], "v": version, "m": [{"personId": other}]})
    assert leaderless == {"code": "BAD_USER_INPUT", "argument": "members"}
    far = (await reference_targets())["other_district"]
    invisible = await refused(
        MEMBERS,
        {
            "t": team["id"],
            "v": version,
            "m": [{"personId": leader}, {"personId": gid("Person", far.person)}],
        },
    )
    assert invisible["code"] == "NOT_FOUND", "a person outside one's scope does not exist"
    outside = await refused(ATTACH, {"t": team["id"], "c": [gid("Compound", far.compound.id)]})
    assert outside["argument"] == "compoundIds"
    far_post = await PioneerPost.create(
        person_id=far.person, compound_id=far.compound.id, title="红管家"
    )
    try:
        post_outside = await refused(
            ATTACH, {"t": team["id"], "p": [gid("PioneerPost", far_post.id)]}
        )
        assert post_outside["argument"] == "pioneerPostIds"
    finally:
        await far_post.delete()

    # Nothing of the refused calls stayed.
    assert await VolunteerTeam.filter(community_id=(await xinhong()).id).count() == before
    stored = await VolunteerTeam.get(id=_key(team["id"]))
    assert (stored.version, stored.name) == (version, team["name"])
    assert await VolunteerMember.filter(team_id=stored.id).count() == 1

    renamed = (
        await worker.data(
            UPDATE,
            {
                "i": {
                    "teamId": team["id"],
                    "version": version,
                    "name": "欣虹红色维修队",
                    "leaderId": None,
                }
            },
        )
    )["updateVolunteerTeam"]
    assert (renamed["name"], renamed["leader"], renamed["version"]) == (
        "欣虹红色维修队",
        None,
        version + 1,
    )


async def test_only_the_community_staff_and_those_above_manage_a_team(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    team = await create_team(worker)
    rename = {"i": {"teamId": team["id"], "version": team["version"], "name": "别人改名"}}
    for login in ("xinhong_grid1", "resident_xinhong", "zhujian_officer", "nanshan_admin"):
        who = await client.signed_in(login)
        assert code(await who.post(UPDATE, rename)) == "FORBIDDEN", login
    street = await client.signed_in("hongqi_officer")
    assert (await street.data(UPDATE, rename))["updateVolunteerTeam"]["name"] == "别人改名"


async def test_a_team_with_assigned_work_is_not_retired(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    team = await create_team(worker)
    await assign(worker, await request_repair(resident), team)
    body = await worker.post(
        UPDATE, {"i": {"teamId": team["id"], "version": team["version"], "active": False}}
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "active"}
    listed = await resident.data(TEAMS, {"c": team["community"]["id"]})
    assert team["id"] in [e["node"]["id"] for e in listed["volunteerTeams"]["edges"]]


def _key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


async def test_retired_teams_are_listed_on_request_and_nobody_anonymous_sees_teams(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    team = await create_team(worker)
    await worker.data(
        UPDATE, {"i": {"teamId": team["id"], "version": team["version"], "active": False}}
    )
    community = team["community"]["id"]

    async def ids(**variables) -> list[str]:
        data = await resident.data(TEAMS, {"c": community, **variables})
        return [e["node"]["id"] for e in data["volunteerTeams"]["edges"]]

    assert team["id"] not in await ids()
    assert team["id"] in await ids(x=True)
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert (await resident.data(node, {"id": team["id"]}))["node"] == {"id": team["id"]}
    assert (await client.post(node, {"id": team["id"]}))["data"]["node"] is None
