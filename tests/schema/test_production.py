"""Production mode: no GraphiQL, no introspection (however it is asked for), no "Did you mean"
suggestions. (The secret key checks are in tests/core/test_config.py, uploads in
tests/schema/test_request_limits.py.)"""

from __future__ import annotations

import pytest

from tests.support.api import codes
from tests.support.configs import TEST_CONFIG

PRODUCTION = (
    TEST_CONFIG
    + '\n[server]\nproduction = true\n[security]\nsecret_key = "pQ8vJ2xR7mK4tN9wE3yB6uH1sL5dF0gZ"\n'
)


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Query") { name } }',
        "{ ...F } fragment F on Query { __schema { types { name } } }",
        '{ ... on Query { __type(name: "Case") { fields { name } } } }',
        "query __schema { __schema { queryType { name } } }",
        "{ ...__schema } fragment __schema on Query { s: __schema { queryType { name } } }",
        "{ districts { __typename } __schema { queryType { name } } }",
    ],
)
async def test_no_introspection_however_it_is_asked_for(api, query):
    client = await api(PRODUCTION)
    body = await client.post(query)
    assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}, body
    assert "data" not in body


async def test_typename_still_works(api):
    client = await api(PRODUCTION)
    districts = (await client.data("{ districts { __typename code } }"))["districts"]
    assert districts and {d["__typename"] for d in districts} == {"District"}


async def test_no_graphiql(api):
    client = await api(PRODUCTION)
    page = await client.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code in (404, 406)  # 406: text/html only, and no IDE to serve it
    assert "graphiql" not in page.text.lower()


TYPOS = [
    ("{ districts { nmae } }", None),  # a field
    ('{ district(cod: "gongnong") { name } }', None),  # an argument
    ("{ cases(status: REPORTD) { totalCount } }", None),  # an enum literal
    ("query($s: CaseStatus) { cases(status: $s) { totalCount } }", {"s": "REPORTD"}),  # a variable
    ("{ districts { ...F } } fragment F on Distrct { code }", None),  # a type
]


@pytest.mark.parametrize(("query", "variables"), TYPOS)
async def test_no_suggestions_in_production(api, query, variables):
    production = await (await api(PRODUCTION)).signed_in("city_admin")
    body = await production.post(query, variables)
    assert body["errors"], body
    assert all("Did you mean" not in e["message"] for e in body["errors"]), body


async def test_suggestions_outside_production(api):
    client = await (await api()).signed_in("city_admin")
    body = await client.post(TYPOS[0][0])
    assert "Did you mean" in body["errors"][0]["message"]
