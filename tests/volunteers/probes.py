"""Probes of this area's root operations for the authorization matrix (see tests/access/probes.py).

A target team serves the community of the relation's grid; a target work order is at the
relation's compound, asked for by the relation's person (at ``own``: by the viewer)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from core.volunteers.models import VolunteerMember, VolunteerTeam, VolunteerTeamArea, WorkOrder
from tests.access.probes import Probe, gid, ok
from tests.support.api import Api

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
_unique = itertools.count()


async def team_at(p: Probe, relation: str, *, member: int | None = None) -> VolunteerTeam:
    """A team of the relation's community (with ``member`` in it, if given)."""
    grid = p.target(relation).grid
    team = await VolunteerTeam.create(
        name=f"探针志愿队{next(_unique)}",
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
    )
    if member is not None:
        await VolunteerMember.create(team_id=team.id, person_id=member)
    return team


async def drop_team(team: VolunteerTeam) -> None:
    await WorkOrder.filter(team_id=team.id).delete()
    await VolunteerTeam.filter(id=team.id).delete()


async def order_at(
    p: Probe, relation: str, status: str = "REQUESTED", team: VolunteerTeam | None = None
) -> WorkOrder:
    """A work order at the relation's compound, asked for by the relation's person."""
    target = p.target(relation)
    compound = target.compound
    return await WorkOrder.create(
        district_id=compound.district_id,
        street_id=compound.street_id,
        community_id=compound.community_id,
        compound_id=compound.id,
        kind="WATER_REPAIR",
        title="探针工单",
        source="RESIDENT",
        status=status,
        requester_id=target.person,
        team_id=team.id if team else None,
    )


async def multipart(
    client: Api, query: str, variables: dict[str, Any], files: dict[str, bytes]
) -> dict[str, Any]:
    """Post ``query`` with uploads (the GraphQL multipart request spec): ``files`` maps a
    variable path (``variables.p.0``) to the bytes of a file."""
    names = list(files)
    response = await client.client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps({str(i): [path] for i, path in enumerate(names)}),
        },
        files={str(i): (f"{i}.png", files[path], "image/png") for i, path in enumerate(names)},
        headers={"Authorization": f"Bearer {client.token}"} if client.token else {},
    )
    body: dict[str, Any] = response.json()
    return body


async def volunteer_teams(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    try:
        body = await p.client.post(
            "query($c: ID) { volunteerTeams(communityId: $c, first: 100) { edges { node { id } } } }",
            {"c": gid("Community", team.community_id)},
        )
        return ok(body) and any(
            e["node"]["id"] == gid("VolunteerTeam", team.id)
            for e in body["data"]["volunteerTeams"]["edges"]
        )
    finally:
        await drop_team(team)


async def create_volunteer_team(p: Probe, relation: str) -> bool:
    name = f"探针新队{next(_unique)}"
    body = await p.client.post(
        "mutation($i: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $i) { id } }",
        {
            "i": {
                "communityId": gid("Community", p.target(relation).grid.community_id),
                "name": name,
            }
        },
    )
    await VolunteerTeam.filter(name=name).delete()
    return ok(body)


async def update_volunteer_team(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($i: UpdateVolunteerTeamInput!) { updateVolunteerTeam(input: $i) { name } }",
            {
                "i": {
                    "teamId": gid("VolunteerTeam", team.id),
                    "version": 1,
                    "name": f"{team.name}改",
                }
            },
        )
        return ok(body)
    finally:
        await drop_team(team)


async def set_volunteer_members(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($t: ID!, $p: ID!) { setVolunteerMembers(teamId: $t, version: 1, "
            'members: [{personId: $p, skills: ["水电维修"]}]) { members { skills } } }',
            {"t": gid("VolunteerTeam", team.id), "p": gid("Person", p.target(relation).person)},
        )
        return ok(body)
    finally:
        await drop_team(team)


async def attach_to_volunteer_team(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($t: ID!, $c: ID!) { attachToVolunteerTeam(teamId: $t, compoundIds: [$c]) "
            "{ compounds { id } } }",
            {
                "t": gid("VolunteerTeam", team.id),
                "c": gid("Compound", p.target(relation).compound.id),
            },
        )
        return ok(body)
    finally:
        await drop_team(team)


async def detach_from_volunteer_team(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    compound = p.target(relation).compound
    await VolunteerTeamArea.create(team_id=team.id, compound_id=compound.id)
    try:
        body = await p.client.post(
            "mutation($t: ID!, $c: ID!) { detachFromVolunteerTeam(teamId: $t, compoundIds: [$c]) "
            "{ compounds { id } } }",
            {"t": gid("VolunteerTeam", team.id), "c": gid("Compound", compound.id)},
        )
        return ok(body)
    finally:
        await drop_team(team)


async def request_repair(p: Probe, relation: str) -> bool:
    title = f"探针报修{next(_unique)}"
    where = (
        {} if relation == "own" else {"compoundId": gid("Compound", p.target(relation).compound.id)}
    )
    body = await p.client.post(
        "mutation($i: RequestRepairInput!) { requestRepair(input: $i) { id } }",
        {"i": {"kind": "WATER_REPAIR", "title": title, **where}},
    )
    await WorkOrder.filter(title=title).delete()
    return ok(body)


async def create_work_order(p: Probe, relation: str) -> bool:
    title = f"探针派单{next(_unique)}"
    body = await p.client.post(
        "mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) { id } }",
        {
            "i": {
                "kind": "HAZARD_CHECK",
                "title": title,
                "compoundId": gid("Compound", p.target(relation).compound.id),
            }
        },
    )
    await WorkOrder.filter(title=title).delete()
    return ok(body)


async def assign_work_order(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    order = await order_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($o: ID!, $t: ID!) { assignWorkOrder(workOrderId: $o, version: 1, teamId: $t) { status } }",
            {"o": gid("WorkOrder", order.id), "t": gid("VolunteerTeam", team.id)},
        )
        return ok(body)
    finally:
        await order.delete()
        await drop_team(team)


async def _assigned(p: Probe, relation: str) -> tuple[VolunteerTeam, WorkOrder]:
    """An ASSIGNED work order whose team has the viewer in it at ``own`` (nobody elsewhere)."""
    member = p.viewer_person if relation == "own" else None
    team = await team_at(p, relation, member=member)
    return team, await order_at(p, relation, status="ASSIGNED", team=team)


async def add_work_order_photos(p: Probe, relation: str) -> bool:
    team, order = await _assigned(p, relation)
    try:
        body = await multipart(
            p.client,
            "mutation($o: ID!, $p: [Upload!]!) { addWorkOrderPhotos(workOrderId: $o, "
            "stage: BEFORE, photos: $p) { id } }",
            {"o": gid("WorkOrder", order.id), "p": [None]},
            {"variables.p.0": PNG},
        )
        return ok(body)
    finally:
        await drop_team(team)


async def complete_work_order(p: Probe, relation: str) -> bool:
    team, order = await _assigned(p, relation)
    try:
        body = await multipart(
            p.client,
            "mutation($o: ID!, $b: [Upload!], $a: [Upload!]) { completeWorkOrder(workOrderId: $o, "
            "version: 1, beforePhotos: $b, afterPhotos: $a) { status } }",
            {"o": gid("WorkOrder", order.id), "b": [None], "a": [None]},
            {"variables.b.0": PNG, "variables.a.0": PNG + b"after"},
        )
        return ok(body)
    finally:
        await drop_team(team)


async def confirm_work_order(p: Probe, relation: str) -> bool:
    team = await team_at(p, relation)
    order = await order_at(p, relation, status="DONE", team=team)
    try:
        body = await p.client.post(
            "mutation($o: ID!) { confirmWorkOrder(workOrderId: $o, version: 1, satisfied: true) { status } }",
            {"o": gid("WorkOrder", order.id)},
        )
        return ok(body)
    finally:
        await drop_team(team)


async def cancel_work_order(p: Probe, relation: str) -> bool:
    order = await order_at(p, relation)
    try:
        body = await p.client.post(
            'mutation($o: ID!) { cancelWorkOrder(workOrderId: $o, version: 1, reason: "探针") { status } }',
            {"o": gid("WorkOrder", order.id)},
        )
        return ok(body)
    finally:
        await order.delete()


async def work_orders(p: Probe, relation: str) -> bool:
    order = await order_at(p, relation)
    try:
        body = await p.client.post("{ workOrders(first: 100) { edges { node { id } } } }")
        return ok(body) and any(
            e["node"]["id"] == gid("WorkOrder", order.id)
            for e in body["data"]["workOrders"]["edges"]
        )
    finally:
        await order.delete()


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "volunteerTeams": volunteer_teams,
    "createVolunteerTeam": create_volunteer_team,
    "updateVolunteerTeam": update_volunteer_team,
    "setVolunteerMembers": set_volunteer_members,
    "attachToVolunteerTeam": attach_to_volunteer_team,
    "detachFromVolunteerTeam": detach_from_volunteer_team,
    "requestRepair": request_repair,
    "createWorkOrder": create_work_order,
    "assignWorkOrder": assign_work_order,
    "addWorkOrderPhotos": add_work_order_photos,
    "completeWorkOrder": complete_work_order,
    "confirmWorkOrder": confirm_work_order,
    "cancelWorkOrder": cancel_work_order,
    "workOrders": work_orders,
}
