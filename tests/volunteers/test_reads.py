"""No N+1: the SQL statements of a nested work-order list do not grow with its rows."""

from __future__ import annotations

from strawberry.relay import GlobalID

from core.db.statements import count_statements
from core.people.models import PioneerPost
from core.volunteers.models import (
    VolunteerMember,
    VolunteerTeam,
    VolunteerTeamArea,
    VolunteerTeamPost,
    WorkOrder,
    WorkOrderPhoto,
)
from tests.volunteers.support import compound_in, gid, volunteer_login

NESTED = """query($t: ID!) { workOrders(teamId: $t, first: 100) { totalCount edges { node {
  id status allowedActions compound { name } community { name } requester { name }
  case { id } photos { url stage } completedBy { name }
  team { name leaderName members { name skills person { name } } compounds { name }
    pioneerPosts { title holder { name } } } } } } }"""


async def team_with_orders(member: int, rows: int) -> VolunteerTeam:
    home = await compound_in("xinhong-g1")
    place = {
        "district_id": home.district_id,
        "street_id": home.street_id,
        "community_id": home.community_id,
    }
    team = await VolunteerTeam.create(name=f"计数队{rows}", leader_id=member, **place)
    await VolunteerMember.create(team_id=team.id, person_id=member, skills=["水电维修"])
    await VolunteerTeamArea.create(team_id=team.id, compound_id=home.id)
    post = await PioneerPost.filter(compound_id=home.id).first()
    if post is not None:
        await VolunteerTeamPost.create(team_id=team.id, post_id=post.id)
    await WorkOrder.bulk_create(
        [
            WorkOrder(
                kind="WATER_REPAIR",
                title=f"工单{i}",
                source="STAFF",
                status="ASSIGNED",
                team_id=team.id,
                compound_id=home.id,
                **place,
            )
            for i in range(rows)
        ]
    )
    orders = await WorkOrder.filter(team_id=team.id).values_list("id", flat=True)
    await WorkOrderPhoto.bulk_create(
        [
            WorkOrderPhoto(
                work_order_id=o, stage="BEFORE", key="k.png", content_type="image/png", size=1
            )
            for o in orders
        ]
    )
    return team


async def test_work_order_list_statements_do_not_grow_with_rows(api):
    client = await api()
    volunteer, person = await volunteer_login(client)
    member = int(GlobalID.from_id(person).node_id)
    counts = {}
    teams = [await team_with_orders(member, rows) for rows in (5, 50)]
    try:
        for team, rows in zip(teams, (5, 50), strict=True):
            with count_statements() as log:
                data = await volunteer.data(NESTED, {"t": gid("VolunteerTeam", team.id)})
            edges = data["workOrders"]["edges"]
            assert data["workOrders"]["totalCount"] == rows == len(edges)
            assert edges[0]["node"]["allowedActions"] == ["ADD_PHOTOS", "COMPLETE"]
            assert edges[0]["node"]["team"]["members"][0]["person"]["name"] == "志愿者老王"
            counts[rows] = log.count
    finally:
        for team in teams:
            await WorkOrder.filter(team_id=team.id).delete()
            await team.delete()
    assert counts[5] == counts[50], counts
    # The page and its count, the scope facts (members, compounds' grids), then one statement
    # per kind of object read: the same number whatever the rows.
    assert counts[50] <= 16, counts
