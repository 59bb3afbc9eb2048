"""Work orders spawned from a case: opened by whoever handles the case now, listed on the case,
and their progress written into the case's timeline."""

from __future__ import annotations

from tests.cases.test_ladder_api import act, report
from tests.volunteers.support import (
    CONFIRM,
    CREATE_ORDER,
    JPEG,
    PNG,
    assign,
    code,
    complete,
    compound_in,
    create_team,
    gid,
    listed,
    volunteer_login,
)

CASE = """query($id: ID!) { node(id: $id) { ... on Case { level status version
  timeline { action actorRole fromLevel toLevel fromStatus toStatus note }
  workOrders { id status source title requester { id } } } } }"""


async def test_a_case_spawns_a_work_order_that_shows_on_the_case_and_in_its_timeline(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    worker = await client.signed_in("xinhong_worker")
    volunteer, volunteer_id = await volunteer_login(client)
    case = await report(resident, title="单元门口水管爆裂", category="property_management")
    case = await act(grid_worker, case, "ACCEPT")
    case = await act(grid_worker, case, "START")
    me = (await resident.data("{ me { person { id } } }"))["me"]["person"]["id"]

    order = (
        await grid_worker.data(
            CREATE_ORDER,
            {"i": {"caseId": case["id"], "kind": "WATER_REPAIR", "title": "抢修爆裂水管"}},
        )
    )["createWorkOrder"]
    home = await compound_in("xinhong-g1")
    assert (order["source"], order["status"], order["case"]["id"]) == (
        "CASE",
        "REQUESTED",
        case["id"],
    )
    assert order["requester"]["id"] == me, "the case's reporter asked for it"
    assert order["compound"]["id"] == gid("Compound", home.id), "the case's place"

    seen = (await resident.data(CASE, {"id": case["id"]}))["node"]
    assert [w["id"] for w in seen["workOrders"]] == [order["id"]]
    assert seen["workOrders"][0]["requester"]["id"] == me

    team = await create_team(worker, leader=volunteer_id)
    order = await assign(worker, order, team)
    body = await complete(volunteer, order, before=[PNG], after=[JPEG], note="已更换管段")
    assert "errors" not in body, body
    done = body["data"]["completeWorkOrder"]
    assert done["case"] is None, "the volunteer may not see the case itself"
    await resident.data(CONFIRM, {"o": order["id"], "v": done["version"], "s": True, "f": "好"})

    seen = (await resident.data(CASE, {"id": case["id"]}))["node"]
    assert (seen["level"], seen["status"], seen["version"]) == (
        "GRID",
        "IN_PROGRESS",
        case["version"],
    )
    steps = [s for s in seen["timeline"] if s["action"] == "WORK_ORDER"]
    assert len(steps) == 3, steps
    opened, completed, confirmed = steps
    assert opened["actorRole"] == "GRID_WORKER" and "opened" in opened["note"]
    assert team["name"] in completed["note"] and "已更换管段" in completed["note"]
    assert "confirmed (satisfied)" in confirmed["note"]
    for step in steps:
        assert (step["fromLevel"], step["toLevel"]) == ("GRID", "GRID")
        assert (step["fromStatus"], step["toStatus"]) == ("IN_PROGRESS", "IN_PROGRESS")


async def test_only_the_case_handlers_now_open_work_orders_from_it(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    admin = await client.signed_in("gongnong_admin")
    case = await report(resident, title="楼道灯坏了")
    spawn = {"i": {"caseId": case["id"], "kind": "ELECTRICITY_REPAIR", "title": "修楼道灯"}}

    assert code(await worker.post(CREATE_ORDER, spawn)) == "FORBIDDEN", "the case is at GRID"
    assert code(await resident.post(CREATE_ORDER, spawn)) == "FORBIDDEN"
    nanshan = await client.signed_in("nanshan_admin")
    assert code(await nanshan.post(CREATE_ORDER, spawn)) == "NOT_FOUND"
    placed = {
        "i": {**spawn["i"], "compoundId": gid("Compound", (await compound_in("xinhong-g1")).id)}
    }
    body = await grid_worker.post(CREATE_ORDER, placed)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "compoundId"}
    by_admin = (await admin.data(CREATE_ORDER, spawn))["createWorkOrder"]
    assert by_admin["source"] == "CASE", "oversight acts at any level"

    rejected = await act(grid_worker, case, "REJECT")
    assert rejected["status"] == "REJECTED"
    closed = await grid_worker.post(CREATE_ORDER, spawn)
    assert closed["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "caseId"}


async def test_staff_open_work_orders_at_their_places_and_confirm_those_nobody_asked_for(api):
    client = await api()
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    volunteer, volunteer_id = await volunteer_login(client)
    team = await create_team(worker, leader=volunteer_id)
    home = await compound_in("xinhong-g1")
    neighbour = await compound_in("xinhong-g2")

    check = (
        await grid_worker.data(
            CREATE_ORDER,
            {
                "i": {
                    "compoundId": gid("Compound", home.id),
                    "kind": "HAZARD_CHECK",
                    "title": "燃气管道隐患排查",
                }
            },
        )
    )["createWorkOrder"]
    assert (check["source"], check["requester"]) == ("STAFF", None)
    body = await grid_worker.post(
        CREATE_ORDER,
        {
            "i": {
                "compoundId": gid("Compound", neighbour.id),
                "kind": "HAZARD_CHECK",
                "title": "别的网格",
            }
        },
    )
    assert code(body) == "FORBIDDEN", "another grid's compound"
    body = await grid_worker.post(
        CREATE_ORDER,
        {
            "i": {
                "compoundId": gid("Compound", home.id),
                "kind": "HAZARD_CHECK",
                "title": "派给队",
                "teamId": team["id"],
            }
        },
    )
    assert code(body) == "FORBIDDEN", "grid workers open work orders, community staff assign"
    body = await worker.post(CREATE_ORDER, {"i": {"kind": "OTHER", "title": "无处"}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "communityId"}

    at_once = (
        await worker.data(
            CREATE_ORDER,
            {
                "i": {
                    "communityId": team["community"]["id"],
                    "kind": "HOUSEHOLD_HELP",
                    "title": "帮独居老人搬家",
                    "teamId": team["id"],
                }
            },
        )
    )["createWorkOrder"]
    assert (at_once["status"], at_once["team"]["id"], at_once["compound"]) == (
        "ASSIGNED",
        team["id"],
        None,
    )
    body = await complete(volunteer, at_once, before=[PNG], after=[JPEG])
    done = body["data"]["completeWorkOrder"]
    assert done["allowedActions"] == [], "the volunteer does not confirm"
    mine = await worker.data(CONFIRM, {"o": done["id"], "v": done["version"], "s": True, "f": ""})
    assert mine["confirmWorkOrder"]["status"] == "CONFIRMED"


async def test_those_who_handle_the_case_see_its_work_orders(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    worker = await client.signed_in("xinhong_worker")
    department = await client.signed_in("zhujian_officer")
    other_grid = await volunteer_login(client)  # a resident of another grid: sees nothing
    grid = (await compound_in("xinhong-g1")).grid_id
    case = (
        await resident.data(
            "mutation($i: ReportCaseInput!) { reportCase(input: $i) { id version } }",
            {
                "i": {
                    "title": "路灯倒了",
                    "category": "property_management",
                    "gridId": gid("Grid", grid),
                }
            },
        )
    )["reportCase"]
    spawn = {"i": {"caseId": case["id"], "kind": "HAZARD_CHECK", "title": "排查路灯隐患"}}
    first = (await grid_worker.data(CREATE_ORDER, spawn))["createWorkOrder"]
    assert first["compound"] is None, "the case names a grid, not a compound"
    assert first["id"] in await listed(grid_worker), "the grid worker sees it through the case"

    case = await act(grid_worker, case, "ESCALATE")
    case = await act(worker, case, "ESCALATE", departments=["zhujian"])
    assert case["level"] == "DEPARTMENT"
    assert first["id"] in await listed(department), "routed to the department: it sees it"
    second = (await department.data(CREATE_ORDER, spawn))["createWorkOrder"]
    assert second["id"] in await listed(department) and second["id"] in await listed(worker)
    assert first["id"] not in await listed(other_grid[0])
    seen = (await resident.data(CASE, {"id": case["id"]}))["node"]
    assert [w["id"] for w in seen["workOrders"]] == [first["id"], second["id"]]
