"""The planned read path against the resolver path: the same documents, as several roles, must
give byte-identical responses (data and errors), and the planner must really have run."""

from __future__ import annotations

import gc
import json
import sys

import pytest
from tortoise import connections

from core.cases.models import Case
from core.db.statements import count_statements
from schema.ids import global_id
from schema.planner.executor import PlanningExecutor
from schema.relay import encode_cursor
from tests.cases.test_ladder_api import report
from tests.support.configs import with_performance

# The reference: field-by-field resolution through the full strawberry pipeline.
REFERENCE_CONFIG = with_performance(planned_reads=False, lean_queries=False)
ROLES = ("city_admin", "gongnong_admin", "xinhong_grid1", "resident_xinhong", None)

PLANNED = {
    "nested": """{ districts { __typename id code name
        communities(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor
          endCursor } edges { cursor node { id name centreLon centreLat
          grids(first: 2) { totalCount edges { node { id code name boundary
            cases(first: 3) { totalCount pageInfo { hasNextPage endCursor }
              edges { cursor node { id title status level createdAt dueAt rating
                closedWithoutRating version grid { code } compound { name } } } } } } } } } } } }""",
    "fragments and aliases": """query($n: Int!, $skip: Boolean!) { district(code: "gongnong") {
        ...D a: streets(first: $n) { edges { node { code district { code } } } }
        b: streets(first: 1) @skip(if: $skip) { totalCount } } }
      fragment D on District { name grids(first: $n) { edges { node { ... on Grid { code
        community { name street { name } district { code } } } } } } }""",
    "root cases": """{ cases(first: 5) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id title status grid { name community { name } } } } } }""",
    "one district": """{ district(code: "nanshan") { code compounds: communities(first: 2) {
        edges { node { compounds(first: 2) { edges { node { id name hasPropertyManagement
          propertyCompany grid { code } community { code } } } } } } } } }""",
    "every field of a level skipped": """{ districts { code @skip(if: true)
        communities(first: 1) @include(if: false) { totalCount } } }""",
    "a grid reached from each of its cases": """{ cases(first: 6) { edges { node { id
        grid { code cases(first: 20) { pageInfo { hasNextPage } edges { cursor node { id } } } }
        } } } }""",
    "pages after a cursor": """{ district(code: "gongnong") { grids(first: 3, after: "AFTER_0")
        { edges { node { code cases(first: 2, after: "AFTER_MAX") { pageInfo { hasNextPage }
          edges { cursor node { id } } } } } } } }""".replace("AFTER_0", encode_cursor(0)).replace(
        "AFTER_MAX", encode_cursor(10**9)
    ),
    "a grid's cases by status": """{ district(code: "gongnong") { grids(first: 3) { edges {
        node { code cases(first: 2, status: SUBMITTED) { totalCount edges { node { status
          } } } } } } } }""",
}
FALLBACK = {
    # Fields the planner does not know (module switches, anything with its own resolver):
    # the whole root field goes back to graphql-core, with the same answer.
    "modules": """{ districts { code modules { name enabled } communities(first: 2) {
        edges { node { name } } } } }""",
    "a page too large": """{ district(code: "gongnong") { grids(first: 101) { totalCount } } }""",
    "a bad cursor": """{ district(code: "gongnong") { grids(first: 2, after: "nope") {
        totalCount } } }""",
    # A root list read as rows for the planner, handed back below it: graphql-core gets the
    # objects built from those rows, cursors and all.
    "a root list handed back": """{ cases(first: 4) { pageInfo { endCursor } edges { cursor
        node { id title grid { code cases(first: 1, after: "nope") { totalCount } } } } } }""",
}


async def clients(api, role: str | None):
    planned = await api()
    reference = await api(REFERENCE_CONFIG)
    if role is None:
        return planned, reference
    return await planned.signed_in(role), await reference.signed_in(role)


@pytest.fixture
async def some_cases(api):
    resident = await (await api()).signed_in("resident_xinhong")
    for i in range(3):
        await report(resident, title=f"单元门坏了 {i}")


def body_text(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=False)


@pytest.mark.parametrize("role", ROLES)
async def test_planned_answers_equal_the_resolver_path(api, some_cases, role):
    planned, reference = await clients(api, role)
    for name, document in {**PLANNED, **FALLBACK}.items():
        variables = {"n": 2, "skip": False} if "$n" in document else None
        before = PlanningExecutor.planned_fields
        got = await planned.post(document, variables)
        expected = await reference.post(document, variables)
        assert body_text(got) == body_text(expected), name
        ran = PlanningExecutor.planned_fields - before
        if name in FALLBACK:
            assert ran == 0, f"{name}: the planner must have handed it back"
        elif not got.get("errors"):
            assert ran >= 1, f"{name}: the planner did not run"


SWITCHED = """query($modules: Boolean!) { districts { code
    modules @include(if: $modules) { name enabled } } }"""


async def test_whether_a_selection_is_planned_follows_its_directive_variables(api, some_cases):
    # One document, asked again and again: the planner remembers its answer per selection,
    # and the fields a selection has depend on the variables of @include and @skip.
    planned, reference = await clients(api, "city_admin")
    for modules in (True, False, True, False):
        before = PlanningExecutor.planned_fields
        got = await planned.post(SWITCHED, {"modules": modules})
        assert body_text(got) == body_text(await reference.post(SWITCHED, {"modules": modules}))
        assert all(("modules" in d) == modules for d in got["data"]["districts"])
        ran = PlanningExecutor.planned_fields - before
        assert ran == (0 if modules else 1), f"modules={modules}: planned {ran} root fields"


NODE = """query($id: ID!) { node(id: $id) { __typename id ... on Case { title status createdAt
    grid { code community { name } } } ... on Grid { code name } } }"""


@pytest.mark.parametrize("role", ROLES)
async def test_a_node_by_id_is_planned_as_the_type_it_resolves_to(api, some_cases, role):
    planned, reference = await clients(api, role)
    case = await Case.all().order_by("-id").first()
    ids = {
        "a case": global_id("Case", case.id),
        "a grid": global_id("Grid", case.grid_id),
        "a case's id as a grid's": global_id("Grid", case.id + 1_000_000),
        "not an id": "nope",
    }
    for name, id_ in ids.items():
        before = PlanningExecutor.planned_fields
        got = await planned.post(NODE, {"id": id_})
        assert body_text(got) == body_text(await reference.post(NODE, {"id": id_})), name
        if (got.get("data") or {}).get("node"):
            assert PlanningExecutor.planned_fields > before, f"{name}: the planner did not run"
    if role == "city_admin":
        seen = await planned.data(NODE, {"id": ids["a case"]})
        assert seen["node"]["__typename"] == "Case" and seen["node"]["grid"]["code"]


async def test_the_reference_path_never_plans(api, some_cases):
    _, reference = await clients(api, "city_admin")
    before = PlanningExecutor.planned_fields
    await reference.data(PLANNED["nested"])
    assert PlanningExecutor.planned_fields == before


LEAN = """{ district(code: "gongnong") { grids(first: 3) { edges { node { code
    cases(first: 2) { totalCount edges { cursor node { id title } } } } } } } }"""


def case_page_statement(statements: list[str]) -> str:
    # A window over the pages on SQLite; on PostgreSQL each parent's page through the index.
    [statement] = [
        s for s in statements if 'FROM "case"' in s and ("ROW_NUMBER" in s or "LATERAL" in s)
    ]
    if connections.get("default").capabilities.dialect == "postgres":
        assert "LATERAL" in statement, statement  # each grid's page through its index
    return statement.split("FROM (SELECT", 1)[1].split(' FROM "case"', 1)[0]  # inner columns


async def test_a_planned_page_reads_only_the_columns_its_selection_uses(api, some_cases):
    planned, reference = await clients(api, "gongnong_admin")
    for document, wanted, unwanted in (
        (LEAN, '"title"', '"description"'),
        (LEAN.replace("id title", "id title description"), '"description"', '"address"'),
    ):
        with count_statements() as log:
            got = await planned.post(document)
        assert not got.get("errors") and got == await reference.post(document)
        columns = case_page_statement(log.statements)
        assert wanted in columns and unwanted not in columns, columns


ROOT_PAGE = """{ cases(first: 5) { edges { cursor node { id title grid { code } } } } }"""


@pytest.mark.parametrize("role", ["gongnong_admin", "resident_xinhong"])
async def test_a_planned_root_list_reads_only_the_columns_its_selection_uses(api, some_cases, role):
    planned, reference = await clients(api, role)
    for document, wanted, unwanted in (
        (ROOT_PAGE, '"title"', '"description"'),
        (ROOT_PAGE.replace("id title", "id title description"), '"description"', '"address"'),
        # A field with its own resolver may read anything: every column, as without a plan.
        (ROOT_PAGE.replace("id title", "id title allowedActions"), '"address"', None),
    ):
        with count_statements() as log:
            got = await planned.post(document)
        assert not got.get("errors") and got == await reference.post(document)
        assert got["data"]["cases"]["edges"], "the viewer sees some cases"
        [statement] = [s for s in log.statements if 'FROM "case"' in s and "LIMIT" in s]
        columns = statement.split(' FROM "case"', 1)[0]
        assert wanted in columns and (unwanted is None or unwanted not in columns), columns


CANCELLED_SIBLINGS = """{ cases(first: 22) { edges { node { title lon createdAt
    grid { code community { code name street { name }
      compounds(first: 2, after: "nope") { edges { node { propertyCompany } } totalCount } } }
    compound { id code propertyCompany grid { name community { centreLat }
      compounds(first: 1) { totalCount }
      cases(first: 3, after: "nope") { edges { node { id status address resolvedAt } } } } } } } } }"""


async def test_a_non_null_error_cancelling_siblings_answers_an_error_not_a_crash(api, some_cases):
    """A bad cursor fails a non-null field; graphql-core then cancels the sibling fields of the
    list, which used to cancel the loader futures they shared with other fields: a CancelledError
    escaped the request (found by the differential fuzzer, on PostgreSQL)."""
    planned, reference = await clients(api, "resident_xinhong")
    dropped: list[str] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda u: dropped.append(str(u.exc_value))
    try:
        for client in (planned, reference):
            for _ in range(3):
                body = await client.post(CANCELLED_SIBLINGS)
                codes = {e["extensions"]["code"] for e in body["errors"]}
                assert codes == {"BAD_USER_INPUT"}, body["errors"]
        gc.collect()
    finally:
        sys.unraisablehook = previous
    # graphql-core drops the not yet started resolvers of the cancelled siblings (a warning
    # that they were never awaited: they never ran). Nothing else may be left behind.
    assert all(m.startswith("coroutine ") and m.endswith("was never awaited") for m in dropped)


TWO_NODES = """query($a: ID!, $b: ID!) { a: node(id: $a) { id ... on Case { title } }
    b: node(id: $b) { id ... on Case { title } } }"""


async def test_node_fields_asked_together_are_still_read_in_one_statement(api, some_cases):
    # A lone node field reads at once; two of them still share their loader's batch.
    planned, reference = await clients(api, "city_admin")
    first, second = await Case.all().order_by("-id").limit(2)
    ids = {"a": global_id("Case", first.id), "b": global_id("Case", second.id)}
    for document, variables, reads in (
        (TWO_NODES, ids, 1),
        (NODE, {"id": ids["a"]}, 1),
    ):
        with count_statements() as log:
            got = await planned.post(document, variables)
        assert body_text(got) == body_text(await reference.post(document, variables))
        case_reads = [
            s for s in log.statements if s.lstrip().startswith("SELECT") and 'FROM "case"' in s
        ]
        assert len(case_reads) == reads, case_reads
    assert got["data"]["node"]["title"] == first.title
