"""A case's departments are read only for a viewer whose grants reach cases through them.

Department officers see the cases routed to their department (and act on them); everyone else
is decided by the case's place or reporter, so reading the departments of every case they load
was a statement spent for nothing.
"""

from __future__ import annotations

from core.db.statements import count_statements
from tests.cases.test_ladder_api import act, report

BY_ID = """query($id: ID!) { node(id: $id) { ... on Case { id level allowedActions } } }"""
LIST = """{ cases(first: 100) { edges { node { id level allowedActions } } } }"""


async def case_at_zhujian(client) -> dict:
    """A case the community sent up to the 住建局 (zhujian) department."""
    resident = await client.signed_in("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    community = await client.signed_in("xinhong_worker")
    case = await report(resident, title="外墙脱落")
    case = await act(grid_worker, case, "ACCEPT")
    case = await act(grid_worker, case, "ESCALATE")
    case = await act(community, case, "ACCEPT")
    return await act(community, case, "ESCALATE", departments=["zhujian"])


async def test_an_officer_sees_and_acts_on_the_cases_of_their_department(api):
    client = await api()
    routed = await case_at_zhujian(client)
    elsewhere = await report(await client.signed_in("resident_xinhong"), title="路灯不亮")
    officer = await client.signed_in("zhujian_officer")

    found = (await officer.data(BY_ID, {"id": routed["id"]}))["node"]
    assert found == {
        "id": routed["id"],
        "level": "DEPARTMENT",
        "allowedActions": found["allowedActions"],
    }
    assert "ACCEPT" in found["allowedActions"]
    assert (await officer.data(BY_ID, {"id": elsewhere["id"]}))["node"] is None

    listed = {e["node"]["id"]: e["node"] for e in (await officer.data(LIST))["cases"]["edges"]}
    assert routed["id"] in listed and elsewhere["id"] not in listed
    assert "ACCEPT" in listed[routed["id"]]["allowedActions"]


async def test_only_a_department_grant_costs_the_departments_statement(api):
    client = await api()
    routed = await case_at_zhujian(client)
    admin = await client.signed_in("city_admin")
    officer = await client.signed_in("zhujian_officer")

    counts = {}
    for name, viewer in (("admin", admin), ("officer", officer)):
        await viewer.data(BY_ID, {"id": routed["id"]})  # the token is checked once
        with count_statements() as log:
            node = (await viewer.data(BY_ID, {"id": routed["id"]}))["node"]
        assert node["id"] == routed["id"]
        counts[name] = log.count
    # The admin's read: the viewer and the case; the officer's also the case's departments.
    assert counts["officer"] == counts["admin"] + 1
