"""``node(id:)`` written whole by PostgreSQL (:mod:`schema.planner.written_node`): the response
bytes must be exactly the resolver path's, for every viewer, and anything the statement cannot
decide as the ``node`` resolver does must go graphql-core's way (on SQLite, everything does)."""

from __future__ import annotations

from typing import Any

import pytest

from core.cases.models import Case
from schema.builder import build_schema
from schema.ids import global_id
from schema.planner.written_node import WrittenNodes
from tests.planner.test_json_rows import REFERENCE_CONFIG, on_postgres

BY_ID = """query($id: ID!) { node(id: $id) { __typename id ... on Case { title status level
    createdAt dueAt rating closedWithoutRating version heading: title } } }"""
SEE_ALL = ("city_admin", "gongnong_admin", "xinhong_grid1", "resident_xinhong")
SEE_NONE = ("nanshan_admin", "resident_nanshan", None)
ROLES = (*SEE_ALL, *SEE_NONE, "zhujian_officer")  # a department's grant: a scope in SQL too


async def raw(client: Any, document: str, variables: dict[str, Any] | None = None) -> bytes:
    """The response's status and body."""
    headers = {"Authorization": f"Bearer {client.token}"} if client.token else {}
    response = await client.client.post(
        "/graphql", json={"query": document, "variables": variables}, headers=headers
    )
    return b"%d %s" % (response.status_code, response.content)


async def two_clients(api, role: str | None) -> tuple[Any, Any]:
    written, reference = await api(), await api(REFERENCE_CONFIG)
    if role is None:
        return written, reference
    return await written.signed_in(role), await reference.signed_in(role)


async def same_answer(
    written: Any, reference: Any, document: str, variables: Any, label: str = ""
) -> int:
    """Asks both; the bodies must be equal. Returns how many reads were written whole."""
    before = WrittenNodes.answered
    got = await raw(written, document, variables)
    assert got == await raw(reference, document, variables), label
    return WrittenNodes.answered - before


@pytest.mark.parametrize("role", ROLES)
async def test_a_case_by_id_is_written_by_the_database_exactly_as_hemei_would(
    api, tricky_cases, role
):
    written, reference = await two_clients(api, role)
    seen = 0
    for key in tricky_cases:  # quotes, control characters, emoji, every date-time form
        got = await raw(written, BY_ID, {"id": global_id("Case", key)})
        seen += b'"title"' in got
        assert await same_answer(written, reference, BY_ID, {"id": global_id("Case", key)}) == (
            1 if on_postgres() else 0
        )
    # Out of a viewer's scope is null, as if it did not exist.
    if role in SEE_ALL:
        assert seen == len(tricky_cases)
    if role in SEE_NONE:
        assert seen == 0


async def test_an_id_without_a_row_is_null_and_one_that_is_no_id_goes_graphql_cores_way(
    api, tricky_cases
):
    written, reference = await two_clients(api, "city_admin")
    missing = {"id": global_id("Case", 10**9)}
    assert await same_answer(written, reference, BY_ID, missing) == (1 if on_postgres() else 0)
    for not_an_id in ("nope", global_id("NoSuchType", 1), global_id("Case", "x")):
        assert await same_answer(written, reference, BY_ID, {"id": not_an_id}) == 0


async def test_an_alias_and_an_id_written_in_the_document(api, tricky_cases):
    written, reference = await two_clients(api, "city_admin")
    document = f'{{ it: node(id: "{global_id("Case", tricky_cases[2])}") {{ id ... on Case {{ title }} }} }}'
    assert await same_answer(written, reference, document, None) == (1 if on_postgres() else 0)
    assert b'200 {"data":{"it":{"id":' in await raw(written, document)


READ_BY_GRAPHQL_CORE = {
    "a relation": "query($id: ID!) { node(id: $id) { ... on Case { id grid { code } } } }",
    "a field with its own resolver": "query($id: ID!) { node(id: $id) { ... on Case { allowedActions } } }",
    "a float PostgreSQL prints otherwise": "query($id: ID!) { node(id: $id) { ... on Case { lon } } }",
    "a directive reading a variable": """query($id: ID!, $t: Boolean!) { node(id: $id) {
        ... on Case { id title @include(if: $t) } } }""",
    "two root fields": "query($id: ID!) { node(id: $id) { id } me { username } }",
    "nodes": "query($id: ID!) { nodes(ids: [$id]) { id } }",
}


@pytest.mark.parametrize("name", list(READ_BY_GRAPHQL_CORE))
async def test_what_the_database_cannot_write_is_read_as_before(api, tricky_cases, name):
    written, reference = await two_clients(api, "city_admin")
    variables: dict[str, Any] = {"id": global_id("Case", tricky_cases[0]), "t": True}
    assert await same_answer(written, reference, READ_BY_GRAPHQL_CORE[name], variables) == 0


async def test_a_community_whose_selection_reaches_a_module_is_read_as_before(api):
    written, reference = await two_clients(api, "city_admin")
    case = await Case.all().order_by("id").first()
    assert case is not None
    community = {"id": global_id("Community", case.community_id)}
    plain = "query($id: ID!) { node(id: $id) { ... on Community { id code name } } }"
    assert await same_answer(written, reference, plain, community) == (1 if on_postgres() else 0)
    modules = (
        "query($id: ID!) { node(id: $id) { ... on Community { name workerStations { id } } } }"
    )
    assert await same_answer(written, reference, modules, community) == 0


async def test_an_id_of_the_wrong_kind_or_a_refused_token_gets_graphql_cores_error(
    api, tricky_cases
):
    written, reference = await two_clients(api, "city_admin")
    number = await raw(written, BY_ID, {"id": tricky_cases[0]})  # ID accepts a whole number
    assert number == await raw(reference, BY_ID, {"id": tricky_cases[0]})
    assert await same_answer(written, reference, BY_ID, {"id": None}) == 0
    assert b"errors" in await raw(written, BY_ID, {"id": None})
    expired_w, expired_r = written.as_token("not-a-token"), reference.as_token("not-a-token")
    variables = {"id": global_id("Case", tricky_cases[0])}
    assert await same_answer(expired_w, expired_r, BY_ID, variables) == 0
    assert b"UNAUTHENTICATED" in await raw(expired_w, BY_ID, variables)


EVERY_ROLE = (*ROLES, "hongqi_officer", "xinhong_worker")


async def test_every_node_type_by_id_answers_as_its_resolver_for_every_role(api, tricky_cases):
    # Each type's scope rule (owners, members, places, departments) decides in SQL here and
    # in Python on the resolver's way: both must let the same viewers see the same rows.
    sources = build_schema((await api()).runtime.host, production=False).node_sources
    document = "query($id: ID!) { node(id: $id) { __typename id } }"
    ids = {}
    for type_name, source in sources.items():
        rows = await source.model.all().order_by("id").limit(3).values_list("id", flat=True)
        ids |= {f"{type_name} {key}": global_id(type_name, key) for key in rows}
    assert len({name.split()[0] for name in ids}) >= 8, "too few types with rows to compare"
    for role in EVERY_ROLE:
        written_as, reference_as = await two_clients(api, role)
        answered = 0
        for name, id_ in ids.items():
            label = f"{name} as {role}"
            answered += await same_answer(written_as, reference_as, document, {"id": id_}, label)
        if on_postgres():
            assert answered > 0, role


async def test_a_first_request_whose_variables_are_refused_does_not_turn_the_document_away(
    api, tricky_cases
):
    written, reference = await two_clients(api, "city_admin")
    assert await same_answer(written, reference, BY_ID, {"id": None}) == 0
    variables = {"id": global_id("Case", tricky_cases[0])}
    assert await same_answer(written, reference, BY_ID, variables) == (1 if on_postgres() else 0)
