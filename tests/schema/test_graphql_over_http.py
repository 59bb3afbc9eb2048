"""GraphQL over HTTP (the GraphQL Foundation's specification), through the real ASGI app:
media types, and the status codes of parse, validation, variable and field errors."""

from __future__ import annotations

import json

import pytest

GQL = "application/graphql-response+json"
JSON = "application/json"


async def send(
    api, body=None, *, accept=GQL, method="POST", params=None, content=None, headers=None
):
    client = await api()
    sent = {"accept": accept} if accept is not None else {}
    sent.update(headers or {})
    if method == "GET":
        return await client.client.get("/graphql", params=params, headers=sent)
    if content is not None:
        return await client.client.post("/graphql", content=content, headers=sent)
    return await client.client.post("/graphql", json=body, headers=sent)


def media(response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GQL, GQL),
        (JSON, JSON),
        (f"{GQL}; charset=utf-8, {JSON}; charset=utf-8", GQL),
        (f"{JSON}, {GQL};q=0.5", JSON),
        ("*/*", GQL),
        ("application/*", GQL),
        ("", GQL),
        (None, GQL),
    ],
)
async def test_the_response_media_type_follows_accept(api, accept, expected):
    response = await send(api, {"query": "{ __typename }"}, accept=accept)
    assert response.status_code == 200
    assert media(response) == expected
    assert "charset=utf-8" in response.headers["content-type"]
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_an_unacceptable_accept_is_406(api):
    response = await send(api, {"query": "{ __typename }"}, accept="text/csv")
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


DOCUMENT_ERRORS = [
    ({"query": "{ districts { code "}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ districts { colour } }"}, "GRAPHQL_VALIDATION_FAILED"),
    (
        {"query": "query($c: String!) { district(code: $c) { name } }", "variables": {}},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        {"query": "query($c: String!) { district(code: $c) { name } }", "variables": {"c": 5}},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        {"query": "query($d: Date!) { __typename }", "variables": {"d": "not a date"}},
        "GRAPHQL_VALIDATION_FAILED",
    ),
]


@pytest.mark.parametrize(("body", "code"), DOCUMENT_ERRORS)
async def test_request_errors_are_400_without_data(api, body, code):
    response = await send(api, body)
    assert response.status_code == 400
    assert media(response) == GQL
    payload = response.json()
    assert "data" not in payload
    assert [e["extensions"]["code"] for e in payload["errors"]] == [code]


@pytest.mark.parametrize(("body", "code"), DOCUMENT_ERRORS)
async def test_request_errors_are_200_with_application_json(api, body, code):
    response = await send(api, body, accept=JSON)
    assert response.status_code == 200
    assert media(response) == JSON
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]


async def test_field_errors_keep_200_and_data(api):
    body = {"query": '{ district(code: "gongnong") { grids(first: -1) { totalCount } } }'}
    response = await send(api, body)
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] == {"district": None}
    assert payload["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_operation_that_cannot_be_determined(api):
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}
    response = await send(api, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert (await send(api, body, accept=JSON)).status_code == 200


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        ("NONSENSE", {"content-type": "application/json"}),
        ('{"query":', {"content-type": "application/json"}),
        (json.dumps({"query": 1}), {"content-type": "application/json"}),
        (
            json.dumps({"query": "{ __typename }", "variables": [7]}),
            {"content-type": "application/json"},
        ),
        (json.dumps({"query": "{ __typename }"}), {"content-type": "text/plain"}),
        (json.dumps({"qeury": "{ __typename }"}), {"content-type": "application/json"}),
    ],
)
async def test_requests_that_are_not_well_formed_are_400(api, content, headers):
    for accept in (GQL, JSON):
        response = await send(api, content=content, headers=headers, accept=accept)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_get_runs_queries_and_refuses_mutations_with_405(api):
    ok = await send(api, method="GET", params={"query": "{ __typename }"})
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    mutation = 'mutation { login(username: "x", password: "y") { token } }'
    refused = await send(api, method="GET", params={"query": mutation})
    assert refused.status_code == 405
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
