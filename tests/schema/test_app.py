"""The HTTP surface: health, readiness, GraphiQL and production mode."""

from __future__ import annotations

from tests.support.configs import TEST_CONFIG

INTROSPECT = "{ __schema { queryType { name } } }"


async def test_healthz_checks_the_database(api):
    client = await api()
    response = await client.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_readyz(api):
    client = await api()
    assert (await client.client.get("/readyz")).status_code == 200


async def test_graphiql_and_introspection_outside_production(api):
    client = await api()
    page = await client.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert (await client.data(INTROSPECT)) == {"__schema": {"queryType": {"name": "Query"}}}


async def test_production_has_no_graphiql_and_no_introspection(api):
    client = await api(
        '[server]\nproduction = true\n[security]\nsecret_key = "pQ8vJ2xR7mK4tN9wE3yB6uH1sL5dF0gZ"\n'
        + TEST_CONFIG
    )
    page = await client.client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in page.text.lower()
    body = await client.post(INTROSPECT)
    assert (
        body.get("errors")
        and body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    )
    assert (await client.data("{ districts { code } }"))["districts"]
