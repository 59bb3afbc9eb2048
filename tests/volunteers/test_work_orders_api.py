"""Work orders through GraphQL: a resident asks for a repair, staff assign it to a volunteer
team, a member completes it with before/after photos and the resident confirms it; and the
refusals on the way, none of which leaves anything half-written."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.relay import GlobalID

from core.access.models import AuditRecord
from core.cases.photos import FolderStore
from core.volunteers.models import WorkOrder, WorkOrderPhoto
from schema.volunteers.photos import work_order_photo_route
from tests.access.probes import reference_targets
from tests.volunteers.support import (
    CANCEL,
    CONFIRM,
    JPEG,
    ORDER,
    PNG,
    add_photos,
    assign,
    code,
    complete,
    compound_in,
    create_team,
    gid,
    listed,
    request_repair,
    volunteer_login,
)


async def test_a_repair_from_request_to_confirmation(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    assert [m["person"]["id"] for m in team["members"]] == [volunteer_id]

    order = await request_repair(resident, description="水管接口滴水", address="3号楼2单元101")
    home = await compound_in("xinhong-g1")
    assert (order["status"], order["source"], order["kind"]) == (
        "REQUESTED",
        "RESIDENT",
        "WATER_REPAIR",
    )
    assert order["compound"]["id"] == gid("Compound", home.id), "the home compound by default"
    assert order["requester"]["id"] is not None and order["team"] is None
    assert order["allowedActions"] == ["CANCEL"]
    assert order["id"] in await listed(worker), "community staff see it"
    assert order["id"] not in await listed(volunteer), "not the team's yet"

    order = await assign(worker, order, team)
    assert (order["status"], order["team"]["id"]) == ("ASSIGNED", team["id"])
    assert order["id"] in await listed(volunteer, t=team["id"]), "the team's members see it"
    seen = (await volunteer.data(ORDER, {"id": order["id"]}))["node"]
    assert seen["allowedActions"] == ["ADD_PHOTOS", "COMPLETE"]

    body = await add_photos(volunteer, order, "BEFORE", PNG)
    assert "errors" not in body, body
    assert [p["stage"] for p in body["data"]["addWorkOrderPhotos"]["photos"]] == ["BEFORE"]

    body = await complete_with(volunteer, order, after=[JPEG])
    done = body["data"]["completeWorkOrder"]
    assert (done["status"], done["completionNote"]) == ("DONE", "更换了阀门")
    assert done["completedBy"]["id"] == volunteer_id
    assert [(p["stage"], p["contentType"]) for p in done["photos"]] == [
        ("BEFORE", "image/png"),
        ("AFTER", "image/jpeg"),
    ]
    mine = (await resident.data(ORDER, {"id": order["id"]}))["node"]
    assert mine["allowedActions"] == ["CONFIRM"]

    confirmed = (
        await resident.data(
            CONFIRM, {"o": order["id"], "v": mine["version"], "s": True, "f": "很及时，谢谢！"}
        )
    )["confirmWorkOrder"]
    assert (confirmed["status"], confirmed["satisfied"], confirmed["feedback"]) == (
        "CONFIRMED",
        True,
        "很及时，谢谢！",
    )
    assert confirmed["allowedActions"] == []
    record = await AuditRecord.filter(action="confirmWorkOrder", target=order["id"]).first()
    assert record is not None and record.summary == {"status": "CONFIRMED", "satisfied": True}
    assigned = await AuditRecord.filter(action="assignWorkOrder", target=order["id"]).first()
    assert assigned is not None and assigned.role == "COMMUNITY_WORKER"


async def complete_with(member, order, before=None, after=None, version=None) -> dict:
    body = await complete(member, order, before=before, after=after, version=version)
    assert "errors" not in body, body
    return body


async def test_completing_is_refused_without_photos_by_others_and_when_stale(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    stranger = await client.signed_in("resident_nanshan")
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    order = await assign(worker, await request_repair(resident), team)
    no_after = await complete(volunteer, order, before=[PNG])
    assert code(no_after) == "BAD_USER_INPUT"
    assert no_after["errors"][0]["extensions"]["argument"] == "afterPhotos"
    no_before = await complete(volunteer, order, after=[PNG])
    assert no_before["errors"][0]["extensions"]["argument"] == "beforePhotos"
    assert code(await complete(grid_worker, order, before=[PNG], after=[JPEG])) == "FORBIDDEN", (
        "the grid worker sees it but is not in the team"
    )
    assert code(await complete(stranger, order, before=[PNG], after=[JPEG])) == "NOT_FOUND"
    stale = await complete(
        volunteer, order, before=[PNG], after=[JPEG], version=order["version"] - 1
    )
    assert code(stale) == "CONFLICT"
    disguised = await complete(volunteer, order, before=[b"#!/bin/sh\n"], after=[JPEG])
    assert disguised["errors"][0]["extensions"]["argument"] == "beforePhotos"

    # Nothing of the refused attempts stayed: no photo, no status change, the same version.
    assert not await WorkOrderPhoto.filter(work_order_id=_key(order)).exists()
    again = (await volunteer.data(ORDER, {"id": order["id"]}))["node"]
    assert (again["status"], again["version"], again["photos"]) == (
        "ASSIGNED",
        order["version"],
        [],
    )

    body = await add_photos(grid_worker, order, "BEFORE", PNG)
    assert code(body) == "FORBIDDEN", "only members add photos"
    body = await complete_with(volunteer, order, before=[PNG], after=[JPEG])
    assert body["data"]["completeWorkOrder"]["status"] == "DONE"
    twice = await complete(volunteer, body["data"]["completeWorkOrder"], before=[PNG], after=[JPEG])
    assert code(twice) == "BAD_USER_INPUT"
    assert twice["errors"][0]["extensions"]["allowed"] == ["CONFIRM"]


async def test_confirming_is_for_the_requester_and_only_once_done(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    order = await assign(worker, await request_repair(resident), team)
    early = await resident.post(
        CONFIRM, {"o": order["id"], "v": order["version"], "s": True, "f": ""}
    )
    assert code(early) == "BAD_USER_INPUT"
    assert early["errors"][0]["extensions"]["allowed"] == [
        "ASSIGN",
        "ADD_PHOTOS",
        "COMPLETE",
        "CANCEL",
    ]
    done = (await complete_with(volunteer, order, before=[PNG], after=[JPEG]))["data"][
        "completeWorkOrder"
    ]
    by_staff = await worker.post(
        CONFIRM, {"o": order["id"], "v": done["version"], "s": True, "f": ""}
    )
    assert code(by_staff) == "FORBIDDEN", "someone asked for it: they confirm"
    stale = await resident.post(
        CONFIRM, {"o": order["id"], "v": order["version"], "s": False, "f": "没修好"}
    )
    assert code(stale) == "CONFLICT"
    unhappy = (
        await resident.data(
            CONFIRM, {"o": order["id"], "v": done["version"], "s": False, "f": "还在滴水"}
        )
    )["confirmWorkOrder"]
    assert (unhappy["status"], unhappy["satisfied"]) == ("CONFIRMED", False)


async def test_cancelling_by_the_requester_until_assigned_and_by_staff_until_done(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    team = await create_team(worker)

    first = await request_repair(resident, title="灯不亮")
    cancelled = (
        await resident.data(CANCEL, {"o": first["id"], "v": first["version"], "r": "自己修好了"})
    )["cancelWorkOrder"]
    assert (cancelled["status"], cancelled["cancelReason"]) == ("CANCELLED", "自己修好了")
    assert cancelled["completionNote"] is None

    second = await assign(worker, await request_repair(resident, title="插座冒火花"), team)
    refused = await resident.post(CANCEL, {"o": second["id"], "v": second["version"], "r": "算了"})
    assert code(refused) == "FORBIDDEN"
    blank = await worker.post(CANCEL, {"o": second["id"], "v": second["version"], "r": "  "})
    assert blank["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "reason"}
    by_staff = (
        await worker.data(CANCEL, {"o": second["id"], "v": second["version"], "r": "重复报修"})
    )["cancelWorkOrder"]
    assert by_staff["status"] == "CANCELLED"
    final = await worker.post(CANCEL, {"o": second["id"], "v": by_staff["version"], "r": "再撤"})
    assert final["errors"][0]["extensions"]["allowed"] == []


async def test_repairs_are_asked_for_at_home(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    other = (await reference_targets())["other_community"].compound
    body = await resident.post(
        "mutation($i: RequestRepairInput!) { requestRepair(input: $i) { id } }",
        {
            "i": {
                "kind": "WATER_REPAIR",
                "title": "别处的水管",
                "compoundId": gid("Compound", other.id),
            }
        },
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "compoundId"}
    neighbour = await compound_in("xinhong-g2")
    order = await request_repair(resident, compoundId=gid("Compound", neighbour.id))
    assert order["compound"]["id"] == gid("Compound", neighbour.id), "another compound at home"
    staff = await client.signed_in("xinhong_worker")
    homeless = await staff.post(
        'mutation { requestRepair(input: {kind: OTHER, title: "x"}) { id } }'
    )
    assert homeless["errors"][0]["extensions"]["argument"] == "compoundId"
    untitled = await resident.post(
        'mutation { requestRepair(input: {kind: OTHER, title: "  "}) { id } }'
    )
    assert untitled["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "title"}


async def test_assigning_needs_an_active_team_of_the_community(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    admin = await client.signed_in("gongnong_admin")
    order = await request_repair(resident)
    other = (await reference_targets())["other_community"].grid
    elsewhere = (
        await admin.data(
            'mutation($c: ID!) { createVolunteerTeam(input: {communityId: $c, name: "他社区队"}) { id } }',
            {"c": gid("Community", other.community_id)},
        )
    )["createVolunteerTeam"]
    body = await admin.post(
        "mutation($o: ID!, $t: ID!) { assignWorkOrder(workOrderId: $o, version: 1, teamId: $t) { id } }",
        {"o": order["id"], "t": elsewhere["id"]},
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "teamId"}

    team = await create_team(worker)
    retired = await worker.data(
        "mutation($i: UpdateVolunteerTeamInput!) { updateVolunteerTeam(input: $i) { active } }",
        {"i": {"teamId": team["id"], "version": team["version"], "active": False}},
    )
    assert retired["updateVolunteerTeam"]["active"] is False
    body = await worker.post(
        "mutation($o: ID!, $t: ID!) { assignWorkOrder(workOrderId: $o, version: 1, teamId: $t) { id } }",
        {"o": order["id"], "t": team["id"]},
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "teamId"}
    grid_worker = await client.signed_in("xinhong_grid1")
    live = await create_team(worker)
    body = await grid_worker.post(
        "mutation($o: ID!, $t: ID!) { assignWorkOrder(workOrderId: $o, version: 1, teamId: $t) { id } }",
        {"o": order["id"], "t": live["id"]},
    )
    assert code(body) == "FORBIDDEN", "grid workers see work orders, community staff assign them"
    assert (await WorkOrder.get(id=_key(order))).status == "REQUESTED"


async def test_photos_are_served_only_to_those_who_see_the_work_order(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    order = await assign(worker, await request_repair(resident), team)
    body = await complete_with(volunteer, order, before=[PNG], after=[JPEG])
    photos = body["data"]["completeWorkOrder"]["photos"]
    assert [p["url"] for p in photos] == [f"/work-order-photos/{p['id']}" for p in photos]

    runtime = client.runtime
    route = work_order_photo_route(runtime.tokens, FolderStore(runtime.config.cases.photo_folder))
    app = Starlette(routes=[Route("/work-order-photos/{photo_id}", route)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hemei.test"
    ) as http:

        async def fetch(who, url=photos[0]["url"]) -> httpx.Response:
            headers = {"Authorization": f"Bearer {who.token}"} if who and who.token else {}
            return await http.get(url, headers=headers)

        mine = await fetch(resident)
        assert (mine.status_code, mine.content, mine.headers["content-type"]) == (
            200,
            PNG,
            "image/png",
        )
        assert (await fetch(volunteer, photos[1]["url"])).content == JPEG
        assert (await fetch(worker)).status_code == 200
        assert (await fetch(await client.signed_in("nanshan_admin"))).status_code == 404
        assert (await fetch(None)).status_code == 404
        assert (await fetch(resident, "/work-order-photos/999999999")).status_code == 404
        assert (await fetch(resident, "/work-order-photos/abc")).status_code == 404


def _key(order: dict) -> int:
    return int(GlobalID.from_id(order["id"]).node_id)
