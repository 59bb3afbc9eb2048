"""The four-level ladder through GraphQL, as the roles involved."""

from __future__ import annotations

import asyncio

from strawberry.relay import GlobalID

from core.access.models import Account
from core.cases.models import CaseEvent
from core.regions.models import Compound, District, Grid
from tests.support.grants import make_grid_worker

REPORT = """mutation($i: ReportCaseInput!) { reportCase(input: $i) { id version level status
  assigneeName category { code name } allowedActions } }"""
ACT = """mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { id version level status
  allowedActions departments { lead department { code } } } }"""
TIMELINE = """query($id: ID!) { node(id: $id) { ... on Case { status level rating
  timeline { action fromLevel toLevel fromStatus toStatus note actorRole }
  consultations { participants decision } } } }"""


def gid(type_name: str, key: int) -> str:
    return str(GlobalID(type_name, str(key)))


async def xinhong_compound() -> Compound:
    gongnong = await District.get(code="gongnong")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    return await Compound.filter(grid_id=grid.id).first()


async def report(resident, title="楼道下水管堵塞", category="property_management") -> dict:
    compound = await xinhong_compound()
    data = await resident.data(
        REPORT,
        {"i": {"title": title, "category": category, "compoundId": gid("Compound", compound.id)}},
    )
    return data["reportCase"]


async def act(client, case: dict, action: str, **extra) -> dict:
    data = await client.data(
        ACT,
        {
            "i": {
                "caseId": case["id"],
                "version": case["version"],
                "action": action,
                "note": f"{action.lower()} by test",
                **extra,
            }
        },
    )
    return data["actOnCase"]


async def test_the_article_path_through_every_rung(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    community = await client.signed_in("xinhong_worker")
    department = await client.signed_in("zhujian_officer")
    street = await client.signed_in("hongqi_officer")

    case = await report(resident)
    assert (case["level"], case["status"]) == ("GRID", "REPORTED")
    assert case["assigneeName"] and case["category"]["name"] == "物业管理"
    assert case["allowedActions"] == [], "the reporter cannot handle their own case"

    case = await act(grid_worker, case, "ACCEPT")
    case = await act(grid_worker, case, "ESCALATE")
    assert (case["level"], case["status"]) == ("COMMUNITY", "REPORTED")
    case = await act(community, case, "ACCEPT")
    case = await act(community, case, "ESCALATE", departments=["zhujian", "chengguan"])
    assert case["level"] == "DEPARTMENT"
    assert case["departments"] == [
        {"lead": True, "department": {"code": "zhujian"}},
        {"lead": False, "department": {"code": "chengguan"}},
    ]
    case = await act(department, case, "ACCEPT")
    case = await act(department, case, "ESCALATE")
    assert case["level"] == "STREET"
    case = await act(street, case, "ACCEPT")
    case = await act(
        street,
        case,
        "CONSULT",
        participants=["街道办", "住建局", "物业公司", "居民代表"],
        decision="更换主下水管，物业承担费用",
    )
    case = await act(street, case, "RESOLVE")
    case = await act(resident, case, "RATE", rating=2)
    assert (case["level"], case["status"]) == ("STREET", "REOPENED")
    case = await act(street, case, "ACCEPT")
    case = await act(street, case, "START")
    case = await act(
        street, case, "CONSULT", participants=["街道办", "居民代表"], decision="复查并加装检修口"
    )
    case = await act(street, case, "RESOLVE")
    case = await act(resident, case, "RATE", rating=5)
    assert (case["level"], case["status"]) == ("STREET", "CLOSED")

    node = (await resident.data(TIMELINE, {"id": case["id"]}))["node"]
    assert node["rating"] == 5
    assert [s["action"] for s in node["timeline"]] == [
        "REPORT",
        "ACCEPT",
        "ESCALATE",
        "ACCEPT",
        "ESCALATE",
        "ACCEPT",
        "ESCALATE",
        "ACCEPT",
        "CONSULT",
        "RESOLVE",
        "RATE",
        "ACCEPT",
        "START",
        "CONSULT",
        "RESOLVE",
        "RATE",
    ]
    assert [s["toLevel"] for s in node["timeline"]][:8] == [
        "GRID",
        "GRID",
        "COMMUNITY",
        "COMMUNITY",
        "DEPARTMENT",
        "DEPARTMENT",
        "STREET",
        "STREET",
    ]
    assert node["timeline"][2]["actorRole"] == "GRID_WORKER"
    assert node["timeline"][10]["toStatus"] == "REOPENED"
    assert len(node["consultations"]) == 2
    events = await CaseEvent.filter(case_id=int(GlobalID.from_id(case["id"]).node_id)).count()
    assert events == len(node["timeline"]), "one outbox event per step"


async def test_an_action_not_possible_now_lists_the_possible_ones(api):
    client = await api()
    case = await report(await client.signed_in("resident_xinhong"))
    worker = await client.signed_in("xinhong_grid1")
    error = await worker.error(
        ACT, {"i": {"caseId": case["id"], "version": case["version"], "action": "RESOLVE"}}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["allowed"] == ["ACCEPT", "ESCALATE", "REJECT"]


async def test_only_the_handlers_of_the_level_act(api):
    client = await api()
    case = await report(await client.signed_in("resident_xinhong"))
    community = await client.signed_in("xinhong_worker")
    error = await community.error(
        ACT, {"i": {"caseId": case["id"], "version": case["version"], "action": "ACCEPT"}}
    )
    assert error["extensions"]["code"] == "FORBIDDEN"
    nanshan = await client.signed_in("nanshan_admin")
    hidden = await nanshan.error(
        ACT, {"i": {"caseId": case["id"], "version": case["version"], "action": "ACCEPT"}}
    )
    assert hidden["extensions"]["code"] == "NOT_FOUND", (
        "another district's case does not exist for them"
    )
    admin = await client.signed_in("gongnong_admin")
    assert (await act(admin, case, "ACCEPT"))["status"] == "ACCEPTED", "oversight acts at any level"


async def test_fifty_concurrent_stale_updates_give_one_success(api):
    client = await api()
    case = await report(await client.signed_in("resident_xinhong"))
    worker = await client.signed_in("xinhong_grid1")
    variables = {"i": {"caseId": case["id"], "version": case["version"], "action": "ACCEPT"}}
    bodies = await asyncio.gather(*(worker.post(ACT, variables) for _ in range(50)))
    codes = sorted(
        b["errors"][0]["extensions"]["code"] if b.get("errors") else "OK" for b in bodies
    )
    assert codes.count("OK") == 1 and codes.count("CONFLICT") == 49
    node = (await worker.data(TIMELINE, {"id": case["id"]}))["node"]
    assert [s["action"] for s in node["timeline"]] == ["REPORT", "ACCEPT"], "nothing else written"


async def test_reporting_needs_a_known_category_and_a_place(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    unknown = await resident.error(REPORT, {"i": {"title": "x", "category": "ufo"}})
    assert (
        unknown["extensions"]["code"] == "BAD_USER_INPUT"
        and "heating" in unknown["extensions"]["known"]
    )
    nowhere = await resident.error(REPORT, {"i": {"title": "x", "category": "heating"}})
    assert nowhere["extensions"] == {"code": "BAD_USER_INPUT", "argument": "place"}
    patrol = await resident.error(
        REPORT,
        {
            "i": {
                "title": "x",
                "category": "heating",
                "source": "GRID_PATROL",
                "compoundId": gid("Compound", (await xinhong_compound()).id),
            }
        },
    )
    assert patrol["extensions"]["code"] == "FORBIDDEN"


async def test_a_point_lands_in_the_grid_that_contains_it(api):
    from shapely.geometry import shape

    client = await api()
    grid = await Grid.get(code="xinhong-g1")
    centre = shape(grid.boundary).centroid
    resident = await client.signed_in("resident_xinhong")
    case = await resident.data(
        "mutation($i: ReportCaseInput!) { reportCase(input: $i) { grid { code } } }",
        {
            "i": {
                "title": "井盖缺失",
                "category": "road_damage",
                "source": "SNAPSHOT",
                "lon": centre.x,
                "lat": centre.y,
            }
        },
    )
    assert case["reportCase"]["grid"]["code"] == "xinhong-g1"


async def test_anonymous_reporters_are_hidden_from_handlers_but_not_admins(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    compound = await xinhong_compound()
    case = (
        await resident.data(
            "mutation($i: ReportCaseInput!) { reportCase(input: $i) { id reporter { name } } }",
            {
                "i": {
                    "title": "噪音",
                    "category": "neighbour_dispute",
                    "anonymous": True,
                    "compoundId": gid("Compound", compound.id),
                }
            },
        )
    )["reportCase"]
    assert case["reporter"] is not None, "the reporter sees themself"
    query = "query($id: ID!) { node(id: $id) { ... on Case { reporter { name } } } }"
    worker = await client.signed_in("xinhong_grid1")
    assert (await worker.data(query, {"id": case["id"]}))["node"]["reporter"] is None
    admin = await client.signed_in("gongnong_admin")
    assert (await admin.data(query, {"id": case["id"]}))["node"]["reporter"] is not None
    account = await Account.get(username="resident_xinhong")
    assert account.person_id


REASSIGN = """mutation($c: ID!, $v: Int!, $w: ID!) { reassignCase(caseId: $c, version: $v, workerId: $w, note: "换人") {
  version assigneeName timeline { action note } } }"""


async def test_a_community_worker_reassigns_within_the_community(api):
    from core.people.models import Person

    client = await api()
    case = await report(await client.signed_in("resident_xinhong"))
    gongnong = await District.get(code="gongnong")
    other_grid = await Grid.get(district_id=gongnong.id, code="xinhong-g2")
    colleague = await Person.create(name="新网格员")
    await make_grid_worker(colleague.id, other_grid)
    community = await client.signed_in("xinhong_worker")
    moved = await community.data(
        REASSIGN, {"c": case["id"], "v": case["version"], "w": gid("Person", colleague.id)}
    )
    assert moved["reassignCase"]["assigneeName"] == "新网格员"
    assert moved["reassignCase"]["timeline"][-1] == {"action": "REASSIGN", "note": "换人"}
    stale = await community.error(
        REASSIGN, {"c": case["id"], "v": case["version"], "w": gid("Person", colleague.id)}
    )
    assert stale["extensions"]["code"] == "CONFLICT"
    grid_worker = await client.signed_in("xinhong_grid1")
    refused = await grid_worker.error(
        REASSIGN,
        {"c": case["id"], "v": moved["reassignCase"]["version"], "w": gid("Person", colleague.id)},
    )
    assert refused["extensions"]["code"] == "FORBIDDEN"
    resident = await Person.filter(home_district_id=gongnong.id).first()
    not_a_worker = await community.error(
        REASSIGN,
        {"c": case["id"], "v": moved["reassignCase"]["version"], "w": gid("Person", resident.id)},
    )
    assert not_a_worker["extensions"] == {"code": "BAD_USER_INPUT", "argument": "workerId"}
