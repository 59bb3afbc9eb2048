"""Generated documents on the planned read path against the resolver path (issue 12, item 5).

hypothesis-graphql writes queries over the part of the schema the planner serves (``districts``,
``district``, ``cases`` and the districts, streets, communities, grids, compounds, cases and
connections below them), with ``first`` in ``[0, 100]``, cursors, district codes and category
codes taken from the seeded data. Each document goes, as several roles, to an app with the
planner on and one with it off; the two responses must be byte-identical (status, data and
errors). Most documents select only fields the planner knows; one in four may also select a few
it does not, so that the fallback decision is fuzzed too. The planner must have completed root
fields for a good share of the documents, or the comparison proves nothing.

The default run is short, for CI. ``HEMEI_FUZZ_EXAMPLES=N`` sets the documents per role (default
25); ``HEMEI_FUZZ_SEED`` another seed (default 721), as in ``tests/fuzz``:

    HEMEI_FUZZ_EXAMPLES=1000 python -m pytest -q tests/planner/test_differential_fuzz.py

``HEMEI_FUZZ_SHOW=1`` (with ``-s``) prints each document, whether it was planned, and the start
of its response: to see what the generator reaches.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import sys
from dataclasses import replace
from typing import Any

import graphql
import pytest
from hypothesis import strategies as st
from hypothesis_graphql import queries

from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from schema.planner.complete import plan_of
from schema.planner.executor import PlanningExecutor
from tests.cases.test_ladder_api import act, report
from tests.fuzz.test_fuzz_api import EXAMPLES, SEED, draw, scalars, seeded_ids
from tests.planner.test_differential import REFERENCE_CONFIG

ROLES = ("city_admin", "gongnong_admin", "xinhong_grid1", "resident_xinhong", None)
ROOTS = ("districts", "district", "cases")
REGION_TYPES = ("District", "Street", "Community", "Grid", "Compound", "Case")
# Fields of those types the planner hands back to graphql-core (their own resolvers, access
# logic): in the mixed documents, so that choosing between the paths is fuzzed as well.
UNPLANNED = {
    "District": ("modules",),
    "Street": ("modules",),
    "Community": ("modules",),
    "Case": ("category", "assigneeName", "overdue", "allowedActions", "possibleDuplicates"),
}
ESCAPED = -1  # the status recorded when the app raised instead of answering
SEEDED = """{
  districts { code
    streets(first: 3) { edges { cursor } }
    communities(first: 5) { edges { cursor node { grids(first: 3) { edges { cursor } }
      compounds(first: 3) { edges { cursor } } } } } }
  cases(first: 30) { edges { cursor node { id } } }
  caseCategories { code }
}"""


@pytest.fixture(scope="module")
def composed(kernel_plugin: str) -> graphql.GraphQLSchema:
    from tests.conftest import ALL_TEST_PLUGINS

    return build_schema(build_plugin_host(ALL_TEST_PLUGINS)).schema._schema


def region_part(composed: graphql.GraphQLSchema, unplanned: bool) -> graphql.GraphQLSchema:
    """The composed schema with only the planner's root fields, and on the region types only
    the fields the planner plans (``unplanned``: and the :data:`UNPLANNED` ones). Asked of the
    planner itself, so that the fuzzed part follows what it learns to plan."""

    def kept(node: graphql.DefinitionNode) -> graphql.DefinitionNode:
        if not isinstance(node, graphql.ObjectTypeDefinitionNode):
            return node
        name = node.name.value
        type_ = composed.type_map[name]
        assert isinstance(type_, graphql.GraphQLObjectType)
        if name == "Query":
            fields = tuple(f for f in node.fields or () if f.name.value in ROOTS)
        elif name in REGION_TYPES or name.endswith(("Connection", "Edge")):
            extra = UNPLANNED.get(name, ()) if unplanned else ()
            fields = tuple(
                f
                for f in node.fields or ()
                if plan_of(type_, f.name.value) is not None or f.name.value in extra
            )
        else:
            return node
        return replace(node, fields=fields)

    document = graphql.parse(graphql.print_schema(composed))
    document = replace(document, definitions=tuple(kept(d) for d in document.definitions))
    return graphql.build_ast_schema(document)


class Bounded(graphql.Visitor):
    """Arguments the generator cannot know: small pages (a few up to 100, so that documents
    stay under the cost limit and still reach deep), real cursors and codes, mostly."""

    def __init__(self, rng: random.Random, seeded: dict[str, list[str]]) -> None:
        super().__init__()
        self.rng = rng
        self.seeded = seeded

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> graphql.ArgumentNode | None:
        rng = self.rng
        value: graphql.ValueNode
        match node.name.value:
            case "first":
                low, high = rng.choice(((0, 0), *[(1, 3)] * 12, *[(4, 10)] * 5, (11, 100)))
                value = graphql.IntValueNode(value=str(rng.randint(low, high)))
            case "radiusMeters":
                value = graphql.IntValueNode(value=str(rng.randint(0, 2000)))
            case "status" | "level" if rng.random() < 0.6:
                # Every filter set at once mostly matches nothing: leave most of them out.
                value = graphql.NullValueNode()
            case "after":
                pick = rng.random()
                if pick < 0.4:
                    value = graphql.NullValueNode()
                elif pick < 0.5:
                    value = graphql.StringValueNode(value=rng.choice(("nope", "", "Y3Vyc29yOi0x")))
                else:
                    value = graphql.StringValueNode(value=rng.choice(self.seeded["cursors"]))
            case "category" if rng.random() < 0.6:
                value = graphql.NullValueNode()
            case "code" | "category" as name:
                known = self.seeded["codes" if name == "code" else "categories"]
                choice = rng.choice(known) if rng.random() < 0.9 else "nowhere"
                value = graphql.StringValueNode(value=choice)
            case _:
                return None
        return graphql.ArgumentNode(name=node.name, value=value)


def documents(
    composed: graphql.GraphQLSchema, seeded: dict[str, list[str]], ids: list[str]
) -> st.SearchStrategy[str]:
    custom = scalars(ids)

    def generated(unplanned: bool) -> st.SearchStrategy[Any]:
        part = region_part(composed, unplanned)
        return queries(part, custom_scalars=custom, print_ast=lambda document: document)

    def bounded(pair: tuple[graphql.DocumentNode, random.Random]) -> str:
        document, rng = pair
        return graphql.print_ast(graphql.visit(document, Bounded(rng, seeded)))

    planned, mixed = generated(False), generated(True)
    return st.tuples(
        st.integers(0, 3).flatmap(lambda i: mixed if i == 0 else planned),
        st.randoms(use_true_random=False),
    ).map(bounded)


async def seed_cases(app: Any) -> None:
    """Cases at more than one status and level, for the filters and the scopes to tell apart."""
    resident = await app.signed_in("resident_xinhong")
    grid_worker = await app.signed_in("xinhong_grid1")
    reported = [await report(resident, title=f"路灯不亮 {i}") for i in range(4)]
    accepted = await act(grid_worker, reported[0], "ACCEPT")
    await act(grid_worker, reported[1], "ACCEPT")
    await act(grid_worker, accepted, "ESCALATE")


async def answer(client: Any, document: str, found: list[str], label: str) -> tuple[int, bytes]:
    """:func:`send`, noting in ``found`` any coroutine the app started and dropped (which pytest
    would only report at the end of the test, without its document)."""
    caught: list[str] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda u: caught.append(f"{u.exc_type.__name__}: {u.exc_value}")
    try:
        outcome = await send(client, document)
        if outcome[0] != 200 or b'"errors"' in outcome[1]:
            gc.collect()  # what an error path drops sits in cycles (its tracebacks)
    finally:
        sys.unraisablehook = previous
    found += [f"{label}\n  {message}" for message in caught]
    return outcome


async def send(client: Any, document: str) -> tuple[int, bytes]:
    """Status and body; an exception that escapes the app is an outcome too (and a bug)."""
    headers = {"Authorization": f"Bearer {client.token}"} if client.token else {}
    try:
        response = await client.client.post("/graphql", json={"query": document}, headers=headers)
    except (Exception, asyncio.CancelledError) as error:
        return ESCAPED, f"{type(error).__name__}: {error}".encode()
    return response.status_code, response.content


async def test_generated_queries_answer_alike_planned_or_not(api, composed, capsys):
    planned_app = await api()
    reference_app = await api(REFERENCE_CONFIG)
    await seed_cases(planned_app)
    found = await (await planned_app.signed_in("city_admin")).data(SEEDED)
    seeded = {
        "codes": [d["code"] for d in found["districts"]],
        "categories": [c["code"] for c in found["caseCategories"]],
        "cursors": sorted(set(edge_cursors(found))),
    }
    assert len(seeded["cursors"]) > 20 and len(seeded["codes"]) >= 4
    strategy = documents(composed, seeded, seeded_ids(found))

    differences: list[str] = []
    crashes: list[str] = []
    sent = planned_documents = refused = 0
    for index, role in enumerate(ROLES):
        planned, reference = planned_app, reference_app
        if role is not None:
            planned, reference = await planned.signed_in(role), await reference.signed_in(role)
        for document in draw(strategy, EXAMPLES, SEED + 200 + index):
            before = PlanningExecutor.planned_fields
            label = f"as {role or 'anonymous'}:\n  {document}"
            got = await answer(planned, document, crashes, f"planned, {label}")
            ran = PlanningExecutor.planned_fields - before
            expected = await answer(reference, document, crashes, f"reference, {label}")
            assert PlanningExecutor.planned_fields == before + ran, "the reference path planned"
            sent += 1
            planned_documents += ran > 0
            refused += b'"errors"' in expected[1]
            if os.environ.get("HEMEI_FUZZ_SHOW"):
                print(role, ran, document.replace("\n", " "), expected[1][:300])
            if ESCAPED in (got[0], expected[0]):
                crashes.append(f"{label}\n  {got}\n  {expected}")
            if got != expected:
                differences.append(f"{label}\n  planned:   {got!r}\n  reference: {expected!r}")
    share = planned_documents / sent
    with capsys.disabled():
        print(
            f"\nplanner differential: {sent} documents as {len(ROLES)} roles, "
            f"{planned_documents} ({share:.0%}) planned, {refused} with errors, "
            f"{len(differences)} differences, {len(crashes)} exceptions out of the app"
        )
    assert sent == EXAMPLES * len(ROLES)
    assert not differences, "\n".join(differences[:5])
    assert not crashes, "\n".join(crashes[:5])
    assert share > 0.3, "too few generated documents ran through the planner to compare"


def edge_cursors(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == "cursor"] + [
            c for k, v in data.items() if k != "cursor" for c in edge_cursors(v)
        ]
    if isinstance(data, list):
        return [c for item in data for c in edge_cursors(item)]
    return []
