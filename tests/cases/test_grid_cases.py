"""``Grid.cases``: the way down the region tree to each grid's cases, scoped and batched."""

from __future__ import annotations

from strawberry.relay import GlobalID

from core.cases.models import Case
from core.db.statements import count_statements
from core.regions.models import District, Grid
from tests.cases.test_ladder_api import report

TREE = """query($grids: Int!, $cases: Int!) { district(code: "gongnong") {
  communities(first: 10) { edges { node { name
    grids(first: $grids) { edges { node { id code
      cases(first: $cases) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id title status } } } } } } } } } } }"""
ONE_GRID = """query($id: ID!, $first: Int!, $after: String, $status: CaseStatus) {
  node(id: $id) { ... on Grid { cases(first: $first, after: $after, status: $status) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } } } }"""


async def some_cases(api, n: int = 4) -> None:
    resident = await (await api()).signed_in("resident_xinhong")
    for i in range(n):
        await report(resident, title=f"楼道灯不亮 {i}")


def grid_nodes(data: dict) -> list[dict]:
    return [
        g["node"]
        for c in data["district"]["communities"]["edges"]
        for g in c["node"]["grids"]["edges"]
    ]


def key(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


async def test_a_district_admin_sees_each_grids_newest_cases(api):
    await some_cases(api)
    admin = await (await api()).signed_in("gongnong_admin")
    data = await admin.data(TREE, {"grids": 5, "cases": 3})
    grids = grid_nodes(data)
    assert grids, "the demo has grids in 工农区"
    seen_any = False
    for grid in grids:
        expected = (
            await Case.filter(grid_id=key(grid["id"])).order_by("-id").values_list("id", flat=True)
        )
        got = grid["cases"]
        assert [key(e["node"]["id"]) for e in got["edges"]] == expected[:3]
        assert got["totalCount"] == len(expected)
        assert got["pageInfo"]["hasNextPage"] == (len(expected) > 3)
        seen_any = seen_any or bool(expected)
    assert seen_any, "the demo has cases in some of these grids"


async def test_the_statements_do_not_grow_with_the_number_of_grids(api):
    await some_cases(api)
    admin = await (await api()).signed_in("gongnong_admin")
    counts = []
    for grids in (1, 5):
        with count_statements() as log:
            await admin.data(TREE, {"grids": grids, "cases": 3})
        counts.append(log.count)
    assert counts[0] == counts[1]


async def test_a_grid_worker_sees_only_the_cases_of_their_own_grid(api):
    await some_cases(api)
    worker = await (await api()).signed_in("xinhong_grid1")
    data = await worker.data(TREE, {"grids": 10, "cases": 20})
    own = await Grid.get(code="xinhong-g1", district_id=(await District.get(code="gongnong")).id)
    for grid in grid_nodes(data):
        cases = grid["cases"]
        if key(grid["id"]) == own.id:
            assert cases["totalCount"] == await Case.filter(grid_id=own.id).count() > 0
        else:
            # Grids are public, their cases are not: nothing, and a total that says so.
            assert cases == {
                "totalCount": 0,
                "pageInfo": {"hasNextPage": False, "endCursor": None},
                "edges": [],
            }


async def test_pages_follow_each_other_and_the_status_filters(api):
    await some_cases(api)
    admin = await (await api()).signed_in("gongnong_admin")
    own = await Grid.get(code="xinhong-g1", district_id=(await District.get(code="gongnong")).id)
    grid_id = str(GlobalID("Grid", str(own.id)))
    ids: list[int] = []
    after = None
    while True:
        data = await admin.data(ONE_GRID, {"id": grid_id, "first": 2, "after": after})
        page = data["node"]["cases"]
        ids += [key(e["node"]["id"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert ids == await Case.filter(grid_id=own.id).order_by("-id").values_list("id", flat=True)

    assert len(ids) >= 4
    status = (await Case.filter(grid_id=own.id).first()).status
    data = await admin.data(ONE_GRID, {"id": grid_id, "first": 100, "status": status})
    chosen = data["node"]["cases"]
    assert chosen["edges"] and {e["node"]["status"] for e in chosen["edges"]} == {status}
    assert chosen["totalCount"] == await Case.filter(grid_id=own.id, status=status).count()


async def test_a_page_too_large_is_refused_with_a_code(api):
    admin = await (await api()).signed_in("gongnong_admin")
    own = await Grid.first()
    error = await admin.error(ONE_GRID, {"id": str(GlobalID("Grid", str(own.id))), "first": 101})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
