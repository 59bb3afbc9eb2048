"""Outreach through GraphQL: a street team, its members, a corridor class residents can find,
attendance, cancelling, figures, and the refusals that leave nothing half-written."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from strawberry.relay import GlobalID

from core.access.models import Account, AuditRecord
from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from core.regions.models import Community, Compound, District, Grid, Street
from tests.access.probes import gid
from tests.support.api import Api

TEAM = """id name version active memberCount memberNames viewerManages viewerIsMember
  activityCount district { code } street { code }"""
ACTIVITY = """id version kind kindName topic location status attendance cancelReason startsAt endsAt
  organiserName community { name } compound { id } team { name }"""
CREATE = f"mutation($i: CreateOutreachTeamInput!) {{ createOutreachTeam(input: $i) {{ {TEAM} }} }}"
UPDATE = f"mutation($i: UpdateOutreachTeamInput!) {{ updateOutreachTeam(input: $i) {{ {TEAM} }} }}"
MEMBERS = f"""mutation($t: ID!, $v: Int!, $p: [ID!]!) {{
  setOutreachMembers(teamId: $t, version: $v, personIds: $p) {{ {TEAM} }} }}"""
SCHEDULE = f"""mutation($i: ScheduleOutreachActivityInput!) {{
  scheduleOutreachActivity(input: $i) {{ {ACTIVITY} }} }}"""
ATTEND = f"""mutation($a: ID!, $v: Int!, $n: Int!) {{
  recordOutreachAttendance(activityId: $a, version: $v, attendance: $n) {{ {ACTIVITY} }} }}"""
CANCEL = f"""mutation($a: ID!, $v: Int!, $r: String!) {{
  cancelOutreachActivity(activityId: $a, version: $v, reason: $r) {{ {ACTIVITY} }} }}"""
LIST = """query($c: ID, $u: Boolean, $k: OutreachKind, $f: Int, $a: String) {
  outreachActivities(communityId: $c, upcoming: $u, kind: $k, first: $f, after: $a) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id topic startsAt } } } }"""
FIGURES = """query($p: ID!, $from: DateTime!, $to: DateTime!) {
  outreachFigures(placeId: $p, from: $from, to: $to) {
    held attendance teamsActive planned cancelled byKind { kind kindName held attendance } } }"""

_unique = itertools.count()


def key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


def code(error: dict) -> str:
    return error["extensions"]["code"]


async def person_of(username: str) -> str:
    return gid("Person", (await Account.get(username=username)).person_id)


async def places() -> dict[str, Street | Community | Compound | District]:
    gongnong = await District.get(code="gongnong")
    hongqi = await Street.get(district_id=gongnong.id, code="hongqi")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    other_street = await Street.filter(district_id=gongnong.id).exclude(id=hongqi.id).first()
    return {
        "gongnong": gongnong,
        "hongqi": hongqi,
        "xinhong": await Community.get(id=grid.community_id),
        "compound": await Compound.filter(grid_id=grid.id).first(),
        "other_street": other_street,
        "other_community": await Community.filter(street_id=other_street.id).first(),
    }


def when(days: float = 1, hours: float = 1) -> dict[str, str]:
    start = datetime.now(UTC) + timedelta(days=days)
    return {"startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=hours)).isoformat()}


async def street_team(officer: Api, name: str | None = None) -> dict:
    hongqi = (await places())["hongqi"]
    data = await officer.data(
        CREATE,
        {
            "i": {
                "name": name or f"红旗街道宣讲队{next(_unique)}",
                "placeId": gid("Street", hongqi.id),
                "description": "楼道党课、政策宣讲",
            }
        },
    )
    return data["createOutreachTeam"]


async def officer_of_another_street(client: Api) -> Api:
    """A new login holding STREET_OFFICER at another street of 工农区."""
    admin = await client.signed_in("city_admin")
    username = f"outreach_officer_{next(_unique)}"
    person = (
        await admin.data(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            {"i": {"username": username, "password": "outreach-pass", "name": "王建国"}},
        )
    )["createUser"]["id"]
    other = (await places())["other_street"]
    await admin.data(
        'mutation($p: ID!, $at: ID) { grantRole(personId: $p, role: "STREET_OFFICER", '
        "placeId: $at) { id } }",
        {"p": person, "at": gid("Street", other.id)},
    )
    return await client.signed_in(username, "outreach-pass")


async def listed(client: Api, **variables) -> list[str]:
    data = await client.data(LIST, {"f": 100, **variables})
    return [e["node"]["id"] for e in data["outreachActivities"]["edges"]]


async def test_a_street_team_holds_a_corridor_class_residents_find(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    member = await client.signed_in("xinhong_grid1")
    resident = await client.signed_in("resident_xinhong")
    far_resident = await client.signed_in("resident_nanshan")
    where = await places()

    team = await street_team(officer, "红旗街道宣讲队")
    assert team["street"]["code"] == "hongqi" and team["district"]["code"] == "gongnong"
    assert (team["memberCount"], team["viewerManages"], team["active"]) == (0, True, True)

    people = [
        await person_of("xinhong_grid1"),
        await person_of("xinhong_worker"),
        await person_of("zhujian_officer"),
        await person_of("resident_xinhong"),
    ]
    team = (await officer.data(MEMBERS, {"t": team["id"], "v": team["version"], "p": people}))[
        "setOutreachMembers"
    ]
    assert team["memberCount"] == 4 and len(team["memberNames"]) == 4
    assert team["version"] == 2

    class_ = (
        await member.data(
            SCHEDULE,
            {
                "i": {
                    "teamId": team["id"],
                    "kind": "CORRIDOR_CLASS",
                    "topic": "供暖收费新政",
                    "compoundId": gid("Compound", where["compound"].id),
                    "location": "3号楼2单元楼道",
                    **when(days=1),
                }
            },
        )
    )["scheduleOutreachActivity"]
    assert (class_["status"], class_["kind"], class_["kindName"]) == (
        "PLANNED",
        "CORRIDOR_CLASS",
        "楼道党课",
    )
    assert class_["community"]["name"] == where["xinhong"].name
    assert class_["organiserName"] and class_["attendance"] is None
    assert class_["team"]["name"] == "红旗街道宣讲队"

    # The resident finds it among the upcoming activities of their community, the far
    # resident does not see it in theirs (but may look at that community on purpose).
    assert class_["id"] in await listed(resident)
    assert class_["id"] in await listed(resident, k="CORRIDOR_CLASS")
    assert class_["id"] not in await listed(resident, k="POLICY_TALK")
    assert class_["id"] not in await listed(resident, u=False)
    assert class_["id"] not in await listed(far_resident)
    assert class_["id"] in await listed(far_resident, c=gid("Community", where["xinhong"].id))
    seen = await resident.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on OutreachActivity {{ {ACTIVITY} }} }} }}",
        {"id": class_["id"]},
    )
    assert seen["node"]["organiserName"] == class_["organiserName"]

    # A resident who is a member sees that in the team; attendance once it has started.
    mine = await resident.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on OutreachTeam {{ {TEAM} }} }} }}",
        {"id": team["id"]},
    )
    assert mine["node"]["viewerIsMember"] and not mine["node"]["viewerManages"]
    early = await member.error(ATTEND, {"a": class_["id"], "v": class_["version"], "n": 30})
    assert code(early) == "BAD_USER_INPUT" and early["extensions"]["argument"] == "activityId"
    started = datetime.now(UTC) - timedelta(minutes=30)
    await OutreachActivity.filter(id=key(class_["id"])).update(
        starts_at=started, ends_at=started + timedelta(hours=1)
    )
    held = (await member.data(ATTEND, {"a": class_["id"], "v": class_["version"], "n": 35}))[
        "recordOutreachAttendance"
    ]
    assert (held["status"], held["attendance"]) == ("HELD", 35)
    fixed = (await officer.data(ATTEND, {"a": class_["id"], "v": held["version"], "n": 36}))[
        "recordOutreachAttendance"
    ]
    assert fixed["attendance"] == 36

    stale = await member.error(ATTEND, {"a": class_["id"], "v": held["version"], "n": 99})
    assert code(stale) == "CONFLICT"
    assert (await OutreachActivity.get(id=key(class_["id"]))).attendance == 36
    assert class_["id"] in await listed(resident, u=False)
    assert class_["id"] not in await listed(resident)

    for bad in (-1, 10_001):
        error = await officer.error(ATTEND, {"a": class_["id"], "v": fixed["version"], "n": bad})
        assert code(error) == "BAD_USER_INPUT" and error["extensions"]["argument"] == "attendance"

    team_now = await officer.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on OutreachTeam {{ {TEAM} }} }} }}",
        {"id": team["id"]},
    )
    assert team_now["node"]["activityCount"] == 1


async def test_refusals_change_nothing(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    stranger = await officer_of_another_street(client)
    worker = await client.signed_in("xinhong_worker")
    where = await places()
    team = await street_team(officer)
    team_key = key(team["id"])
    teams_before = await OutreachTeam.all().count()

    # An officer of another street neither creates a team here nor changes this one.
    error = await stranger.error(
        CREATE, {"i": {"name": "越界宣讲队", "placeId": gid("Street", where["hongqi"].id)}}
    )
    assert code(error) == "FORBIDDEN"
    error = await stranger.error(
        MEMBERS, {"t": team["id"], "v": team["version"], "p": [await person_of("xinhong_grid1")]}
    )
    assert code(error) == "FORBIDDEN"
    error = await stranger.error(
        SCHEDULE,
        {
            "i": {
                "teamId": team["id"],
                "kind": "POLICY_TALK",
                "topic": "越界",
                "communityId": gid("Community", where["xinhong"].id),
                **when(),
            }
        },
    )
    assert code(error) == "FORBIDDEN"
    assert await OutreachMember.filter(team_id=team_key).count() == 0
    assert await OutreachActivity.filter(team_id=team_key).count() == 0
    # A street officer makes no district-wide team; a community worker no team at all.
    error = await officer.error(
        CREATE, {"i": {"name": "全区宣讲队", "placeId": gid("District", where["gongnong"].id)}}
    )
    assert code(error) == "FORBIDDEN"
    error = await worker.error(
        CREATE, {"i": {"name": "社区宣讲队", "placeId": gid("Street", where["hongqi"].id)}}
    )
    assert code(error) == "FORBIDDEN"
    error = await officer.error(
        CREATE, {"i": {"name": "社区宣讲队", "placeId": gid("Community", where["xinhong"].id)}}
    )
    assert (code(error), error["extensions"]["argument"]) == ("BAD_USER_INPUT", "placeId")
    assert await OutreachTeam.all().count() == teams_before

    # Members: someone the officer may not see (a resident of 南山区, a district admin of
    # 南山区) is NOT_FOUND, and the members stay as they were.
    team = (
        await officer.data(
            MEMBERS,
            {"t": team["id"], "v": team["version"], "p": [await person_of("xinhong_grid1")]},
        )
    )["setOutreachMembers"]
    for outsider in ("resident_nanshan", "nanshan_admin"):
        error = await officer.error(
            MEMBERS,
            {
                "t": team["id"],
                "v": team["version"],
                "p": [await person_of("xinhong_worker"), await person_of(outsider)],
            },
        )
        assert code(error) == "NOT_FOUND"
    assert await OutreachMember.filter(team_id=team_key).count() == 1
    assert (await OutreachTeam.get(id=team_key)).version == team["version"]

    # A stale version is CONFLICT, and the team keeps its name.
    error = await officer.error(UPDATE, {"i": {"teamId": team["id"], "version": 1, "name": "新名"}})
    assert code(error) == "CONFLICT"
    assert (await OutreachTeam.get(id=team_key)).name == team["name"]

    # Scheduling: bad times and places are BAD_USER_INPUT naming the argument; nothing is made.
    member = await client.signed_in("xinhong_grid1")
    base = {
        "teamId": team["id"],
        "kind": "POLICY_TALK",
        "topic": "政策宣讲",
        "communityId": gid("Community", where["xinhong"].id),
    }
    start = datetime.now(UTC) + timedelta(days=3)
    bad = [
        (
            {"startsAt": start.isoformat(), "endsAt": (start - timedelta(hours=1)).isoformat()},
            "endsAt",
        ),
        (
            {"startsAt": (start - timedelta(days=4)).isoformat(), "endsAt": start.isoformat()},
            "startsAt",
        ),
        (
            {"startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=25)).isoformat()},
            "endsAt",
        ),
        ({"startsAt": "2030-05-01T09:00:00", "endsAt": "2030-05-01T10:00:00"}, "startsAt"),
        ({**when(), "communityId": gid("Community", where["other_community"].id)}, "communityId"),
        ({**when(), "topic": "  "}, "topic"),
        ({**when(), "communityId": None}, "communityId"),
    ]
    before = await OutreachActivity.filter(team_id=team_key).count()
    for changes, argument in bad:
        error = await member.error(SCHEDULE, {"i": {**base, **changes}})
        assert (code(error), error["extensions"].get("argument")) == ("BAD_USER_INPUT", argument)
    assert await OutreachActivity.filter(team_id=team_key).count() == before

    # A worker who is not a member may not schedule; a retired team schedules nothing.
    assert code(await worker.error(SCHEDULE, {"i": {**base, **when()}})) == "FORBIDDEN"
    team = (
        await officer.data(
            UPDATE, {"i": {"teamId": team["id"], "version": team["version"], "active": False}}
        )
    )["updateOutreachTeam"]
    assert team["active"] is False
    error = await member.error(SCHEDULE, {"i": {**base, **when()}})
    assert (code(error), error["extensions"]["argument"]) == ("BAD_USER_INPUT", "teamId")
    assert await OutreachActivity.filter(team_id=team_key).count() == before


async def test_cancelling_and_who_may(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    member = await client.signed_in("xinhong_grid1")
    resident = await client.signed_in("resident_xinhong")
    where = await places()
    team = await street_team(officer)
    team = (
        await officer.data(
            MEMBERS,
            {"t": team["id"], "v": team["version"], "p": [await person_of("xinhong_grid1")]},
        )
    )["setOutreachMembers"]
    talk = (
        await member.data(
            SCHEDULE,
            {
                "i": {
                    "teamId": team["id"],
                    "kind": "STOOL_CLASS",
                    "topic": "防诈骗小马扎课堂",
                    "communityId": gid("Community", where["xinhong"].id),
                    **when(days=2),
                }
            },
        )
    )["scheduleOutreachActivity"]

    assert code(await resident.error(CANCEL, {"a": talk["id"], "v": 1, "r": "x"})) == "FORBIDDEN"
    error = await member.error(CANCEL, {"a": talk["id"], "v": talk["version"], "r": " "})
    assert (code(error), error["extensions"]["argument"]) == ("BAD_USER_INPUT", "reason")
    cancelled = (
        await officer.data(CANCEL, {"a": talk["id"], "v": talk["version"], "r": "天气预报有暴雪"})
    )["cancelOutreachActivity"]
    assert (cancelled["status"], cancelled["cancelReason"]) == ("CANCELLED", "天气预报有暴雪")
    record = await AuditRecord.filter(action="cancelOutreachActivity", target=talk["id"]).first()
    assert record is not None and "reason" not in record.summary, "free text stays out of the log"
    assert record.role == "STREET_OFFICER"

    again = await member.error(CANCEL, {"a": talk["id"], "v": cancelled["version"], "r": "再取消"})
    assert (code(again), again["extensions"]["argument"]) == ("BAD_USER_INPUT", "activityId")
    attend = await member.error(ATTEND, {"a": talk["id"], "v": cancelled["version"], "n": 3})
    assert code(attend) == "BAD_USER_INPUT"
    # Cancelled activities stay listed (residents see they are off).
    assert talk["id"] in await listed(resident)


async def test_activity_pages_keep_time_order(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    resident = await client.signed_in("resident_xinhong")
    where = await places()
    team = await street_team(officer)
    start = datetime.now(UTC) + timedelta(days=30)
    made = []
    # Two pairs share a start time: the cursor (start, id) keeps pages exact.
    for offset in (3, 1, 1, 2, 2):
        at = start + timedelta(hours=offset)
        made.append(
            (
                await officer.data(
                    SCHEDULE,
                    {
                        "i": {
                            "teamId": team["id"],
                            "kind": "POLICY_TALK",
                            "topic": f"分页{offset}",
                            "communityId": gid("Community", where["xinhong"].id),
                            "startsAt": at.isoformat(),
                            "endsAt": (at + timedelta(hours=1)).isoformat(),
                        }
                    },
                )
            )["scheduleOutreachActivity"]
        )
    ids = {m["id"] for m in made}
    seen, after, total = [], None, None
    while True:
        page = (
            await resident.data(
                LIST, {"c": gid("Community", where["xinhong"].id), "f": 2, "a": after}
            )
        )["outreachActivities"]
        total = page["totalCount"]
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == total and len({n["id"] for n in seen}) == total
    starts = [n["startsAt"] for n in seen]
    assert starts == sorted(starts), "upcoming: soonest first"
    mine = [n["topic"] for n in seen if n["id"] in ids]
    assert mine == ["分页1", "分页1", "分页2", "分页2", "分页3"]

    error = await resident.error(LIST, {"a": "bm90LWEtY3Vyc29y"})
    assert (code(error), error["extensions"]["argument"]) == ("BAD_USER_INPUT", "after")
    assert code(await client.error(LIST, {})) == "UNAUTHENTICATED"


async def test_teams_list_and_anonymous_reads(api):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    resident = await client.signed_in("resident_nanshan")
    where = await places()
    team = await street_team(officer)
    query = """query($d: ID, $a: Boolean) { outreachTeams(districtId: $d, active: $a, first: 100) {
      totalCount edges { node { id name memberNames } } } }"""
    data = await resident.data(query, {"d": gid("District", where["gongnong"].id)})
    assert team["id"] in [e["node"]["id"] for e in data["outreachTeams"]["edges"]]
    nanshan = await District.get(code="nanshan")
    data = await resident.data(query, {"d": gid("District", nanshan.id)})
    assert team["id"] not in [e["node"]["id"] for e in data["outreachTeams"]["edges"]]
    data = await resident.data(query, {"a": False})
    assert team["id"] not in [e["node"]["id"] for e in data["outreachTeams"]["edges"]]

    assert code(await client.error(query, {})) == "UNAUTHENTICATED"
    # Teams are announcements: `node` answers them, but names only to signed-in viewers.
    anonymous = await client.data(
        "query($id: ID!) { node(id: $id) { ... on OutreachTeam { name memberNames } } }",
        {"id": team["id"]},
    )
    assert anonymous["node"] == {"name": team["name"], "memberNames": []}


@pytest.mark.parametrize("viewer", ["gongnong_admin", "hongqi_officer", "xinhong_grid1"])
async def test_figures_of_a_street(api, viewer):
    client = await api()
    officer = await client.signed_in("hongqi_officer")
    where = await places()
    team = await street_team(officer)
    # Activities in a period no other test uses: two held, one cancelled, one planned.
    base = datetime(2025, 3, 3 + next(_unique) % 20, 9, tzinfo=UTC)
    kinds = [
        ("CORRIDOR_CLASS", "HELD", 30),
        ("CORRIDOR_CLASS", "HELD", 12),
        ("COURTYARD_MEETING", "CANCELLED", None),
        ("POLICY_TALK", "PLANNED", None),
    ]
    team_key = key(team["id"])
    organiser = (await Account.get(username="hongqi_officer")).person_id
    for i, (kind, status, attendance) in enumerate(kinds):
        at = base + timedelta(hours=i)
        await OutreachActivity.create(
            team_id=team_key,
            kind=kind,
            topic="统计",
            starts_at=at,
            ends_at=at + timedelta(hours=1),
            organiser_id=organiser,
            status=status,
            attendance=attendance,
            district_id=where["xinhong"].district_id,
            street_id=where["xinhong"].street_id,
            community_id=where["xinhong"].id,
        )
    variables = {
        "p": gid("Street", where["hongqi"].id),
        "from": base.isoformat(),
        "to": (base + timedelta(hours=12)).isoformat(),
    }
    asker = await client.signed_in(viewer)
    try:
        if viewer == "xinhong_grid1":
            assert code(await asker.error(FIGURES, variables)) == "FORBIDDEN"
            return
        figures = (await asker.data(FIGURES, variables))["outreachFigures"]
    finally:
        await OutreachActivity.filter(team_id=team_key, topic="统计").delete()
    assert (figures["held"], figures["attendance"], figures["teamsActive"]) == (2, 42, 1)
    assert (figures["planned"], figures["cancelled"]) == (1, 1)
    by_kind = {k["kind"]: (k["kindName"], k["held"], k["attendance"]) for k in figures["byKind"]}
    assert by_kind["CORRIDOR_CLASS"] == ("楼道党课", 2, 42)
    assert by_kind["STOOL_CLASS"] == ("小马扎课堂", 0, 0)


def test_graphql_kinds_are_the_core_kinds():
    from core.outreach.kinds import KIND_NAMES, ActivityKind, ActivityStatus
    from schema.outreach.types import OutreachActivityStatus, OutreachKind

    assert (
        [k.name for k in OutreachKind]
        == [k.value for k in ActivityKind]
        == [k.value for k in KIND_NAMES]
    )
    assert [s.name for s in OutreachActivityStatus] == [s.value for s in ActivityStatus]


async def test_nested_lists_run_the_same_statements_for_3_and_12_rows(api):
    from core.db.statements import count_statements

    client = await api()
    officer = await client.signed_in("hongqi_officer")
    district = await District.create(code=f"outreach_n{next(_unique)}", name="统计区")
    street = await Street.create(code="s", name="统计街道", district_id=district.id)
    community = await Community.create(
        code="c", name="统计社区", district_id=district.id, street_id=street.id
    )
    people = [
        (await Account.get(username=u)).person_id for u in ("xinhong_grid1", "hongqi_officer")
    ]
    start = datetime.now(UTC) + timedelta(days=40)
    for i in range(12):
        team = await OutreachTeam.create(
            name=f"队{i}", district_id=district.id, street_id=street.id
        )
        await OutreachMember.bulk_create(
            [OutreachMember(team_id=team.id, person_id=p) for p in people]
        )
        await OutreachActivity.create(
            team_id=team.id,
            kind="STOOL_CLASS",
            topic=f"课{i}",
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i + 1),
            organiser_id=people[i % 2],
            district_id=district.id,
            street_id=street.id,
            community_id=community.id,
        )
    teams = """query($d: ID!, $f: Int!) { outreachTeams(districtId: $d, first: $f) { totalCount
      edges { node { name memberCount memberNames members { id } activityCount viewerManages
        viewerIsMember district { name } street { name } } } } }"""
    activities = """query($c: ID!, $f: Int!) { outreachActivities(communityId: $c, first: $f) {
      totalCount edges { node { topic kindName organiserName community { name } compound { id }
        team { name memberCount } } } } }"""
    counts = []
    try:
        for first in (3, 12):
            with count_statements() as log:
                data = await officer.data(teams, {"d": gid("District", district.id), "f": first})
                assert len(data["outreachTeams"]["edges"]) == first
                data = await officer.data(
                    activities, {"c": gid("Community", community.id), "f": first}
                )
                assert len(data["outreachActivities"]["edges"]) == first
            counts.append(log.count)
    finally:
        await OutreachActivity.filter(district_id=district.id).delete()
        teams_made = OutreachTeam.filter(district_id=district.id).values_list("id", flat=True)
        await OutreachMember.filter(team_id__in=await teams_made).delete()
        await OutreachTeam.filter(district_id=district.id).delete()
        await community.delete()
        await street.delete()
        await district.delete()
    assert counts[0] == counts[1], counts
