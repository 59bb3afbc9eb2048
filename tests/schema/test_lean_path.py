"""The lean path (schema/lean.py) against the full strawberry pipeline: the same requests, as
the same viewers, give the same status, media type and body bytes; the lean path takes only
the requests it is meant for, and still records metrics and personal-data reads."""

from __future__ import annotations

from typing import Any

import pytest

from core.access.models import Account, PersonalDataRead
from schema.lean import LeanQueries
from schema.planner.one_root import OneRootQueries
from schema.planner.written_node import WrittenNodes
from tests.schema.test_people_access import NODE, gid, person_of
from tests.support.configs import TEST_CONFIG, with_limits, with_performance

FULL_CONFIG = with_performance(lean_queries=False)
TRUSTED_ONLY = TEST_CONFIG + "\n[documents]\nrequire_for_anonymous = true\n"
GRAPHQL_RESPONSE = "application/graphql-response+json"

# (name, JSON body or raw bytes, content type, whether the lean path answers it)
LEAN: list[tuple[str, Any]] = [
    ("districts", {"query": "{ districts { code name } }"}),
    ("named with variables", {
        "query": "query D($c: String!) { district(code: $c) { name grids(first: 2) { "
                 "totalCount edges { cursor node { code } } } } }",
        "variables": {"c": "gongnong"}, "operationName": "D",
    }),
    ("two operations, one named", {
        "query": "query A { districts { code } } query B { cases(first: 2) { totalCount } }",
        "operationName": "B",
    }),
    ("a field error", {"query": '{ district(code: "gongnong") { grids(first: 2, '
                                'after: "nope") { totalCount } } }'}),
    ("not found", {"query": '{ node(id: "Q2FzZTo5OTk5OTk5") { id } }'}),
    ("a page too large", {"query": "{ cases(first: 101) { totalCount } }"}),
    ("variables of the wrong type", {
        "query": "query($c: String!) { district(code: $c) { name } }", "variables": {"c": 5},
    }),
    ("a missing variable", {"query": "query($c: String!) { district(code: $c) { name } }"}),
    # The shapes of a query's root (schema/planner/one_root.py runs those with one field).
    ("the only root field skipped", {
        "query": "query($s: Boolean!) { districts @skip(if: $s) { code } }",
        "variables": {"s": True},
    }),
    ("the same document, the field kept", {
        "query": "query($s: Boolean!) { districts @skip(if: $s) { code } }",
        "variables": {"s": False},
    }),
    ("one root field asked twice", {"query": "{ districts { code } districts { name } }"}),
    ("two root fields", {"query": "{ districts { code } t: __typename }"}),
    ("the root's type name alone", {"query": "{ t: __typename }"}),
    ("a root fragment", {"query": "{ ...F } fragment F on Query { d: districts { code } }"}),
]  # fmt: skip
FULL: list[tuple[str, Any]] = [
    ("a validation error", {"query": "{ districts { nosuchfield } }"}),
    ("a syntax error", {"query": "{ districts { "}),
    ("too deep", {"query": "{ districts { " * 30 + "}" * 30}),
    ("a mutation", {"query": 'mutation { login(username: "x", password: "y") { token } }'}),
    ("a batch", [{"query": "{ districts { code } }"}, {"query": "{ __typename }"}]),
    ("an unknown operation", {"query": "query A { __typename }", "operationName": "B"}),
    ("an extra key", {"query": "{ __typename }", "extra": 1}),
    ("variables not an object", {"query": "{ __typename }", "variables": [1]}),
    ("an empty query", {"query": ""}),
    ("not JSON", b"{ districts"),
]


async def _send(client: Any, body: Any, token: str | None, accept: str) -> Any:
    headers = {"accept": accept, "content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if isinstance(body, bytes):
        return await client.client.post("/graphql", content=body, headers=headers)
    return await client.client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize("role", ["city_admin", "resident_xinhong", None])
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, "application/json"])
async def test_the_lean_path_answers_like_the_full_pipeline(api, role, accept):
    lean, full = await api(), await api(FULL_CONFIG)
    if role is not None:
        lean, full = await lean.signed_in(role), await full.signed_in(role)
    for name, body in [*LEAN, *FULL]:
        before = LeanQueries.answered
        got = await _send(lean, body, lean.token, accept)
        answered = LeanQueries.answered - before
        expected = await _send(full, body, full.token, accept)
        assert LeanQueries.answered - before == answered, f"{name}: lean_queries = false"
        assert (got.status_code, got.headers["content-type"], got.content) == (
            expected.status_code,
            expected.headers["content-type"],
            expected.content,
        ), name
        assert answered == (1 if (name, body) in LEAN else 0), name


async def test_anonymous_clients_held_to_registered_documents_take_the_full_path(api):
    client = await api(TRUSTED_ONLY)
    before = LeanQueries.answered
    response = await _send(client, {"query": "{ districts { code } }"}, None, GRAPHQL_RESPONSE)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "DOCUMENT_NOT_TRUSTED"
    assert LeanQueries.answered == before
    account = await Account.get(username="city_admin")
    signed_in = client.as_token(client.runtime.tokens.issue(account.id)[0])
    assert (await signed_in.data("{ districts { code } }"))["districts"]
    assert LeanQueries.answered == before + 1, "a token's own documents are fine"


async def test_unmasked_reads_are_recorded_on_the_lean_path(api):
    client = await api()
    person_id = await person_of("resident_xinhong")
    grid_worker = await client.signed_in("xinhong_grid1")
    before = await PersonalDataRead.filter(person_id=person_id).count()
    answered = LeanQueries.answered
    node = (await grid_worker.data(NODE, {"id": gid("Person", person_id)}))["node"]
    assert node["phone"] and LeanQueries.answered == answered + 1
    fields = (
        await PersonalDataRead.filter(person_id=person_id)
        .order_by("id")
        .values_list("field", flat=True)
    )
    assert fields[before:] == ["phone", "id_number"]


COSTLY = "query($n: Int!) { districts { grids(first: $n) { edges { node { code } } } } }"


async def test_a_document_measured_once_is_measured_again_for_other_variables_or_limits(api):
    client = await api(with_limits(max_cost=500))
    assert (await client.data(COSTLY, {"n": 2}))["districts"]
    assert (await client.data(COSTLY, {"n": 2}))["districts"], "remembered within the limits"
    refused = await client.error(COSTLY, {"n": 100})
    assert refused["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    client.runtime.path.write_text(with_limits(max_cost=5), encoding="utf-8")
    assert client.runtime.reload(), "the same server, with tighter limits"
    refused = await client.error(COSTLY, {"n": 2})
    assert refused["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_a_document_is_measured_once_for_any_values_of_variables_its_measure_skips(
    api, monkeypatch
):
    # A read by id sends a new id every time; the page size is what the measure reads.
    import schema.lean

    measured: list[Any] = []
    real = schema.lean.check_limits
    monkeypatch.setattr(schema.lean, "check_limits", lambda *a: measured.append(a[3]) or real(*a))
    client = await (await api(with_limits(max_cost=500))).signed_in("city_admin")
    document = COSTLY.replace("$n: Int!", "$n: Int!, $code: String!").replace(
        "{ districts", "{ district(code: $code) { name } districts"
    )
    for code in ("gongnong", "nanshan", "gongnong", "xingshan"):
        body = await client.post(document, {"n": 2, "code": code})
        assert not body.get("errors") and body["data"]["districts"], body
    assert len(measured) == 1, "measured once for n=2, whatever the code"
    refused = await client.error(document, {"n": 100, "code": "nanshan"})
    assert refused["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert len(measured) == 2, "another page size is measured anew"


ONE_ROOT = [
    ("the only root field skipped", False),
    ("the same document, the field kept", True),
    ("one root field asked twice", True),
    ("two root fields", False),
    ("the root's type name alone", True),
    ("a root fragment", True),
    ("not found", True),
]


async def test_queries_of_one_root_field_skip_graphql_cores_operation_layers(api):
    client = await (await api()).signed_in("city_admin")
    bodies = dict(LEAN)
    for name, one_root in ONE_ROOT:
        # A node by id on PostgreSQL is written whole by the database, a shorter way still.
        before = OneRootQueries.executed + WrittenNodes.answered
        response = await _send(client, bodies[name], client.token, GRAPHQL_RESPONSE)
        assert response.status_code == 200, name
        ran = OneRootQueries.executed + WrittenNodes.answered - before
        assert ran == (1 if one_root else 0), name


async def test_a_non_null_root_fields_error_nulls_the_whole_data_on_the_one_root_path(api):
    client = await (await api()).signed_in("city_admin")
    before = OneRootQueries.executed
    body = {"query": "{ cases(first: 101) { totalCount } }"}
    lean = (await _send(client, body, client.token, GRAPHQL_RESPONSE)).json()
    assert OneRootQueries.executed == before + 1
    assert lean["data"] is None
    assert lean["errors"][0]["path"] == ["cases"]
    assert lean["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("config", [TEST_CONFIG, FULL_CONFIG], ids=["lean", "full"])
async def test_a_repeated_header_counts_by_its_first_value(api, config):
    # As Starlette's Headers.get answers: the view reads headers from one dict per request
    # (schema/request_headers.py), on both paths.
    client = await (await api(config)).signed_in("city_admin")
    headers = [
        ("content-type", "application/json"),
        ("accept", "application/json"),
        ("accept", GRAPHQL_RESPONSE),
        ("authorization", f"Bearer {client.token}"),
        ("authorization", "Bearer not-a-token"),
    ]
    response = await client.client.post(
        "/graphql", json={"query": "{ me { username } }"}, headers=headers
    )
    assert response.headers["content-type"].startswith("application/json;")
    assert response.json() == {"data": {"me": {"username": "city_admin"}}}

    headers[3:] = [("authorization", "Bearer not-a-token"), *headers[3:4]]
    response = await client.client.post(
        "/graphql", json={"query": "{ me { username } }"}, headers=headers
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
