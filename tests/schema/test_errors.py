"""Every error carries a code; unexpected ones are masked, logged and tied to a request id."""

from __future__ import annotations

import logging

from tests.support.api import codes
from tests.support.configs import TEST_CONFIG
from tests.support.distributions import installed


async def test_unexpected_error_is_masked_and_logged_with_request_id(api, tmp_path, caplog):
    with installed(
        tmp_path / "site", "hemei-explodes", {"explodes": "tests.bad_plugins:ExplodesAtRequest"}
    ):
        client = await api(
            TEST_CONFIG.replace('load = ["kernel_test", ', 'load = ["kernel_test", "explodes", ', 1)
        )
    with caplog.at_level(logging.ERROR, logger="hemei.errors"):
        response = await client.client.post(
            "/graphql",
            json={"query": "{ exploding districts { code } }"},
            headers={"X-Request-ID": "req-42"},
        )
    body = response.json()
    assert response.headers["x-request-id"] == "req-42"
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "hunter2" not in response.text and "/srv" not in response.text
    assert error["path"] == ["exploding"]
    assert len(body["data"]["districts"]) == 8, "the rest of the request is served"
    assert "req-42" in caplog.text and "hunter2" in caplog.text, "the log keeps the details"
    again = await client.post("{ districts { code } }")
    assert "errors" not in again, "the process keeps serving"


async def test_request_id_is_made_when_absent_or_unsafe(api):
    client = await api()
    made = await client.client.post("/graphql", json={"query": "{ districts { code } }"})
    assert len(made.headers["x-request-id"]) == 32
    unsafe = await client.client.post(
        "/graphql", json={"query": "{ districts { code } }"}, headers={"X-Request-ID": "a b\\c"}
    )
    assert unsafe.headers["x-request-id"] != "a b\\c"


async def test_syntax_and_validation_errors_have_codes(api):
    client = await api()
    assert codes(await client.post("{ districts { code ")) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(await client.post("{ districts { colour } }")) == ["GRAPHQL_VALIDATION_FAILED"]
    body = await client.post("query($c: String!) { district(code: $c) { name } }", {})
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_expected_error_keeps_message_and_details(api):
    client = await api()
    error = await client.error('{ district(code: "gongnong") { grids(first: -1) { totalCount } } }')
    assert error["message"] == "first must be between 0 and 100."
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first", "max": 100}


async def test_too_deep_query_is_refused(api):
    client = await api()
    deep = (
        "{ districts { "
        + "streets { edges { node { district { " * 6
        + "code"
        + " } } } }" * 6
        + " } }"
    )
    body = await client.post(deep)
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "depth",
        "max": 20,
        "actual": 26,
    }
