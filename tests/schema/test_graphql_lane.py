"""``POST /graphql`` goes straight to the view through the error middleware and the app's own
middleware (schema/graphql_lane.py): the same answers, request ids, metrics and 500s as
through Starlette's whole stack, which everything else still takes."""

from __future__ import annotations

import logging

import httpx
import pytest

from schema.graphql_lane import HemeiStarlette
from schema.limits.view import GuardedGraphQL
from schema.request_id import RequestIdLogFilter
from tests.observability.test_observability import samples, value

DISTRICTS = "{ districts { code } }"


def app_of(client) -> HemeiStarlette:
    app = client.client._transport.app
    assert isinstance(app, HemeiStarlette)
    return app


async def test_a_post_takes_the_lane_with_request_id_and_metrics(api):
    client = await api()
    app = app_of(client)
    assert app.graphql_stack is None
    response = await client.client.post(
        "/graphql", json={"query": DISTRICTS}, headers={"x-request-id": "lane-1"}
    )
    assert response.status_code == 200 and response.json()["data"]["districts"]
    assert response.headers["x-request-id"] == "lane-1"
    assert app.graphql_stack is not None, "the lane was built and used"
    found = samples((await client.client.get("/metrics")).text)
    assert value(found, "hemei_http_requests_total", method="POST", route="/graphql",
                 status="200") == 1  # fmt: skip


async def test_other_methods_and_paths_take_starlettes_whole_stack(api):
    client = await api()
    app = app_of(client)
    got = await client.client.get("/graphql", params={"query": DISTRICTS},
                                  headers={"accept": "application/json"})  # fmt: skip
    assert got.status_code == 200 and got.json()["data"]["districts"]
    assert (await client.client.put("/graphql", json={"query": DISTRICTS})).status_code == 405
    assert (await client.client.post("/graphql/", json={"query": DISTRICTS})).status_code in (
        307,
        404,
    )
    assert (await client.client.get("/healthz")).status_code == 200
    assert app.graphql_stack is None, "none of these took the lane"


async def test_an_exception_in_the_view_is_a_500_as_through_starlette(api, monkeypatch):
    client = await api()
    app = app_of(client)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the view broke")

    monkeypatch.setattr(GuardedGraphQL, "_answer", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hemei.test") as raw:
        response = await raw.post(
            "/graphql", json={"query": DISTRICTS}, headers={"x-request-id": "lane-500"}
        )
    assert response.status_code == 500 and response.text == "Internal Server Error"
    with pytest.raises(RuntimeError, match="the view broke"):  # raised on, as Starlette does
        await client.client.post("/graphql", json={"query": DISTRICTS})


@pytest.mark.parametrize("method", ["POST", "GET"], ids=["the lane", "Starlette's whole stack"])
async def test_a_500_carries_its_request_id_and_so_does_the_servers_report(
    api, monkeypatch, method
):
    client = await api()

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the view broke")

    monkeypatch.setattr(GuardedGraphQL, "_answer", broken)
    transport = httpx.ASGITransport(app=app_of(client), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hemei.test") as raw:
        response = await raw.request(
            method, "/graphql", params={"query": DISTRICTS} if method == "GET" else None,
            json={"query": DISTRICTS} if method == "POST" else None,
            headers={"x-request-id": f"broke-{method}", "accept": "application/json"},
        )  # fmt: skip
    assert response.status_code == 500
    assert response.headers["x-request-id"] == f"broke-{method}"
    # The server reports the exception that escaped from the request's own task (uvicorn's
    # "Exception in ASGI application"): the id is still set there for its log line.
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 0, "boom", None, None)
    RequestIdLogFilter().filter(record)
    assert record.request_id == f"broke-{method}"  # type: ignore[attr-defined]
