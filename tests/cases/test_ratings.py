"""The reporter's rating: one that closes a case leaves its deadline alone, so a late resolution
stays late in the figures; one that reopens it starts a new deadline, and a case whose category
names no departments is reopened at its community rather than refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from core.cases.models import Case
from core.regions.models import Grid
from tests.cases.test_ladder_api import act, gid, report

CASE = """query($id: ID!) { node(id: $id) { ... on Case { level status dueAt resolvedAt overdue
  rating departments { department { code } } timeline { action toLevel toStatus } } } }"""
METRICS = """query($place: ID, $from: DateTime!, $to: DateTime!) {
  caseMetrics(placeId: $place, from: $from, to: $to) { resolved onTimeRate } }"""


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def miss_the_deadline(case: dict) -> datetime:
    """The case's deadline passes while it is being worked on."""
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    await Case.filter(id=int(GlobalID.from_id(case["id"]).node_id)).update(due_at=past)
    return past


async def test_a_good_rating_keeps_a_late_resolution_late(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_grid1")
    case = await report(resident, title="楼道灯坏了")
    case = await act(worker, case, "ACCEPT")
    case = await act(worker, case, "START")
    deadline = await miss_the_deadline(case)
    case = await act(worker, case, "RESOLVE")
    case = await act(resident, case, "RATE", rating=5)
    assert (case["level"], case["status"]) == ("GRID", "CLOSED")

    node = (await worker.data(CASE, {"id": case["id"]}))["node"]
    assert node["rating"] == 5 and node["overdue"] is False, "closed cases are not overdue"
    assert when(node["dueAt"]) == deadline, "the rating did not move the deadline"
    resolved_at = when(node["resolvedAt"])
    assert resolved_at > deadline

    city = await client.signed_in("city_admin")
    grid = await Grid.get(code="xinhong-g1")
    figures = (
        await city.data(
            METRICS,
            {
                "place": gid("Grid", grid.id),
                "from": resolved_at.isoformat(),
                "to": (resolved_at + timedelta(seconds=1)).isoformat(),
            },
        )
    )["caseMetrics"]
    assert figures["onTimeRate"] == 0.0, "resolved after its deadline: late, however rated"


async def test_a_low_rating_reopens_with_a_new_deadline(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    worker = await client.signed_in("xinhong_grid1")
    case = await report(resident, title="垃圾桶满了")
    case = await act(worker, case, "ACCEPT")
    case = await act(worker, case, "START")
    deadline = await miss_the_deadline(case)
    case = await act(worker, case, "RESOLVE")
    case = await act(resident, case, "RATE", rating=1)
    assert (case["level"], case["status"]) == ("COMMUNITY", "REOPENED")

    node = (await worker.data(CASE, {"id": case["id"]}))["node"]
    assert when(node["dueAt"]) > datetime.now(UTC) > deadline, "a new deadline at COMMUNITY"
    assert node["overdue"] is False


async def test_a_low_rating_without_departments_reopens_at_the_community(api):
    """Neighbour disputes name no departments: the reporter cannot route the case to any, so a
    low rating reopens it where it was resolved, and the community escalates it naming them."""
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    community = await client.signed_in("xinhong_worker")
    case = await report(resident, title="楼上漏水不管", category="neighbour_dispute")
    case = await act(grid_worker, case, "ACCEPT")
    case = await act(grid_worker, case, "ESCALATE")
    case = await act(community, case, "ACCEPT")
    case = await act(community, case, "START")
    deadline = await miss_the_deadline(case)
    case = await act(community, case, "RESOLVE")

    case = await act(resident, case, "RATE", rating=2)
    assert (case["level"], case["status"]) == ("COMMUNITY", "REOPENED")
    assert case["departments"] == []
    assert case["allowedActions"] == [], "the reporter does not handle the case"
    node = (await community.data(CASE, {"id": case["id"]}))["node"]
    assert node["timeline"][-1] == {
        "action": "RATE",
        "toLevel": "COMMUNITY",
        "toStatus": "REOPENED",
    }
    assert node["rating"] == 2
    assert when(node["dueAt"]) > datetime.now(UTC) > deadline, "a new deadline to handle it again"
    assert node["overdue"] is False

    unnamed = await community.error(
        "mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { id } }",
        {"i": {"caseId": case["id"], "version": case["version"], "action": "ESCALATE"}},
    )
    assert unnamed["extensions"] == {"code": "BAD_USER_INPUT", "argument": "departments"}
    case = await act(community, case, "ESCALATE", departments=["chengguan"])
    assert (case["level"], case["status"]) == ("DEPARTMENT", "REPORTED")
    assert case["departments"] == [{"lead": True, "department": {"code": "chengguan"}}]


async def test_a_reporter_rating_low_cannot_choose_the_departments(api):
    """A low rating at COMMUNITY reopens the case at DEPARTMENT with its category's departments,
    whatever departments the reporter sends with the rating."""
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    community = await client.signed_in("xinhong_worker")
    case = await report(resident, title="小区路灯不亮")
    case = await act(grid_worker, case, "ACCEPT")
    case = await act(grid_worker, case, "ESCALATE")
    case = await act(community, case, "ACCEPT")
    case = await act(community, case, "START")
    case = await act(community, case, "RESOLVE")
    case = await act(resident, case, "RATE", rating=1, departments=["chengguan"])
    assert (case["level"], case["status"]) == ("DEPARTMENT", "REOPENED")
    # report() files under property_management, whose department is 住建局 (zhujian).
    assert [d["department"]["code"] for d in case["departments"]] == ["zhujian"]
