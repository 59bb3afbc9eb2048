"""What a request loaded is freed when it ends, by reference counting alone: a serving process
collects cycles rarely (schema/gc_tuning.py), and rows kept alive by a cycle until then grew a
server past 400 MB under a load of large reads."""

from __future__ import annotations

import gc

import pytest

from schema.cases.types import Case
from schema.context import Context
from schema.planner.executor import PlanningExecutor
from schema.regions.types import Grid
from tests.cases.test_ladder_api import report
from tests.support.configs import with_performance

NESTED = """{ districts { code grids(first: 5) { edges { node { code
    cases(first: 3) { totalCount edges { node { id title } } } } } } } }"""
BATCH = [{"query": NESTED}, {"query": "{ cases(first: 5) { edges { node { id status } } } }"}]


def alive(*types: type) -> int:
    return sum(1 for o in gc.get_objects() if type(o) in types)


@pytest.mark.parametrize(
    "performance",
    [{}, {"planned_reads": False, "lean_queries": False}],
    ids=["planned and lean", "resolvers and the full pipeline"],
)
async def test_a_read_leaves_nothing_behind_for_the_collector(api, performance):
    client = await api(with_performance(**performance))
    resident = await client.signed_in("resident_xinhong")
    await report(resident, title="楼道灯坏了")
    admin = await client.signed_in("city_admin")
    await admin.data(NESTED)  # warm: schema caches, compiled builders
    gc.collect()
    gc.disable()
    try:
        before = alive(Case, Grid)
        assert (await admin.data(NESTED))["districts"]
        response = await admin.client.post(
            "/graphql", json=BATCH, headers={"Authorization": f"Bearer {admin.token}"}
        )
        assert all("errors" not in item for item in response.json())
        assert alive(Case, Grid) == before, "cases or grids outlived their request"
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "performance",
    [{}, {"planned_reads": False, "lean_queries": False}],
    ids=["planned and lean", "resolvers and the full pipeline"],
)
async def test_a_requests_executor_and_context_go_when_it_ends(api, performance):
    """graphql-core's executor held its own bound methods (for resolvers' async helpers): a
    cycle that kept every request's executor, context, request and response for the
    collector, whose young collections then took 130-150 ms each under load."""
    client = await api(with_performance(**performance))
    admin = await client.signed_in("city_admin")
    await admin.data(NESTED)
    gc.collect()
    gc.disable()
    try:
        before = alive(PlanningExecutor, Context)
        for _ in range(3):
            assert (await admin.data(NESTED))["districts"]
        assert alive(PlanningExecutor, Context) == before, "a request outlived its end"
    finally:
        gc.enable()
